# Saving the custom models of the generative examples: an endpoint layer that calls
# add_loss and returns predictions (fit without targets), a VAE keras.Model subclass with a
# Sampling layer, a custom train_step and get_config / from_config, and a VQ layer whose
# codebook is a weight -- each registered with keras.saving.register_keras_serializable,
# written with model.save("*.keras") and read back with keras.models.load_model. Checked:
# same outputs, same weights, the compiled state comes back, and training continues.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)


@keras.saving.register_keras_serializable(package="kxg")
class LogisticEndpoint(layers.Layer):
    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, targets, logits, sample_weights=None):
        loss = self.loss_fn(targets, logits, sample_weights)
        self.add_loss(loss)
        return tf.nn.sigmoid(logits)


inputs = keras.Input(shape=(3,), name="inputs")
targets = keras.Input(shape=(2,), name="targets")
logits = layers.Dense(2)(inputs)
predictions = LogisticEndpoint(name="predictions")(targets, logits)
endpoint_model = keras.Model(inputs=[inputs, targets], outputs=predictions)
endpoint_model.compile(optimizer=keras.optimizers.Adam(0.05))
data = {
    "inputs": rng.normal(size=(32, 3)).astype("float32"),
    "targets": rng.integers(0, 2, size=(32, 2)).astype("float32"),
}
history = endpoint_model.fit(data, epochs=3, batch_size=8, verbose=0)
assert list(history.history) == ["loss"]
endpoint_model.save("endpoint.keras")
restored = keras.models.load_model("endpoint.keras")
assert isinstance(restored.get_layer("predictions"), LogisticEndpoint)
np.testing.assert_allclose(
    restored.predict(data, verbose=0), endpoint_model.predict(data, verbose=0), rtol=1e-6
)
np.testing.assert_allclose(
    restored.evaluate(data, batch_size=32, verbose=0),
    endpoint_model.evaluate(data, batch_size=32, verbose=0),
    rtol=1e-5,
)
assert int(restored.optimizer.iterations.numpy()) == 12
restored.fit(data, epochs=1, batch_size=8, verbose=0)
assert int(restored.optimizer.iterations.numpy()) == 16


@keras.saving.register_keras_serializable(package="kxg")
class Sampling(layers.Layer):
    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(tf.shape(z_mean), seed=self.seed_generator)
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="kxg")
class VAE(keras.Model):
    def __init__(self, original_dim, latent_dim=2, **kwargs):
        super().__init__(**kwargs)
        self.original_dim, self.latent_dim = original_dim, latent_dim
        self.hidden = layers.Dense(8, activation="relu")
        self.z_mean = layers.Dense(latent_dim)
        self.z_log_var = layers.Dense(latent_dim)
        self.sampling = Sampling(seed=3)
        self.decoder_hidden = layers.Dense(8, activation="relu")
        self.decoder_out = layers.Dense(original_dim, activation="sigmoid")
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.kl_loss_tracker]

    def encode(self, x):
        h = self.hidden(x)
        return self.z_mean(h), self.z_log_var(h)

    def decode(self, z):
        return self.decoder_out(self.decoder_hidden(z))

    def call(self, x):
        z_mean, _ = self.encode(x)
        return self.decode(z_mean)  # deterministic reconstruction

    def train_step(self, data):
        with tf.GradientTape() as tape:
            z_mean, z_log_var = self.encode(data)
            z = self.sampling([z_mean, z_log_var])
            reconstruction = self.decode(z)
            rec = tf.reduce_mean(
                tf.reduce_sum(
                    keras.losses.binary_crossentropy(data[..., None], reconstruction[..., None]),
                    axis=1,
                )
            )
            kl = -0.5 * (1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var))
            kl = tf.reduce_mean(tf.reduce_sum(kl, axis=1))
            total = rec + kl
        grads = tape.gradient(total, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total)
        self.kl_loss_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}

    def get_config(self):
        return {
            **super().get_config(),
            "original_dim": self.original_dim,
            "latent_dim": self.latent_dim,
        }


