# TensorFlow's "Deep Convolutional Generative Adversarial Network" tutorial on synthetic
# 28x28 images: the generator and discriminator, their losses, a @tf.function train step with
# two GradientTapes, and tf.train.Checkpoint save / latest_checkpoint / restore.
import os

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

tf.keras.utils.set_random_seed(1)
rng = np.random.default_rng(1)
train_images = rng.integers(0, 256, size=(16, 28, 28)).astype("uint8")
train_images = train_images.reshape(train_images.shape[0], 28, 28, 1).astype("float32")
train_images = (train_images - 127.5) / 127.5
assert train_images.min() >= -1.0 and train_images.max() <= 1.0
BUFFER_SIZE = 16
BATCH_SIZE = 8
train_dataset = (
    tf.data.Dataset.from_tensor_slices(train_images).shuffle(BUFFER_SIZE).batch(BATCH_SIZE)
)


def make_generator_model():
    model = tf.keras.Sequential()
    model.add(layers.Input(shape=(100,)))
    model.add(layers.Dense(7 * 7 * 64, use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((7, 7, 64)))
    assert model.output_shape == (None, 7, 7, 64)
    model.add(layers.Conv2DTranspose(32, (5, 5), strides=(1, 1), padding="same", use_bias=False))
    assert model.output_shape == (None, 7, 7, 32)
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(16, (5, 5), strides=(2, 2), padding="same", use_bias=False))
    assert model.output_shape == (None, 14, 14, 16)
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(
        layers.Conv2DTranspose(
            1, (5, 5), strides=(2, 2), padding="same", use_bias=False, activation="tanh"
        )
    )
    assert model.output_shape == (None, 28, 28, 1)
    return model


generator = make_generator_model()
noise = tf.random.normal([1, 100])
generated_image = generator(noise, training=False)
assert generated_image.shape == (1, 28, 28, 1)
assert np.abs(generated_image.numpy()).max() <= 1.0  # tanh
assert len(generator.trainable_variables) == 10  # Dense and 3 transposed kernels, 3 BN pairs


def make_discriminator_model():
    model = tf.keras.Sequential()
    model.add(layers.Input(shape=(28, 28, 1)))
    model.add(layers.Conv2D(16, (5, 5), strides=(2, 2), padding="same"))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Conv2D(32, (5, 5), strides=(2, 2), padding="same"))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    return model


discriminator = make_discriminator_model()
decision = discriminator(generated_image)
assert decision.shape == (1, 1)
assert discriminator.layers[-2].output.shape == (None, 7 * 7 * 32)

cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(tf.ones_like(real_output), real_output)
    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
    return real_loss + fake_loss


def generator_loss(fake_output):
    return cross_entropy(tf.ones_like(fake_output), fake_output)


logits = np.array([[2.0], [-1.0], [0.5]], "float32")
softplus = np.log1p(np.exp(-np.abs(logits))) + np.maximum(logits, 0)  # -log(1 - sigmoid)
np.testing.assert_allclose(generator_loss(logits).numpy(), np.mean(softplus - logits), rtol=1e-5)
np.testing.assert_allclose(
    discriminator_loss(logits, -logits).numpy(), 2 * np.mean(softplus - logits), rtol=1e-5
)

generator_optimizer = tf.keras.optimizers.Adam(1e-4)
discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)
checkpoint_dir = "./training_checkpoints"
checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt")
checkpoint = tf.train.Checkpoint(
    generator_optimizer=generator_optimizer,
    discriminator_optimizer=discriminator_optimizer,
    generator=generator,
    discriminator=discriminator,
)

EPOCHS = 2
noise_dim = 100
num_examples_to_generate = 16
seed = tf.random.normal([num_examples_to_generate, noise_dim])


@tf.function
def train_step(images):
    noise = tf.random.normal([BATCH_SIZE, noise_dim])
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated_images = generator(noise, training=True)
        real_output = discriminator(images, training=True)
        fake_output = discriminator(generated_images, training=True)
        gen_loss = generator_loss(fake_output)
        disc_loss = discriminator_loss(real_output, fake_output)
    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(
        zip(gradients_of_discriminator, discriminator.trainable_variables)
    )
    return gen_loss, disc_loss


gen_before = [v.numpy().copy() for v in generator.trainable_variables]
disc_before = [v.numpy().copy() for v in discriminator.trainable_variables]
bn = generator.layers[1]
saved = []
losses = []
for epoch in range(EPOCHS):
    for image_batch in train_dataset:
        losses.append([float(v) for v in train_step(image_batch)])
    saved.append(checkpoint.save(file_prefix=checkpoint_prefix))

assert np.all(np.isfinite(losses)) and len(losses) == 4
gen_loss, disc_loss = losses[0]
assert 0.3 < gen_loss < 1.5 and 0.8 < disc_loss < 2.5  # near log 2 and 2 log 2 at the start
for before, var in zip(
    gen_before + disc_before, generator.trainable_variables + discriminator.trainable_variables
):
    assert np.abs(var.numpy() - before).max() > 0, var.name
assert np.abs(bn.moving_mean.numpy()).max() > 0  # training=True updated the statistics
assert int(generator_optimizer.iterations) == 4 and int(discriminator_optimizer.iterations) == 4
assert [os.path.basename(p) for p in saved] == ["ckpt-1", "ckpt-2"]
latest = tf.train.latest_checkpoint(checkpoint_dir)
assert latest == saved[-1], (latest, saved)
assert os.path.exists(latest + ".index")

predictions = generator(seed, training=False).numpy()
assert predictions.shape == (16, 28, 28, 1)
# spoil everything the checkpoint holds, then restore it
for var in generator.variables + discriminator.variables:
    var.assign(tf.zeros_like(var))
generator_optimizer.iterations.assign(0)
status = checkpoint.restore(tf.train.latest_checkpoint(checkpoint_dir))
status.assert_existing_objects_matched()
np.testing.assert_allclose(generator(seed, training=False).numpy(), predictions, atol=1e-6)
assert int(generator_optimizer.iterations) == 4

# the first checkpoint holds the weights after the first epoch
checkpoint.restore(saved[0])
assert int(generator_optimizer.iterations) == 2
assert np.abs(generator(seed, training=False).numpy() - predictions).max() > 0

# a fresh generator restores from the same files (only its part of the checkpoint)
new_generator = make_generator_model()
tf.train.Checkpoint(generator=new_generator).restore(latest).expect_partial()
np.testing.assert_allclose(new_generator(seed, training=False).numpy(), predictions, atol=1e-6)
print("dcgan ok")
