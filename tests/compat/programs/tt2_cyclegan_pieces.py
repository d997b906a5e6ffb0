# TensorFlow's "CycleGAN" tutorial mechanics on tiny synthetic image domains: an
# InstanceNormalization layer (per-image moments with tf.nn.moments), downsample/upsample
# blocks, two generators and two discriminators, the cycle-consistency and identity losses,
# four Adam optimizers, a persistent GradientTape in a @tf.function train step, and
# tf.train.CheckpointManager keeping the newest checkpoints.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(19)
rng = np.random.default_rng(19)
LAMBDA = 10
OUTPUT_CHANNELS = 3


class InstanceNormalization(tf.keras.layers.Layer):
    """Instance Normalization Layer (https://arxiv.org/abs/1607.08022)."""

    def __init__(self, epsilon=1e-5):
        super(InstanceNormalization, self).__init__()
        self.epsilon = epsilon

    def build(self, input_shape):
        self.scale = self.add_weight(
            name="scale",
            shape=input_shape[-1:],
            initializer=tf.random_normal_initializer(1.0, 0.02),
            trainable=True,
        )
        self.offset = self.add_weight(
            name="offset", shape=input_shape[-1:], initializer="zeros", trainable=True
        )

    def call(self, x):
        mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        inv = tf.math.rsqrt(variance + self.epsilon)
        normalized = (x - mean) * inv
        return self.scale * normalized + self.offset


x = tf.constant(rng.normal(3.0, 2.0, (2, 6, 6, 4)).astype("float32"))
norm = InstanceNormalization()
y = norm(x)
expected = (x.numpy() - x.numpy().mean(axis=(1, 2), keepdims=True)) / np.sqrt(
    x.numpy().var(axis=(1, 2), keepdims=True) + 1e-5
)
np.testing.assert_allclose(y.numpy(), norm.scale.numpy() * expected, rtol=1e-4, atol=1e-4)
assert [w.shape for w in norm.trainable_weights] == [(4,), (4,)]


def downsample(filters, size, norm_type="instancenorm", apply_norm=True):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    result = tf.keras.Sequential()
    result.add(
        tf.keras.layers.Conv2D(
            filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False
        )
    )
    if apply_norm:
        if norm_type.lower() == "batchnorm":
            result.add(tf.keras.layers.BatchNormalization())
        elif norm_type.lower() == "instancenorm":
            result.add(InstanceNormalization())
    result.add(tf.keras.layers.LeakyReLU())
    return result


def upsample(filters, size, norm_type="instancenorm", apply_dropout=False):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    result = tf.keras.Sequential()
    result.add(
        tf.keras.layers.Conv2DTranspose(
            filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False
        )
    )
    if norm_type.lower() == "batchnorm":
        result.add(tf.keras.layers.BatchNormalization())
    elif norm_type.lower() == "instancenorm":
        result.add(InstanceNormalization())
    if apply_dropout:
        result.add(tf.keras.layers.Dropout(0.5))
    result.add(tf.keras.layers.ReLU())
    return result


def unet_generator(output_channels, norm_type="instancenorm"):
    down_stack = [
        downsample(16, 4, norm_type, apply_norm=False),  # (bs, 8, 8, 16)
        downsample(32, 4, norm_type),  # (bs, 4, 4, 32)
    ]
    up_stack = [upsample(16, 4, norm_type)]  # (bs, 8, 8, 32) after the skip
    initializer = tf.random_normal_initializer(0.0, 0.02)
    last = tf.keras.layers.Conv2DTranspose(
        output_channels,
        4,
        strides=2,
        padding="same",
        kernel_initializer=initializer,
        activation="tanh",
    )
    concat = tf.keras.layers.Concatenate()
    inputs = tf.keras.layers.Input(shape=[None, None, 3])
    x = inputs
    skips = []
    for down in down_stack:
        x = down(x)
        skips.append(x)
    skips = reversed(skips[:-1])
    for up, skip in zip(up_stack, skips):
        x = up(x)
        x = concat([x, skip])
    x = last(x)
    return tf.keras.Model(inputs=inputs, outputs=x)


def discriminator(norm_type="instancenorm"):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    inp = tf.keras.layers.Input(shape=[None, None, 3], name="input_image")
    x = downsample(16, 4, norm_type, False)(inp)
    x = downsample(32, 4, norm_type)(x)
    last = tf.keras.layers.Conv2D(1, 3, strides=1, padding="same", kernel_initializer=initializer)(
        x
    )
    return tf.keras.Model(inputs=inp, outputs=last)


generator_g = unet_generator(OUTPUT_CHANNELS)
generator_f = unet_generator(OUTPUT_CHANNELS)
discriminator_x = discriminator()
discriminator_y = discriminator()

# two domains: horizontal stripes (X) and vertical stripes (Y), in [-1, 1]
stripes = np.where(np.arange(16) % 4 < 2, 0.8, -0.8).astype("float32")
train_x = np.tile(stripes[None, :, None, None], (8, 1, 16, 3)) + rng.normal(0, 0.1, (8, 16, 16, 3))
train_y = np.transpose(train_x, (0, 2, 1, 3)).copy()
train_x, train_y = train_x.astype("float32"), train_y.astype("float32")
sample_x = train_x[:1]
to_zebra = generator_g(sample_x)
assert to_zebra.shape == (1, 16, 16, 3) and np.abs(to_zebra.numpy()).max() <= 1.0
assert discriminator_y(train_y[:1]).shape == (1, 4, 4, 1)

