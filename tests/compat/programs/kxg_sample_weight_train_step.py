# Keras guide "Customizing what happens in fit()", section "Supporting sample_weight &
# class_weight": a train_step that unpacks (x, y, sample_weight) with
# keras.utils.unpack_x_y_sample_weight, calls self.compute_loss(...) and updates the compiled
# metrics itself. Checked against the built-in train_step of a twin model with the same
# weights: same weights after fit, same logs; class_weight reaches train_step as per-sample
# weights.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
x = rng.normal(size=(32, 5)).astype("float32")
y = (x[:, :1] + 0.5 * x[:, 1:2] > 0).astype("float32")
sw = rng.uniform(0.2, 2.0, size=(32,)).astype("float32")

# what train_step saw, kept in variables so that the compiled step can record it
weight_sum = tf.Variable(0.0)
weighted_steps = tf.Variable(0)
last_weights = tf.Variable(tf.zeros((8,)))


class CustomModel(keras.Model):
    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if sample_weight is not None:
            weight_sum.assign_add(tf.reduce_sum(sample_weight))
            weighted_steps.assign_add(1)
            last_weights.assign(tf.reshape(tf.cast(sample_weight, "float32"), (-1,)))
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}


def build(cls):
    inputs = keras.Input(shape=(5,))
    hidden = keras.layers.Dense(4, activation="tanh", name="hidden")(inputs)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="out")(hidden)
    return cls(inputs, outputs)


custom = build(CustomModel)
plain = build(keras.Model)
plain.set_weights(custom.get_weights())
for m in (custom, plain):
    m.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1),
        loss="binary_crossentropy",
        metrics=[keras.metrics.BinaryAccuracy(name="acc")],
    )

h_custom = custom.fit(x, y, sample_weight=sw, batch_size=8, epochs=2, shuffle=False, verbose=0)
h_plain = plain.fit(x, y, sample_weight=sw, batch_size=8, epochs=2, shuffle=False, verbose=0)
for a, b in zip(custom.get_weights(), plain.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
for key in ("loss", "acc"):
    np.testing.assert_allclose(h_custom.history[key], h_plain.history[key], rtol=1e-5)
assert int(weighted_steps.numpy()) == 8, weighted_steps.numpy()
np.testing.assert_allclose(weight_sum.numpy(), 2 * sw.sum(), rtol=1e-5)
np.testing.assert_allclose(last_weights.numpy(), sw[-8:], rtol=1e-6)

# unpack_x_y_sample_weight on its own: a lone tensor, a pair and a triple
xx = tf.ones((2, 1))
u = keras.utils.unpack_x_y_sample_weight(xx)
assert u[1] is None and u[2] is None
u = keras.utils.unpack_x_y_sample_weight((xx, xx))
assert u[2] is None and u[1] is not None
u = keras.utils.unpack_x_y_sample_weight((xx, xx, xx))
assert all(t is not None for t in u)
packed = keras.utils.pack_x_y_sample_weight(xx, None, None)
assert packed is xx or isinstance(packed, tuple) and len(packed) == 1

# class_weight: each sample's weight is its class's weight
weight_sum.assign(0.0)
weighted_steps.assign(0)
custom.fit(x, y, class_weight={0: 0.5, 1: 3.0}, batch_size=8, epochs=1, shuffle=False, verbose=0)
assert int(weighted_steps.numpy()) == 4
expected = np.where(y[:, 0] > 0.5, 3.0, 0.5)
np.testing.assert_allclose(weight_sum.numpy(), expected.sum(), rtol=1e-5)
np.testing.assert_allclose(last_weights.numpy(), expected[-8:], rtol=1e-6)

# the weighted loss: compute_loss with weights equals the hand-weighted mean
y_pred = custom(x[:8])
loss = custom.compute_loss(y=y[:8], y_pred=y_pred, sample_weight=sw[:8])
p = np.clip(y_pred.numpy(), 1e-7, 1 - 1e-7)
bce = -(y[:8] * np.log(p) + (1 - y[:8]) * np.log(1 - p))[:, 0]
np.testing.assert_allclose(float(loss), np.sum(bce * sw[:8]) / 8, rtol=1e-4)
print("ok")
