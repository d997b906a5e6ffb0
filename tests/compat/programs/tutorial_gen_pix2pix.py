# TensorFlow's "pix2pix: Image-to-image translation with a conditional GAN" tutorial on
# synthetic side-by-side image pairs: load/split, NEAREST_NEIGHBOR resize, random_crop of the
# stacked pair, an autograph `if` on a random tensor inside @tf.function, the U-Net generator,
# the PatchGAN discriminator with two inputs, the L1 + GAN losses and the train step.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)
IMG_WIDTH = IMG_HEIGHT = 32
OUTPUT_CHANNELS = 3
LAMBDA = 100
half = rng.integers(0, 256, (32, 32, 3)).astype("uint8")
pair = np.concatenate([half, 255 - half], axis=1)  # real image | input image


def load_img(image):
    w = tf.shape(image)[1]
    w = w // 2
    input_image = image[:, w:, :]
    real_image = image[:, :w, :]
    input_image = tf.cast(input_image, tf.float32)
    real_image = tf.cast(real_image, tf.float32)
    return input_image, real_image


inp, re = load_img(tf.constant(pair))
assert inp.shape == (32, 32, 3) and re.shape == (32, 32, 3) and inp.dtype == tf.float32
np.testing.assert_array_equal(inp.numpy() + re.numpy(), 255.0)


def resize(input_image, real_image, height, width):
    input_image = tf.image.resize(
        input_image, [height, width], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR
    )
    real_image = tf.image.resize(
        real_image, [height, width], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR
    )
    return input_image, real_image


def random_crop(input_image, real_image):
    stacked_image = tf.stack([input_image, real_image], axis=0)
    cropped_image = tf.image.random_crop(stacked_image, size=[2, IMG_HEIGHT, IMG_WIDTH, 3])
    return cropped_image[0], cropped_image[1]


def normalize(input_image, real_image):
    input_image = (input_image / 127.5) - 1
    real_image = (real_image / 127.5) - 1
    return input_image, real_image


@tf.function()
def random_jitter(input_image, real_image):
    input_image, real_image = resize(input_image, real_image, 40, 40)
    input_image, real_image = random_crop(input_image, real_image)
    if tf.random.uniform(()) > 0.5:
        # Random mirroring
        input_image = tf.image.flip_left_right(input_image)
        real_image = tf.image.flip_left_right(real_image)
    return input_image, real_image


big, _ = resize(inp, re, 40, 40)
assert big.shape == (40, 40, 3)
assert set(np.unique(big.numpy())) <= set(np.unique(inp.numpy()))  # nearest: no new values
for _ in range(4):
    a, b = random_jitter(inp, re)
    assert a.shape == (32, 32, 3) and b.shape == (32, 32, 3)
    np.testing.assert_array_equal(a.numpy() + b.numpy(), 255.0)  # cropped and flipped alike
a, b = normalize(a, b)
assert float(tf.reduce_min(a)) >= -1.0 and float(tf.reduce_max(a)) <= 1.0


def downsample(filters, size, apply_batchnorm=True):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    result = tf.keras.Sequential()
    result.add(
        tf.keras.layers.Conv2D(
            filters,
            size,
            strides=2,
            padding="same",
            kernel_initializer=initializer,
            use_bias=False,
        )
    )
    if apply_batchnorm:
        result.add(tf.keras.layers.BatchNormalization())
    result.add(tf.keras.layers.LeakyReLU())
    return result


def upsample(filters, size, apply_dropout=False):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    result = tf.keras.Sequential()
    result.add(
        tf.keras.layers.Conv2DTranspose(
            filters,
            size,
            strides=2,
            padding="same",
            kernel_initializer=initializer,
            use_bias=False,
        )
    )
    result.add(tf.keras.layers.BatchNormalization())
    if apply_dropout:
        result.add(tf.keras.layers.Dropout(0.5))
    result.add(tf.keras.layers.ReLU())
    return result


down_model = downsample(3, 4)
down_result = down_model(tf.expand_dims(inp, 0))
assert down_result.shape == (1, 16, 16, 3)
up_model = upsample(3, 4)
assert up_model(down_result).shape == (1, 32, 32, 3)
kernel = down_model.layers[0].kernel.numpy()
assert kernel.shape == (4, 4, 3, 3) and abs(kernel.std() - 0.02) < 0.01


def Generator():
    inputs = tf.keras.layers.Input(shape=[32, 32, 3])
    down_stack = [
        downsample(16, 4, apply_batchnorm=False),  # (batch_size, 16, 16, 16)
        downsample(32, 4),  # (batch_size, 8, 8, 32)
        downsample(64, 4),  # (batch_size, 4, 4, 64)
    ]
    up_stack = [upsample(32, 4, apply_dropout=True), upsample(16, 4)]
    initializer = tf.random_normal_initializer(0.0, 0.02)
    last = tf.keras.layers.Conv2DTranspose(
        OUTPUT_CHANNELS,
        4,
        strides=2,
        padding="same",
        kernel_initializer=initializer,
        activation="tanh",
    )
    x = inputs
    skips = []
    for down in down_stack:
        x = down(x)
        skips.append(x)
    skips = reversed(skips[:-1])
    for up, skip in zip(up_stack, skips):
        x = up(x)
        x = tf.keras.layers.Concatenate()([x, skip])
    x = last(x)
    return tf.keras.Model(inputs=inputs, outputs=x)


