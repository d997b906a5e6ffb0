# keras.io "Using Forward-Forward Algorithm for Image Classification": a keras.Model whose
# layers sit in a list attribute that starts with a keras.Input (self.layer_list = [Input]
# then += [FFDense, ...]) and still appear in model.layers; each FFDense trains itself with
# its own optimizer inside forward_forward (GradientTape on the inner Dense only); the
# model's train_step (a tf.function) overlays the label on the image with tf.map_fn over
# (x, y) pairs, makes negatives with tf.random.shuffle, returns only its own dict; an
# overridden predict scores every label with a reduce_retracing tf.function.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)


class GoodnessDense(keras.layers.Layer):
    def __init__(self, units, optimizer, loss_metric, local_steps=3, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(units)
        self.relu = keras.layers.ReLU()
        self.optimizer = optimizer
        self.loss_metric = loss_metric
        self.threshold = 1.5
        self.local_steps = local_steps

    def call(self, x):
        direction = x / (tf.norm(x, ord=2, axis=1, keepdims=True) + 1e-4)
        return self.relu(self.dense(direction))

    def forward_forward(self, x_pos, x_neg):
        for _ in range(self.local_steps):
            with tf.GradientTape() as tape:
                g_pos = tf.math.reduce_mean(tf.math.pow(self.call(x_pos), 2), 1)
                g_neg = tf.math.reduce_mean(tf.math.pow(self.call(x_neg), 2), 1)
                margins = tf.concat([-g_pos + self.threshold, g_neg - self.threshold], 0)
                mean_loss = tf.cast(
                    tf.math.reduce_mean(tf.math.log(1 + tf.math.exp(margins))), tf.float32
                )
                self.loss_metric.update_state([mean_loss])
            grads = tape.gradient(mean_loss, self.dense.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.dense.trainable_weights))
        return (
            tf.stop_gradient(self.call(x_pos)),
            tf.stop_gradient(self.call(x_neg)),
            self.loss_metric.result(),
        )


class GoodnessNetwork(keras.Model):
    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.loss_var = tf.Variable(0.0, trainable=False, dtype=tf.float32)
        self.loss_count = tf.Variable(0.0, trainable=False, dtype=tf.float32)
        self.layer_list = [keras.Input(shape=(dims[0],))]
        for d in range(len(dims) - 1):
            self.layer_list += [
                GoodnessDense(
                    dims[d + 1],
                    optimizer=keras.optimizers.Adam(learning_rate=0.03),
                    loss_metric=keras.metrics.Mean(),
                )
            ]

    @tf.function(reduce_retracing=True)
    def overlay_y_on_x(self, data):
        x_sample, y_sample = data
        peak = tf.cast(tf.reduce_max(x_sample, axis=0, keepdims=True), tf.float64)
        marker = tf.one_hot(y_sample, 10, dtype=tf.float64) * peak
        return tf.concat([marker, x_sample[10:]], 0), y_sample

    @tf.function(reduce_retracing=True)
    def predict_one_sample(self, x):
        scores = []
        x = tf.reshape(x, [tf.shape(x)[0] * tf.shape(x)[1]])
        for label in range(10):
            h, _ = self.overlay_y_on_x(data=(x, label))
            h = tf.reshape(h, [-1, tf.shape(h)[0]])
            goodness = []
            for layer in self.layer_list[1:]:
                h = layer(h)
                goodness += [tf.math.reduce_mean(tf.math.pow(h, 2), 1)]
            scores += [tf.expand_dims(tf.reduce_sum(goodness, keepdims=True), 1)]
        return tf.cast(tf.argmax(tf.concat(scores, 1), 1), tf.float64)

    def predict(self, data):
        return np.asarray(tf.map_fn(fn=self.predict_one_sample, elems=data), dtype=int)

    @tf.function
    def train_step(self, data):
        x, y = data
        x = tf.reshape(x, [-1, tf.shape(x)[1] * tf.shape(x)[2]])
        x_pos, y = tf.map_fn(fn=self.overlay_y_on_x, elems=(x, y))
        x_neg, _ = tf.map_fn(fn=self.overlay_y_on_x, elems=(x, tf.random.shuffle(y)))
        h_pos, h_neg = x_pos, x_neg
        for layer in self.layers:
            if isinstance(layer, GoodnessDense):
                h_pos, h_neg, loss = layer.forward_forward(h_pos, h_neg)
                self.loss_var.assign_add(loss)
                self.loss_count.assign_add(1.0)
        return {"FinalLoss": tf.math.divide(self.loss_var, self.loss_count)}


model = GoodnessNetwork(dims=[36, 12, 12])
# the Input in front of the list does not hide the layers after it
assert [type(layer).__name__ for layer in model.layers] == ["GoodnessDense", "GoodnessDense"]

# the label overlay: the first 10 pixels become a one-hot of the label scaled by the max
pixels = tf.constant(np.linspace(0.0, 1.0, 36), tf.float64)
overlaid, label = model.overlay_y_on_x((pixels, tf.constant(3)))
assert overlaid.dtype == tf.float64 and overlaid.shape == (36,)
np.testing.assert_allclose(overlaid.numpy()[:10], np.eye(10)[3])
np.testing.assert_allclose(overlaid.numpy()[10:], pixels.numpy()[10:])

x_train = rng.integers(0, 255, (32, 6, 6)).astype(float) / 255
y_train = rng.integers(0, 10, (32,)).astype(int)
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.03), loss="mse")
history = model.fit(train_dataset, epochs=3, verbose=0)
assert list(history.history) == ["FinalLoss"]
losses = history.history["FinalLoss"]
assert len(losses) == 3 and all(np.isfinite(losses)), losses
assert losses[-1] < losses[0], losses  # each layer's local steps lower its own loss
# 2 layers x 3 epochs, and each layer's optimizer ran its own 3 local steps per epoch
assert model.loss_count.numpy() == 6.0
for layer in model.layers:
    assert int(layer.optimizer.iterations.numpy()) == 9
    assert len(layer.trainable_weights) == 2

preds = model.predict(tf.convert_to_tensor(x_train[:4]))
assert preds.shape == (4, 1, 1) and preds.dtype == np.int64
assert ((preds >= 0) & (preds < 10)).all()
print("ok")
