# keras.io "Classification using Attention-based Deep Multiple Instance Learning (MIL)",
# "Few-Shot learning with Reptile" and "Monocular depth estimation", small and synthetic:
# a gated attention layer that takes a list of instance embeddings and returns a list of
# softmax weights (an intermediate model reads them), class_weight and a weights-only
# checkpoint; Reptile's meta step on get_weights / set_weights around a GradientTape loop
# over an images dataset made with convert_image_dtype / rgb_to_grayscale / resize; the
# depth loss of tf.image.image_gradients and tf.image.ssim in a train_step with a metrics
# property.
import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
BAG = 3


class MILAttention(layers.Layer):
    def __init__(self, dim, use_gated=True, **kwargs):
        super().__init__(**kwargs)
        self.dim, self.use_gated = dim, use_gated

    def build(self, input_shape):
        features = input_shape[0][1]
        reg = keras.regularizers.L2(0.01)
        self.v = self.add_weight(shape=(features, self.dim), name="v", regularizer=reg)
        self.w = self.add_weight(shape=(self.dim, 1), name="w", regularizer=reg)
        self.u = self.add_weight(shape=(features, self.dim), name="u", regularizer=reg)

    def call(self, inputs):
        scores = []
        for instance in inputs:
            h = ops.tanh(ops.tensordot(instance, self.v, axes=1))
            if self.use_gated:
                h = h * ops.sigmoid(ops.tensordot(instance, self.u, axes=1))
            scores.append(ops.tensordot(h, self.w, axes=1))
        alpha = ops.softmax(ops.stack(scores), axis=0)
        return [alpha[i] for i in range(alpha.shape[0])]


inputs, embeddings = [], []
dense = layers.Dense(6, activation="relu")
for _ in range(BAG):
    inp = layers.Input((4, 4))
    inputs.append(inp)
    embeddings.append(dense(layers.Flatten()(inp)))
alpha = MILAttention(5, name="alpha")(embeddings)
assert isinstance(alpha, list) and len(alpha) == BAG and alpha[0].shape == (None, 1)
weighted = [layers.multiply([a, e]) for a, e in zip(alpha, embeddings)]
output = layers.Dense(2, activation="softmax")(layers.concatenate(weighted, axis=1))
mil = keras.Model(inputs, output)
assert len(mil.losses) == 3  # the three regularized weights
bags = [rng.random((20, 4, 4)).astype("float32") for _ in range(BAG)]
bag_labels = (rng.random((20, 1)) < 0.3).astype("int64")
negatives, positives = int((bag_labels == 0).sum()), int((bag_labels == 1).sum())
class_weight = {0: 10 / negatives, 1: 10 / positives}
mil.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
checkpoint = keras.callbacks.ModelCheckpoint(
    "mil.weights.h5", monitor="val_loss", save_best_only=True, save_weights_only=True
)
history = mil.fit(
    bags,
    bag_labels,
    validation_data=(bags, bag_labels),
    epochs=2,
    batch_size=4,
    class_weight=class_weight,
    callbacks=[checkpoint],
    verbose=0,
)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
mil.load_weights("mil.weights.h5")
probe = keras.Model(mil.input, mil.get_layer("alpha").output)
weights = probe.predict(bags, verbose=0)
assert isinstance(weights, list) and len(weights) == BAG and weights[0].shape == (20, 1)
per_bag = np.squeeze(np.swapaxes(weights, 1, 0))
assert per_bag.shape == (20, BAG)
np.testing.assert_allclose(per_bag.sum(axis=1), 1.0, rtol=1e-5)
loss, accuracy = mil.evaluate(bags, bag_labels, verbose=0)
assert np.isfinite(loss) and 0.0 <= accuracy <= 1.0


# Reptile: images read as float32 gray 8x8, a few inner SGD steps, then a meta step
def extraction(image, label):
    image = tf.image.convert_image_dtype(image, tf.float32)
    image = tf.image.rgb_to_grayscale(image)
    return tf.image.resize(image, [8, 8]), label


raw = rng.integers(0, 256, (6, 10, 10, 3)).astype("uint8")
pool = {}
for image, label in tf.data.Dataset.from_tensor_slices((raw, np.arange(6) % 3)).map(extraction):
    pool.setdefault(str(label.numpy()), []).append(image.numpy())