loss_obj = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real, generated):
    real_loss = loss_obj(tf.ones_like(real), real)
    generated_loss = loss_obj(tf.zeros_like(generated), generated)
    total_disc_loss = real_loss + generated_loss
    return total_disc_loss * 0.5


def generator_loss(generated):
    return loss_obj(tf.ones_like(generated), generated)


def calc_cycle_loss(real_image, cycled_image):
    loss1 = tf.reduce_mean(tf.abs(real_image - cycled_image))
    return LAMBDA * loss1


def identity_loss(real_image, same_image):
    loss = tf.reduce_mean(tf.abs(real_image - same_image))
    return LAMBDA * 0.5 * loss


a, b = tf.constant([[0.5, -0.5]]), tf.constant([[0.0, 0.5]])
np.testing.assert_allclose(float(calc_cycle_loss(a, b)), 10 * 0.75, rtol=1e-6)
np.testing.assert_allclose(float(identity_loss(a, b)), 5 * 0.75, rtol=1e-6)
np.testing.assert_allclose(float(discriminator_loss(a * 0, a * 0)), np.log(2), rtol=1e-5)

generator_g_optimizer = tf.keras.optimizers.Adam(2e-3, beta_1=0.5)
generator_f_optimizer = tf.keras.optimizers.Adam(2e-3, beta_1=0.5)
discriminator_x_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
discriminator_y_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)

ckpt = tf.train.Checkpoint(
    generator_g=generator_g,
    generator_f=generator_f,
    discriminator_x=discriminator_x,
    discriminator_y=discriminator_y,
    generator_g_optimizer=generator_g_optimizer,
    generator_f_optimizer=generator_f_optimizer,
    discriminator_x_optimizer=discriminator_x_optimizer,
    discriminator_y_optimizer=discriminator_y_optimizer,
)
ckpt_manager = tf.train.CheckpointManager(ckpt, "./checkpoints/train", max_to_keep=2)
assert ckpt_manager.latest_checkpoint is None


@tf.function
def train_step(real_x, real_y):
    # persistent is set to True because the tape is used more than
    # once to calculate the gradients.
    with tf.GradientTape(persistent=True) as tape:
        fake_y = generator_g(real_x, training=True)
        cycled_x = generator_f(fake_y, training=True)
        fake_x = generator_f(real_y, training=True)
        cycled_y = generator_g(fake_x, training=True)
        # same_x and same_y are used for identity loss.
        same_x = generator_f(real_x, training=True)
        same_y = generator_g(real_y, training=True)
        disc_real_x = discriminator_x(real_x, training=True)
        disc_real_y = discriminator_y(real_y, training=True)
        disc_fake_x = discriminator_x(fake_x, training=True)
        disc_fake_y = discriminator_y(fake_y, training=True)
        gen_g_loss = generator_loss(disc_fake_y)
        gen_f_loss = generator_loss(disc_fake_x)
        total_cycle_loss = calc_cycle_loss(real_x, cycled_x) + calc_cycle_loss(real_y, cycled_y)
        total_gen_g_loss = gen_g_loss + total_cycle_loss + identity_loss(real_y, same_y)
        total_gen_f_loss = gen_f_loss + total_cycle_loss + identity_loss(real_x, same_x)
        disc_x_loss = discriminator_loss(disc_real_x, disc_fake_x)
        disc_y_loss = discriminator_loss(disc_real_y, disc_fake_y)
    generator_g_gradients = tape.gradient(total_gen_g_loss, generator_g.trainable_variables)
    generator_f_gradients = tape.gradient(total_gen_f_loss, generator_f.trainable_variables)
    discriminator_x_gradients = tape.gradient(disc_x_loss, discriminator_x.trainable_variables)
    discriminator_y_gradients = tape.gradient(disc_y_loss, discriminator_y.trainable_variables)
    generator_g_optimizer.apply_gradients(
        zip(generator_g_gradients, generator_g.trainable_variables)
    )
    generator_f_optimizer.apply_gradients(
        zip(generator_f_gradients, generator_f.trainable_variables)
    )
    discriminator_x_optimizer.apply_gradients(
        zip(discriminator_x_gradients, discriminator_x.trainable_variables)
    )
    discriminator_y_optimizer.apply_gradients(
        zip(discriminator_y_gradients, discriminator_y.trainable_variables)
    )
    return total_cycle_loss


dataset = tf.data.Dataset.zip(
    (
        tf.data.Dataset.from_tensor_slices(train_x).batch(2),
        tf.data.Dataset.from_tensor_slices(train_y).shuffle(8).batch(2),
    )
)
cycle_losses, saved = [], []
for epoch in range(4):
    for image_x, image_y in dataset:
        cycle_losses.append(float(train_step(image_x, image_y)))
    saved.append(ckpt_manager.save())
print("cyclegan cycle losses", np.round(cycle_losses[::4], 3))
assert np.all(np.isfinite(cycle_losses))
assert np.mean(cycle_losses[-4:]) < 0.7 * np.mean(cycle_losses[:4]), cycle_losses
for opt in (generator_g_optimizer, discriminator_y_optimizer):
    assert int(opt.iterations) == 16
assert [p.rsplit("-", 1)[1] for p in saved] == ["1", "2", "3", "4"]
assert ckpt_manager.checkpoints == saved[-2:] and ckpt_manager.latest_checkpoint == saved[-1]

before = generator_g(sample_x).numpy()
for var in generator_g.trainable_variables:
    var.assign(tf.zeros_like(var))
ckpt.restore(ckpt_manager.latest_checkpoint)
np.testing.assert_allclose(generator_g(sample_x).numpy(), before, rtol=1e-5, atol=1e-6)
print("cyclegan ok")
