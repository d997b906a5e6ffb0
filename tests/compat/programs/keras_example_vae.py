# keras.io "Variational AutoEncoder" (Keras 3 version), on small synthetic images: a
# Sampling layer with a keras.random.SeedGenerator, encoder / decoder functional models,
# a VAE keras.Model with a custom train_step (GradientTape, binary cross-entropy
# reconstruction summed over pixels plus the KL term), Mean trackers listed in the
# `metrics` property so that they reset each epoch.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(15)
rng = np.random.default_rng(15)
side, latent_dim = 8, 2


class Sampling(layers.Layer):
    """Uses (z_mean, z_log_var) to sample z, the vector encoding a digit."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = tf.shape(z_mean)[0]
        dim = tf.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon


encoder_inputs = keras.Input(shape=(side, side, 1))
x = layers.Conv2D(8, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
x = layers.Flatten()(x)
x = layers.Dense(16, activation="relu")(x)
z_mean = layers.Dense(latent_dim, name="z_mean")(x)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")
assert [tuple(t.shape) for t in encoder.outputs] == [(None, 2)] * 3

latent_inputs = keras.Input(shape=(latent_dim,))
x = layers.Dense(4 * 4 * 8, activation="relu")(latent_inputs)
x = layers.Reshape((4, 4, 8))(x)
x = layers.Conv2DTranspose(8, 3, activation="relu", strides=2, padding="same")(x)
decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")
assert decoder.output_shape == (None, side, side, 1)


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            reconstruction_loss = tf.reduce_mean(
                tf.reduce_sum(keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2))
            )
            kl_loss = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
            kl_loss = tf.reduce_mean(tf.reduce_sum(kl_loss, axis=1))
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return {
            "loss": self.total_loss_tracker.result(),
            "reconstruction_loss": self.reconstruction_loss_tracker.result(),
            "kl_loss": self.kl_loss_tracker.result(),
        }


# two kinds of images: a bright square at top-left or bottom-right, in [0, 1]
kinds = rng.integers(0, 2, 512)
images = rng.random((512, side, side, 1)).astype("float32") * 0.2
images[kinds == 0, :4, :4] += 0.75
images[kinds == 1, 4:, 4:] += 0.75
assert images.max() <= 1.0

# binary_crossentropy reduces the last axis only: (batch, 8, 8) per-pixel values here
bce = keras.losses.binary_crossentropy(images[:2], np.full((2, side, side, 1), 0.5, "float32"))
assert bce.shape == (2, side, side)

vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam(0.005))
history = vae.fit(images, epochs=12, batch_size=64, verbose=0)
hist = history.history
assert set(hist) == {"loss", "reconstruction_loss", "kl_loss"}, hist
assert hist["loss"][-1] < hist["loss"][0], hist
np.testing.assert_allclose(
    np.array(hist["loss"]),
    np.array(hist["reconstruction_loss"]) + np.array(hist["kl_loss"]),
    rtol=1e-4,
)
assert all(value >= 0 for value in hist["kl_loss"])
# the trackers reset every epoch: the last epoch's mean is below the first's
assert hist["reconstruction_loss"][-1] < hist["reconstruction_loss"][0]

# the two kinds separate in the latent means; decoding them gives the right squares
z_means = encoder.predict(images, verbose=0)[0]
centers = [z_means[kinds == k].mean(axis=0) for k in (0, 1)]
assert np.linalg.norm(centers[0] - centers[1]) > 1.0, centers
decoded = decoder.predict(np.stack(centers), verbose=0)
assert decoded[0, :4, :4].mean() > decoded[0, 4:, 4:].mean() + 0.3
assert decoded[1, 4:, 4:].mean() > decoded[1, :4, :4].mean() + 0.3
# sampling: z varies around z_mean with the encoded spread
_, _, z1 = encoder(images[:4])
_, _, z2 = encoder(images[:4])
assert not np.allclose(z1.numpy(), z2.numpy())
print("final losses", {k: round(v[-1], 3) for k, v in hist.items()})