assert sorted(pool) == ["0", "1", "2"] and pool["0"][0].shape == (8, 8, 1)
assert pool["0"][0].dtype == np.float32 and 0.0 <= pool["0"][0].min() <= pool["0"][0].max() <= 1.0

inp = layers.Input((8, 8, 1))
x = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(4, 3, strides=2, padding="same")(inp)))
learner = keras.Model(inp, layers.Dense(3, activation="softmax")(layers.Flatten()(x)))
learner.compile()
sgd = keras.optimizers.SGD(learning_rate=0.01)
images = np.stack([pool[k][0] for k in sorted(pool)])
task = tf.data.Dataset.from_tensor_slices((images, np.arange(3, dtype="int32"))).batch(2).repeat(2)
old = learner.get_weights()
for batch_images, batch_labels in task:
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(batch_labels, learner(batch_images))
    grads = tape.gradient(loss, learner.trainable_weights)
    sgd.apply_gradients(zip(grads, learner.trainable_weights))
assert int(sgd.iterations.numpy()) == 4 and loss.shape == (1,)
new = learner.get_weights()
step = 0.25
learner.set_weights([o + (n - o) * step for o, n in zip(old, new)])
for got, o, n in zip(learner.get_weights(), old, new):
    np.testing.assert_allclose(got, o + (n - o) * step, rtol=1e-6, atol=1e-7)
predicted = tf.argmax(learner.predict(images, verbose=0)).numpy()
assert predicted.shape == (3,) and predicted.dtype == np.int64

# depth estimation loss
target = tf.constant(rng.random((2, 8, 8, 1)).astype("float32"))
dy, dx = tf.image.image_gradients(target)
np.testing.assert_allclose(dy.numpy()[:, :-1], (target[:, 1:] - target[:, :-1]).numpy())
assert (
    float(tf.reduce_sum(tf.abs(dy[:, -1]))) == 0.0
    and float(tf.reduce_sum(tf.abs(dx[:, :, -1]))) == 0.0
)
same = tf.image.ssim(target, target, max_val=1.0, filter_size=7, k1=0.01**2, k2=0.03**2)
np.testing.assert_allclose(same.numpy(), [1.0, 1.0], rtol=1e-5)


class Depth(keras.Model):
    def __init__(self):
        super().__init__()
        self.loss_metric = keras.metrics.Mean(name="loss")
        self.conv = layers.Conv2D(1, 3, padding="same", activation="tanh")

    def call(self, x):
        return self.conv(x)

    def depth_loss(self, target, pred):
        dy_true, dx_true = tf.image.image_gradients(target)
        dy_pred, dx_pred = tf.image.image_gradients(pred)
        wx = tf.exp(tf.reduce_mean(tf.abs(dx_true)))
        wy = tf.exp(tf.reduce_mean(tf.abs(dy_true)))
        smooth = tf.reduce_mean(abs(dx_pred * wx)) + tf.reduce_mean(abs(dy_pred * wy))
        ssim = tf.reduce_mean(
            1 - tf.image.ssim(target, pred, max_val=8, filter_size=7, k1=0.01**2, k2=0.03**2)
        )
        return 0.85 * ssim + 0.1 * tf.reduce_mean(tf.abs(target - pred)) + 0.9 * smooth

    @property
    def metrics(self):
        return [self.loss_metric]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.depth_loss(y, self(x, training=True))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_metric.update_state(loss)
        return {"loss": self.loss_metric.result()}

    def test_step(self, data):
        x, y = data
        self.loss_metric.update_state(self.depth_loss(y, self(x, training=False)))
        return {"loss": self.loss_metric.result()}


depth = Depth()
depth.compile(optimizer=keras.optimizers.Adam(2e-4), loss=keras.losses.MeanSquaredError())
scenes = rng.random((4, 8, 8, 3)).astype("float32")
history = depth.fit(
    scenes,
    target.numpy().repeat(2, 0),
    batch_size=2,
    epochs=1,
    verbose=0,
    validation_data=(scenes[:2], target.numpy()),
)
assert sorted(history.history) == ["loss", "val_loss"]
assert np.isfinite(history.history["loss"][0]) and history.history["loss"][0] > 0
assert [m.name for m in depth.metrics] == ["loss"]
print("ok")
