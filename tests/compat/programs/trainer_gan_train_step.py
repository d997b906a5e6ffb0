"""Keras guide "Customizing what happens in fit": a small GAN whose train_step takes the
batch size from tf.shape, draws latent vectors with a SeedGenerator and updates two models
with two optimizers."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(3)
latent_dim = 8
discriminator = keras.Sequential(
    [
        keras.Input(shape=(6,)),
        layers.Dense(16),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Dense(1),
    ],
    name="discriminator",
)
generator = keras.Sequential(
    [keras.Input(shape=(latent_dim,)), layers.Dense(16, activation="relu"), layers.Dense(6)],
    name="generator",
)


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.seed_generator = keras.random.SeedGenerator(1337)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, real):
        batch_size = tf.shape(real)[0]
        z = keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        fake = self.generator(z)
        combined = tf.concat([fake, real], axis=0)
        labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        z = keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            g_loss = self.loss_fn(tf.zeros((batch_size, 1)), self.discriminator(self.generator(z)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


gan = GAN(discriminator, generator, latent_dim)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    g_optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
real = np.random.default_rng(0).normal(2.0, 0.5, size=(96, 6)).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices(real).batch(32)
g_before = [w.numpy().copy() for w in generator.trainable_weights]
d_before = [w.numpy().copy() for w in discriminator.trainable_weights]
history = gan.fit(dataset, epochs=3, verbose=0)

assert sorted(history.history) == ["d_loss", "g_loss"]
assert len(history.history["d_loss"]) == 3
assert all(np.isfinite(history.history["d_loss"])) and all(np.isfinite(history.history["g_loss"]))
# both models were updated by their own optimizers
assert all(not np.allclose(a, w.numpy()) for a, w in zip(g_before, generator.trainable_weights))
assert all(not np.allclose(a, w.numpy()) for a, w in zip(d_before, discriminator.trainable_weights))
assert int(gan.d_optimizer.iterations.numpy()) == 9 and int(gan.g_optimizer.iterations.numpy()) == 9
# each step drew fresh latent vectors: the generator's outputs vary with z
samples = generator(keras.random.normal((4, latent_dim), seed=1)).numpy()
assert samples.shape == (4, 6) and np.std(samples, axis=0).min() > 0
print("gan ok", history.history["d_loss"][-1], history.history["g_loss"][-1])