x = (rng.uniform(size=(64, 6)) > 0.5).astype("float32")
vae = VAE(6, latent_dim=2)
vae.compile(optimizer=keras.optimizers.Adam(0.01))
hist = vae.fit(x, epochs=4, batch_size=16, verbose=0)
assert set(hist.history) == {"total_loss", "kl_loss"}
config = vae.get_config()
assert config["original_dim"] == 6 and config["latent_dim"] == 2
vae(x[:1])  # train_step never called the model itself: build it before saving, as Keras asks
vae.save("vae.keras")
vae2 = keras.models.load_model("vae.keras")
assert type(vae2) is VAE and vae2.latent_dim == 2
assert vae2.sampling.seed == 3
np.testing.assert_allclose(
    vae2.predict(x, verbose=0), vae.predict(x, verbose=0), rtol=1e-5, atol=1e-6
)
assert len(vae2.trainable_weights) == len(vae.trainable_weights) == 10
for a, b in zip(vae.get_weights(), vae2.get_weights()):
    np.testing.assert_array_equal(a, b)
hist2 = vae2.fit(x, epochs=1, batch_size=16, verbose=0)
assert np.isfinite(hist2.history["total_loss"][0])
assert int(vae2.optimizer.iterations.numpy()) == 4 * 4 + 4

# from_config alone: a fresh VAE of the same shape, built on first call
clone = VAE.from_config(config)
assert clone(x[:2]).shape == (2, 6)


@keras.saving.register_keras_serializable(package="kxg")
class VectorQuantizer(layers.Layer):
    def __init__(self, num_embeddings, embedding_dim, beta=0.25, **kwargs):
        super().__init__(**kwargs)
        self.num_embeddings, self.embedding_dim, self.beta = num_embeddings, embedding_dim, beta
        self.embeddings = self.add_weight(
            shape=(embedding_dim, num_embeddings),
            initializer="random_uniform",
            trainable=True,
            name="embeddings_vqvae",
        )

    def call(self, x):
        flattened = tf.reshape(x, [-1, self.embedding_dim])
        distances = (
            tf.reduce_sum(flattened**2, axis=1, keepdims=True)
            + tf.reduce_sum(self.embeddings**2, axis=0)
            - 2 * tf.matmul(flattened, self.embeddings)
        )
        indices = tf.argmin(distances, axis=1)
        quantized = tf.matmul(
            tf.one_hot(indices, self.num_embeddings), self.embeddings, transpose_b=True
        )
        quantized = tf.reshape(quantized, tf.shape(x))
        commitment = tf.reduce_mean((tf.stop_gradient(quantized) - x) ** 2)
        codebook = tf.reduce_mean((quantized - tf.stop_gradient(x)) ** 2)
        self.add_loss(self.beta * commitment + codebook)
        return x + tf.stop_gradient(quantized - x)  # straight-through estimator

    def get_config(self):
        return {
            **super().get_config(),
            "num_embeddings": self.num_embeddings,
            "embedding_dim": self.embedding_dim,
            "beta": self.beta,
        }


vq_in = keras.Input(shape=(4, 3))
encoded = layers.Dense(3)(vq_in)
quantized = VectorQuantizer(5, 3, name="vq")(encoded)
vq_model = keras.Model(vq_in, layers.Dense(3)(quantized))
vq_model.compile(optimizer="adam", loss="mse")
xv = rng.normal(size=(16, 4, 3)).astype("float32")
vq_model.fit(xv, xv, epochs=2, batch_size=8, verbose=0)
vq_model.save("vq.keras")
vq2 = keras.models.load_model("vq.keras")
np.testing.assert_allclose(
    vq2.predict(xv, verbose=0), vq_model.predict(xv, verbose=0), rtol=1e-5, atol=1e-6
)
np.testing.assert_array_equal(
    vq2.get_layer("vq").embeddings.numpy(), vq_model.get_layer("vq").embeddings.numpy()
)
assert vq2.get_layer("vq").beta == 0.25
# the straight-through estimator: the encoder gets the decoder's gradient unchanged
probe = tf.constant(xv[:2, :, :])
with tf.GradientTape() as tape:
    h = vq2.layers[1](probe)
    tape.watch(h)
    out = vq2.get_layer("vq")(h)
    s = tf.reduce_sum(out * 3.0)
np.testing.assert_allclose(tape.gradient(s, h).numpy(), np.full((2, 4, 3), 3.0))
print("ok")