generator = Generator()
gen_output = generator(inp[tf.newaxis, ...], training=False)
assert gen_output.shape == (1, 32, 32, 3)
assert float(tf.reduce_max(tf.abs(gen_output))) <= 1.0
loss_object = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def generator_loss(disc_generated_output, gen_output, target):
    gan_loss = loss_object(tf.ones_like(disc_generated_output), disc_generated_output)
    # Mean absolute error
    l1_loss = tf.reduce_mean(tf.abs(target - gen_output))
    total_gen_loss = gan_loss + (LAMBDA * l1_loss)
    return total_gen_loss, gan_loss, l1_loss


def Discriminator():
    initializer = tf.random_normal_initializer(0.0, 0.02)
    inp = tf.keras.layers.Input(shape=[32, 32, 3], name="input_image")
    tar = tf.keras.layers.Input(shape=[32, 32, 3], name="target_image")
    x = tf.keras.layers.concatenate([inp, tar])  # (batch_size, 32, 32, channels*2)
    down1 = downsample(16, 4, False)(x)  # (batch_size, 16, 16, 16)
    down2 = downsample(32, 4)(down1)  # (batch_size, 8, 8, 32)
    zero_pad1 = tf.keras.layers.ZeroPadding2D()(down2)  # (batch_size, 10, 10, 32)
    conv = tf.keras.layers.Conv2D(64, 4, strides=1, kernel_initializer=initializer, use_bias=False)(
        zero_pad1
    )  # (batch_size, 7, 7, 64)
    batchnorm1 = tf.keras.layers.BatchNormalization()(conv)
    leaky_relu = tf.keras.layers.LeakyReLU()(batchnorm1)
    zero_pad2 = tf.keras.layers.ZeroPadding2D()(leaky_relu)  # (batch_size, 9, 9, 64)
    last = tf.keras.layers.Conv2D(1, 4, strides=1, kernel_initializer=initializer)(zero_pad2)
    return tf.keras.Model(inputs=[inp, tar], outputs=last)


discriminator = Discriminator()
disc_out = discriminator([inp[tf.newaxis, ...], gen_output], training=False)
assert disc_out.shape == (1, 6, 6, 1)
assert [tuple(t.shape) for t in discriminator.inputs] == [(None, 32, 32, 3)] * 2
named = discriminator({"input_image": inp[tf.newaxis], "target_image": gen_output})
np.testing.assert_allclose(named.numpy(), disc_out.numpy(), rtol=1e-5, atol=1e-6)

total, gan, l1 = generator_loss(disc_out, gen_output, re[tf.newaxis] / 127.5 - 1)
expected_l1 = np.mean(np.abs(re.numpy() / 127.5 - 1 - gen_output.numpy()))
np.testing.assert_allclose(l1.numpy(), expected_l1, rtol=1e-5)
np.testing.assert_allclose(total.numpy(), gan.numpy() + 100 * expected_l1, rtol=1e-5)


def discriminator_loss(disc_real_output, disc_generated_output):
    real_loss = loss_object(tf.ones_like(disc_real_output), disc_real_output)
    generated_loss = loss_object(tf.zeros_like(disc_generated_output), disc_generated_output)
    total_disc_loss = real_loss + generated_loss
    return total_disc_loss


generator_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
discriminator_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)


@tf.function
def train_step(input_image, target, step):
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        gen_output = generator(input_image, training=True)
        disc_real_output = discriminator([input_image, target], training=True)
        disc_generated_output = discriminator([input_image, gen_output], training=True)
        gen_total_loss, gen_gan_loss, gen_l1_loss = generator_loss(
            disc_generated_output, gen_output, target
        )
        disc_loss = discriminator_loss(disc_real_output, disc_generated_output)
    generator_gradients = gen_tape.gradient(gen_total_loss, generator.trainable_variables)
    discriminator_gradients = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    generator_optimizer.apply_gradients(zip(generator_gradients, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(
        zip(discriminator_gradients, discriminator.trainable_variables)
    )
    return gen_total_loss, gen_l1_loss, disc_loss


pairs = np.stack(
    [np.concatenate([h, 255 - h], axis=1) for h in rng.integers(0, 256, (6, 32, 32, 3))]
)
dataset = tf.data.Dataset.from_tensor_slices(pairs.astype("uint8"))


def load_image_train(image):
    input_image, real_image = load_img(image)
    input_image, real_image = random_jitter(input_image, real_image)
    input_image, real_image = normalize(input_image, real_image)
    return input_image, real_image


train_dataset = dataset.map(load_image_train, num_parallel_calls=tf.data.AUTOTUNE)
train_dataset = train_dataset.shuffle(6).batch(1)
gen_before = [v.numpy().copy() for v in generator.trainable_variables]
steps, l1_losses = [], []
for step, (input_image, target) in train_dataset.repeat().take(8).enumerate():
    np.testing.assert_allclose(input_image.numpy() + target.numpy(), 0.0, atol=1e-6)
    gen_total_loss, gen_l1_loss, disc_loss = train_step(input_image, target, step)
    steps.append(int(step))
    l1_losses.append(float(gen_l1_loss))
    assert np.isfinite(float(gen_total_loss)) and np.isfinite(float(disc_loss))
assert step.dtype == tf.int64 and steps == list(range(8))
assert int(generator_optimizer.iterations) == 8
for before, var in zip(gen_before, generator.trainable_variables):
    assert np.abs(var.numpy() - before).max() > 0, var.name
print("pix2pix L1 losses", np.round(l1_losses, 3))
print("pix2pix ok")
