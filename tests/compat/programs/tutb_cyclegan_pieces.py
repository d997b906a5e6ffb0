"""CycleGAN's pieces at toy size: an instance-normalization layer, a U-Net generator with
skip connections and a patch discriminator, one persistent-tape step that updates four
models, a CheckpointManager round trip, and the data pipeline's jitter."""

import os
import tempfile

import numpy as np
import tensorflow as tf

tf.random.set_seed(3)
SIZE = 16


class InstanceNorm(tf.keras.layers.Layer):
    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape):
        ch = input_shape[-1:]
        self.scale = self.add_weight(name="scale", shape=ch, initializer="ones")
        self.offset = self.add_weight(name="offset", shape=ch, initializer="zeros")

    def call(self, x):
        mean, var = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        return self.scale * (x - mean) * tf.math.rsqrt(var + self.epsilon) + self.offset


def down(filters, norm=True):
    block = tf.keras.Sequential()
    block.add(tf.keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False))
    if norm:
        block.add(InstanceNorm())
    block.add(tf.keras.layers.LeakyReLU())
    return block


def up(filters, dropout=False):
    block = tf.keras.Sequential()
    block.add(
        tf.keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)
    )
    block.add(InstanceNorm())
    if dropout:
        block.add(tf.keras.layers.Dropout(0.5))
    block.add(tf.keras.layers.ReLU())
    return block


def generator():
    inp = tf.keras.layers.Input([None, None, 3])
    x, skips = inp, []
    for block in [down(4, norm=False), down(8), down(8)]:
        x = block(x)
        skips.append(x)
    for block, skip in zip([up(8, dropout=True), up(4)], reversed(skips[:-1])):
        x = tf.keras.layers.Concatenate()([block(x), skip])
    out = tf.keras.layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh")(x)
    return tf.keras.Model(inp, out)


def critic():
    inp = tf.keras.layers.Input([None, None, 3])
    x = down(4, norm=False)(inp)
    x = down(8)(x)
    x = tf.keras.layers.ZeroPadding2D()(x)
    return tf.keras.Model(inp, tf.keras.layers.Conv2D(1, 4)(x))


gen_g, gen_f, disc_x, disc_y = generator(), generator(), critic(), critic()
x = tf.random.uniform([1, SIZE, SIZE, 3], -1, 1)
y = tf.random.uniform([1, SIZE, SIZE, 3], -1, 1)
assert gen_g(x).shape == (1, SIZE, SIZE, 3)
assert disc_y(y).shape == (1, 3, 3, 1)
assert float(tf.reduce_max(tf.abs(gen_g(x)))) <= 1.0

# instance norm: per-image, per-channel zero mean and unit variance
normed = InstanceNorm()(tf.random.normal([2, 5, 5, 3]) * 4.0 + 2.0)
mean, var = tf.nn.moments(normed, axes=[1, 2])
np.testing.assert_allclose(mean.numpy(), 0.0, atol=1e-5)
np.testing.assert_allclose(var.numpy(), 1.0, atol=1e-3)

bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
opts = [tf.keras.optimizers.Adam(2e-4, beta_1=0.5) for _ in range(4)]


@tf.function
def train_step(real_x, real_y):
    with tf.GradientTape(persistent=True) as tape:
        fake_y = gen_g(real_x, training=True)
        cycled_x = gen_f(fake_y, training=True)
        fake_x = gen_f(real_y, training=True)
        cycled_y = gen_g(fake_x, training=True)
        cycle = tf.reduce_mean(tf.abs(real_x - cycled_x)) + tf.reduce_mean(
            tf.abs(real_y - cycled_y)
        )
        d_fake_y, d_fake_x = disc_y(fake_y, training=True), disc_x(fake_x, training=True)
        g_loss = bce(tf.ones_like(d_fake_y), d_fake_y) + 10.0 * cycle
        f_loss = bce(tf.ones_like(d_fake_x), d_fake_x) + 10.0 * cycle
        dx_real = disc_x(real_x, training=True)
        dy_real = disc_y(real_y, training=True)
        dx_loss = 0.5 * (
            bce(tf.ones_like(dx_real), dx_real) + bce(tf.zeros_like(d_fake_x), d_fake_x)
        )
        dy_loss = 0.5 * (
            bce(tf.ones_like(dy_real), dy_real) + bce(tf.zeros_like(d_fake_y), d_fake_y)
        )
    for loss, model, opt in zip(
        [g_loss, f_loss, dx_loss, dy_loss], [gen_g, gen_f, disc_x, disc_y], opts
    ):
        grads = tape.gradient(loss, model.trainable_variables)
        assert all(g is not None for g in grads)
        opt.apply_gradients(zip(grads, model.trainable_variables))
    return g_loss, dx_loss


before = [w.numpy().copy() for w in gen_g.trainable_variables]
g_loss, dx_loss = train_step(x, y)
assert g_loss.shape == () and np.isfinite(float(g_loss)) and np.isfinite(float(dx_loss))
assert any(not np.allclose(b, w.numpy()) for b, w in zip(before, gen_g.trainable_variables))
assert int(opts[0].iterations.numpy()) == 1

# checkpoints: save, change, restore the latest
ckpt = tf.train.Checkpoint(generator_g=gen_g, generator_g_optimizer=opts[0])
folder = os.path.join(tempfile.mkdtemp(), "train")
manager = tf.train.CheckpointManager(ckpt, folder, max_to_keep=2)
saved = [w.numpy().copy() for w in gen_g.trainable_variables]
path = manager.save()
assert manager.latest_checkpoint == path
train_step(x, y)
ckpt.restore(manager.latest_checkpoint)
for s, w in zip(saved, gen_g.trainable_variables):
    np.testing.assert_allclose(w.numpy(), s)
assert int(opts[0].iterations.numpy()) == 1

# the input pipeline's jitter: nearest resize up, random crop back, random flip
raw = tf.data.Dataset.from_tensor_slices(
    (np.random.RandomState(0).randint(0, 256, (3, 20, 20, 3)).astype("uint8"), np.zeros(3))
)


def jitter(image, label):
    image = tf.image.resize(
        image, [SIZE + 4, SIZE + 4], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR
    )
    image = tf.image.random_crop(image, size=[SIZE, SIZE, 3])
    image = tf.image.random_flip_left_right(image)
    return tf.cast(image, tf.float32) / 127.5 - 1


batch = next(iter(raw.cache().map(jitter, num_parallel_calls=tf.data.AUTOTUNE).batch(1)))
assert batch.shape == (1, SIZE, SIZE, 3) and batch.dtype == tf.float32
assert -1.0 <= float(tf.reduce_min(batch)) and float(tf.reduce_max(batch)) <= 1.0

# an image whose size the skip connections do not fit: the concat op's error
try:
    gen_g(tf.zeros([1, 20, 20, 3]))
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("expected InvalidArgumentError")

print("tutb_cyclegan_pieces OK")
