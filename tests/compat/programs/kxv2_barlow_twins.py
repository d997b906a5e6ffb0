# keras.io "Barlow Twins for contrastive SSL": two augmented views of each image made in a
# tf.data map (random crops with tf.image.random_crop + resize, flips, brightness jitter),
# a shared encoder + projector, a BarlowLoss keras.losses.Loss subclass that normalises each
# view's embeddings over the batch, forms the cross-correlation matrix, and penalises the
# diagonal's distance to 1 plus lambda times the off-diagonal squares, a BarlowModel
# keras.Model with a train_step, then a linear probe on the frozen encoder. The loss is
# checked against NumPy. Synthetic 8x8 images of 3 classes (oriented stripes).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(31)
tf.random.set_seed(31)
rng = np.random.default_rng(31)
N, S, C, PROJ = 160, 8, 3, 16
ii, jj = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
prototypes = np.stack([ii % 4 < 2, jj % 4 < 2, (ii + jj) % 4 < 2]).astype("float32")
labels = rng.integers(0, C, N)
images = prototypes[labels][..., None] + 0.15 * rng.normal(size=(N, S, S, 1))
images = images.astype("float32")


class BarlowLoss(keras.losses.Loss):
    def __init__(self, batch_size, lambda_amt=5e-3):
        super().__init__()
        self.lambda_amt = lambda_amt
        self.batch_size = batch_size

    def get_off_diag(self, c):
        zero_diag = tf.zeros(c.shape[-1])
        return tf.linalg.set_diag(c, zero_diag)

    def cross_corr_matrix_loss(self, c):
        c_diff = tf.pow(tf.linalg.diag_part(c) - 1, 2)
        off_diag = tf.pow(self.get_off_diag(c), 2) * self.lambda_amt
        return tf.reduce_sum(c_diff) + tf.reduce_sum(off_diag)

    def normalize(self, output):
        return (output - tf.reduce_mean(output, axis=0)) / tf.math.reduce_std(output, axis=0)

    def cross_corr_matrix(self, z_a_norm, z_b_norm):
        return (tf.transpose(z_a_norm) @ z_b_norm) / self.batch_size

    def call(self, z_a, z_b):
        z_a_norm, z_b_norm = self.normalize(z_a), self.normalize(z_b)
        c = self.cross_corr_matrix(z_a_norm, z_b_norm)
        return self.cross_corr_matrix_loss(c)


def reference(za, zb, lam):
    za = (za - za.mean(0)) / za.std(0)
    zb = (zb - zb.mean(0)) / zb.std(0)
    c = za.T @ zb / len(za)
    off = c - np.diag(np.diag(c))
    return ((np.diag(c) - 1) ** 2).sum() + lam * (off**2).sum()


za = rng.normal(size=(16, 6)).astype("float32")
zb = (za + 0.3 * rng.normal(size=(16, 6))).astype("float32")
loss_fn = BarlowLoss(batch_size=16)
np.testing.assert_allclose(float(loss_fn.call(za, zb)), reference(za, zb, 5e-3), rtol=1e-4)
# perfectly correlated, decorrelated features: the loss is (almost) zero
q, _ = np.linalg.qr(rng.normal(size=(16, 6)))
white = (q - q.mean(0)).astype("float32")
assert float(loss_fn.call(white, white)) < float(loss_fn.call(za, zb))
c_off = loss_fn.get_off_diag(tf.ones((3, 3))).numpy()
np.testing.assert_array_equal(c_off, np.ones((3, 3)) - np.eye(3))


def augment(image):
    image = tf.image.resize_with_crop_or_pad(image, S + 2, S + 2)
    image = tf.image.random_crop(image, size=(S, S, 1))
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, max_delta=0.2)
    return image


BATCH = 32
ssl_ds = (
    tf.data.Dataset.from_tensor_slices(images)
    .shuffle(N, seed=3)
    .map(lambda img: (augment(img), augment(img)))
    .batch(BATCH, drop_remainder=True)
)
view_a, view_b = next(iter(ssl_ds))
assert view_a.shape == (BATCH, S, S, 1) and view_b.shape == (BATCH, S, S, 1)
assert not np.allclose(view_a.numpy(), view_b.numpy())


def build_encoder():
    inputs = keras.Input((S, S, 1))
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    outputs = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, outputs, name="encoder")


class BarlowModel(keras.Model):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder
        self.projector = keras.Sequential(
            [layers.Dense(PROJ), layers.BatchNormalization(), layers.ReLU(), layers.Dense(PROJ)]
        )
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, x, training=False):
        return self.projector(self.encoder(x, training=training), training=training)

    def train_step(self, batch):
        y_a, y_b = batch
        with tf.GradientTape() as tape:
            z_a, z_b = self(y_a, training=True), self(y_b, training=True)
            loss = self.loss(z_a, z_b)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


encoder = build_encoder()
bm = BarlowModel(encoder)
bm.compile(optimizer=keras.optimizers.Adam(3e-3), loss=BarlowLoss(BATCH))
history = bm.fit(ssl_ds, epochs=8, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.6 * losses[0], losses

encoder.trainable = False
probe_in = keras.Input((S, S, 1))
probe = keras.Model(probe_in, layers.Dense(C, activation="softmax")(encoder(probe_in)))
probe.compile(
    optimizer=keras.optimizers.Adam(0.05),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
probe.fit(images[:120], labels[:120], batch_size=16, epochs=15, verbose=0)
_, acc = probe.evaluate(images[120:], labels[120:], verbose=0)
print("Barlow Twins losses", losses[0], losses[-1], "probe accuracy", acc)
assert acc > 0.8, acc
