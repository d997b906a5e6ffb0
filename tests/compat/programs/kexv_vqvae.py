# keras.io "Vector-Quantized Variational Autoencoders": a VectorQuantizer layer holding a
# codebook weight, nearest-code lookup by squared distances (tf.argmin + tf.one_hot +
# matmul), commitment and codebook losses added with add_loss (tf.stop_gradient on either
# side), the straight-through estimator x + stop_gradient(q - x), and a VQVAETrainer model
# with its own train_step and Mean trackers. Synthetic 8x8 images of random bars.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(47)
rng = np.random.default_rng(47)
S = 8


class VectorQuantizer(layers.Layer):
    def __init__(self, num_embeddings, embedding_dim, beta=0.25, **kwargs):
        super().__init__(**kwargs)
        self.embedding_dim = embedding_dim
        self.num_embeddings = num_embeddings
        self.beta = beta
        # add_weight, not a bare tf.Variable: Keras 3 layers track only Keras variables
        self.embeddings = self.add_weight(
            shape=(self.embedding_dim, self.num_embeddings),
            initializer=keras.initializers.RandomUniform(),
            trainable=True,
            name="embeddings_vqvae",
        )

    def call(self, x):
        input_shape = tf.shape(x)
        flattened = tf.reshape(x, [-1, self.embedding_dim])
        encoding_indices = self.get_code_indices(flattened)
        encodings = tf.one_hot(encoding_indices, self.num_embeddings)
        quantized = tf.matmul(encodings, self.embeddings, transpose_b=True)
        quantized = tf.reshape(quantized, input_shape)
        commitment_loss = tf.reduce_mean((tf.stop_gradient(quantized) - x) ** 2)
        codebook_loss = tf.reduce_mean((quantized - tf.stop_gradient(x)) ** 2)
        self.add_loss(self.beta * commitment_loss + codebook_loss)
        quantized = x + tf.stop_gradient(quantized - x)
        return quantized

    def get_code_indices(self, flattened_inputs):
        similarity = tf.matmul(flattened_inputs, self.embeddings)
        distances = (
            tf.reduce_sum(flattened_inputs**2, axis=1, keepdims=True)
            + tf.reduce_sum(self.embeddings**2, axis=0)
            - 2 * similarity
        )
        return tf.argmin(distances, axis=1)


# quantizing a code vector itself gives that vector; the straight-through gradient is 1
vq = VectorQuantizer(5, 3)
codes = tf.transpose(vq.embeddings)[None, None]  # (1, 1, 5, 3)
np.testing.assert_allclose(vq(codes).numpy(), codes.numpy(), atol=1e-6)
np.testing.assert_array_equal(
    vq.get_code_indices(tf.transpose(vq.embeddings)).numpy(), np.arange(5)
)
probe = tf.constant(rng.normal(size=(2, 2, 2, 3)).astype("float32"))
with tf.GradientTape() as tape:
    tape.watch(probe)
    out = tf.reduce_sum(vq(probe) * 3.0)
np.testing.assert_allclose(tape.gradient(out, probe).numpy(), 3.0)
assert len(vq.losses) == 1 and len(vq.trainable_weights) == 1


def get_vqvae(latent_dim=4, num_embeddings=16):
    vq_layer = VectorQuantizer(num_embeddings, latent_dim, name="vector_quantizer")
    encoder = keras.Sequential(
        [
            keras.Input(shape=(S, S, 1)),
            layers.Conv2D(16, 3, activation="relu", strides=2, padding="same"),
            layers.Conv2D(latent_dim, 1, padding="same"),
        ],
        name="encoder",
    )
    decoder = keras.Sequential(
        [
            keras.Input(shape=(S // 2, S // 2, latent_dim)),
            layers.Conv2DTranspose(16, 3, activation="relu", strides=2, padding="same"),
            layers.Conv2DTranspose(1, 3, padding="same"),
        ],
        name="decoder",
    )
    inputs = keras.Input(shape=(S, S, 1))
    encoder_outputs = encoder(inputs)
    quantized_latents = vq_layer(encoder_outputs)
    reconstructions = decoder(quantized_latents)
    return keras.Model(inputs, reconstructions, name="vq_vae")


class VQVAETrainer(keras.models.Model):
    def __init__(self, train_variance, latent_dim=4, num_embeddings=16, **kwargs):
        super().__init__(**kwargs)
        self.train_variance = train_variance
        self.vqvae = get_vqvae(latent_dim, num_embeddings)
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.vq_loss_tracker = keras.metrics.Mean(name="vq_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.vq_loss_tracker]

    def train_step(self, x):
        with tf.GradientTape() as tape:
            reconstructions = self.vqvae(x)
            reconstruction_loss = tf.reduce_mean((x - reconstructions) ** 2) / self.train_variance
            total_loss = reconstruction_loss + sum(self.vqvae.losses)
        grads = tape.gradient(total_loss, self.vqvae.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.vqvae.trainable_variables))
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.vq_loss_tracker.update_state(sum(self.vqvae.losses))
        return {
            "loss": self.total_loss_tracker.result(),
            "reconstruction_loss": self.reconstruction_loss_tracker.result(),
            "vqvae_loss": self.vq_loss_tracker.result(),
        }


x = np.zeros((512, S, S, 1), "float32")
for i in range(512):
    k = rng.integers(0, S)
    if rng.random() < 0.5:
        x[i, k, :, 0] = 1.0
    else:
        x[i, :, k, 0] = 1.0
x_train_scaled = x - 0.5
data_variance = float(np.var(x))

vqvae_trainer = VQVAETrainer(data_variance, latent_dim=4, num_embeddings=16)
vqvae_trainer.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003))
history = vqvae_trainer.fit(x_train_scaled, epochs=12, batch_size=64, verbose=0)
assert set(history.history) == {"loss", "reconstruction_loss", "vqvae_loss"}
rec = history.history["reconstruction_loss"]
print("reconstruction loss", rec[0], "->", rec[-1])
assert rec[-1] < 0.5 * rec[0], history.history

trained_vqvae_model = vqvae_trainer.vqvae
reconstructions_test = trained_vqvae_model.predict(x_train_scaled[:64], verbose=0)
mse = float(np.mean((reconstructions_test - x_train_scaled[:64]) ** 2))
assert mse < 0.5 * data_variance, (mse, data_variance)

encoder = trained_vqvae_model.get_layer("encoder")
quantizer = trained_vqvae_model.get_layer("vector_quantizer")
encoded_outputs = encoder.predict(x_train_scaled[:64], verbose=0)
assert encoded_outputs.shape == (64, S // 2, S // 2, 4)
flat_enc_outputs = encoded_outputs.reshape(-1, encoded_outputs.shape[-1])
codebook_indices = quantizer.get_code_indices(flat_enc_outputs)
codebook_indices = codebook_indices.numpy().reshape(encoded_outputs.shape[:-1])
assert codebook_indices.dtype == np.int64
assert codebook_indices.min() >= 0 and codebook_indices.max() < 16
assert len(np.unique(codebook_indices)) >= 2  # the codebook is in use
