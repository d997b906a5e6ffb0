# keras.io "Denoising Diffusion Implicit Models", shrunk to 4x4 images: a continuous cosine
# diffusion schedule, sinusoidal noise-variance embeddings, a keras.Model with a
# Normalization layer adapted to the data, a denoising network and an EMA copy of it
# (keras.models.clone_model), a train_step that predicts the noise added at random diffusion
# times and tracks noise / image losses in keras.metrics.Mean, DDIM reverse diffusion, and a
# predict_step that samples from the noise given to predict().
import math

import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(2)
tf.random.set_seed(2)
rng = np.random.default_rng(2)
size, batch_size, ema = 4, 16, 0.9
min_signal_rate, max_signal_rate = 0.02, 0.95
embedding_dims, embedding_max_frequency = 8, 1000.0

# the images: one bright diagonal, slightly jittered
base = np.eye(size, dtype="float32")[..., None]
images = (base + 0.05 * rng.normal(size=(128, size, size, 1))).astype("float32")


@keras.saving.register_keras_serializable()
def sinusoidal_embedding(x):
    embedding_min_frequency = 1.0
    frequencies = tf.exp(
        tf.linspace(
            tf.math.log(embedding_min_frequency),
            tf.math.log(embedding_max_frequency),
            embedding_dims // 2,
        )
    )
    angular_speeds = 2.0 * math.pi * frequencies
    return tf.concat([tf.sin(angular_speeds * x), tf.cos(angular_speeds * x)], axis=3)


def get_network():
    noisy_images = keras.Input(shape=(size, size, 1))
    noise_variances = keras.Input(shape=(1, 1, 1))
    e = layers.Lambda(sinusoidal_embedding, output_shape=(1, 1, embedding_dims))(noise_variances)
    e = layers.UpSampling2D(size=size, interpolation="nearest")(e)
    x = layers.Conv2D(8, kernel_size=1)(noisy_images)
    x = layers.Concatenate()([x, e])
    x = layers.Conv2D(16, kernel_size=3, padding="same", activation="swish")(x)
    x = layers.Conv2D(16, kernel_size=3, padding="same", activation="swish")(x)
    x = layers.Conv2D(1, kernel_size=1, kernel_initializer="zeros")(x)
    return keras.Model([noisy_images, noise_variances], x, name="residual_unet")


class DiffusionModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.normalizer = layers.Normalization()
        self.network = get_network()
        self.ema_network = keras.models.clone_model(self.network)

    def compile(self, **kwargs):
        super().compile(**kwargs)
        self.noise_loss_tracker = keras.metrics.Mean(name="n_loss")
        self.image_loss_tracker = keras.metrics.Mean(name="i_loss")

    @property
    def metrics(self):
        return [self.noise_loss_tracker, self.image_loss_tracker]

    def denormalize(self, images):
        images = self.normalizer.mean + images * self.normalizer.variance**0.5
        return tf.clip_by_value(images, -1.0, 2.0)

    def diffusion_schedule(self, diffusion_times):
        start_angle = tf.cast(tf.acos(max_signal_rate), "float32")
        end_angle = tf.cast(tf.acos(min_signal_rate), "float32")
        diffusion_angles = start_angle + diffusion_times * (end_angle - start_angle)
        return tf.sin(diffusion_angles), tf.cos(diffusion_angles)  # noise, signal rates

    def denoise(self, noisy_images, noise_rates, signal_rates, training):
        network = self.network if training else self.ema_network
        pred_noises = network([noisy_images, noise_rates**2], training=training)
        pred_images = (noisy_images - noise_rates * pred_noises) / signal_rates
        return pred_noises, pred_images

    def reverse_diffusion(self, initial_noise, diffusion_steps):
        num_images = tf.shape(initial_noise)[0]
        step_size = 1.0 / diffusion_steps
        next_noisy_images = initial_noise
        for step in range(diffusion_steps):
            noisy_images = next_noisy_images
            diffusion_times = tf.ones((num_images, 1, 1, 1)) - step * step_size
            noise_rates, signal_rates = self.diffusion_schedule(diffusion_times)
            pred_noises, pred_images = self.denoise(
                noisy_images, noise_rates, signal_rates, training=False
            )
            next_diffusion_times = diffusion_times - step_size
            next_noise_rates, next_signal_rates = self.diffusion_schedule(next_diffusion_times)
            next_noisy_images = next_signal_rates * pred_images + next_noise_rates * pred_noises
        return pred_images

    def generate(self, num_images, diffusion_steps):
        initial_noise = tf.random.normal(shape=(num_images, size, size, 1), seed=9)
        return self.denormalize(self.reverse_diffusion(initial_noise, diffusion_steps))

    def predict_step(self, data):
        # model.predict(initial_noise) runs the DDIM sampler batch by batch
        initial_noise = keras.utils.unpack_x_y_sample_weight(data)[0]
        return self.denormalize(self.reverse_diffusion(initial_noise, 10))

    def train_step(self, images):
        images = self.normalizer(images, training=True)
        noises = tf.random.normal(shape=(batch_size, size, size, 1))
        diffusion_times = tf.random.uniform(shape=(batch_size, 1, 1, 1), minval=0.0, maxval=1.0)
        noise_rates, signal_rates = self.diffusion_schedule(diffusion_times)
        noisy_images = signal_rates * images + noise_rates * noises
        with tf.GradientTape() as tape:
            pred_noises, pred_images = self.denoise(
                noisy_images, noise_rates, signal_rates, training=True
            )
            noise_loss = self.loss(noises, pred_noises)
            image_loss = self.loss(images, pred_images)
        gradients = tape.gradient(noise_loss, self.network.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.network.trainable_weights))
        self.noise_loss_tracker.update_state(noise_loss)
        self.image_loss_tracker.update_state(image_loss)
        for weight, ema_weight in zip(self.network.weights, self.ema_network.weights):
            ema_weight.assign(ema * ema_weight + (1 - ema) * weight)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, images):
        images = self.normalizer(images, training=False)
        noises = tf.random.normal(shape=(batch_size, size, size, 1), seed=4)
        diffusion_times = tf.fill((batch_size, 1, 1, 1), 0.5)
        noise_rates, signal_rates = self.diffusion_schedule(diffusion_times)
        noisy_images = signal_rates * images + noise_rates * noises
        pred_noises, pred_images = self.denoise(
            noisy_images, noise_rates, signal_rates, training=False
        )
        self.noise_loss_tracker.update_state(self.loss(noises, pred_noises))
        self.image_loss_tracker.update_state(self.loss(images, pred_images))
        return {m.name: m.result() for m in self.metrics}


model = DiffusionModel()

# the schedule: rates on the unit circle, from max_signal_rate at t=0 to min at t=1
noise_rates, signal_rates = model.diffusion_schedule(tf.constant([0.0, 0.5, 1.0]))
np.testing.assert_allclose(noise_rates.numpy() ** 2 + signal_rates.numpy() ** 2, 1.0, rtol=1e-6)
np.testing.assert_allclose(signal_rates.numpy()[[0, 2]], [0.95, 0.02], rtol=1e-5)
assert np.all(np.diff(signal_rates.numpy()) < 0)

# the embedding: sin then cos of 4 frequencies, for each noise variance
emb = sinusoidal_embedding(tf.constant([[[[0.0]]], [[[0.25]]]]))
assert emb.shape == (2, 1, 1, embedding_dims)
np.testing.assert_allclose(emb.numpy()[0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1], atol=1e-6)

# clone_model: same architecture, fresh (separate) weights
assert len(model.network.weights) == len(model.ema_network.weights)
assert model.network.weights[0] is not model.ema_network.weights[0]

model.normalizer.adapt(images)
np.testing.assert_allclose(float(np.mean(model.normalizer.mean)), images.mean(), atol=1e-5)
model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=3e-3, weight_decay=1e-4),
    loss=keras.losses.mean_absolute_error,
)
first = model.evaluate(images, batch_size=batch_size, verbose=0, return_dict=True)
assert set(first) == {"n_loss", "i_loss"}
# the EMA network starts from its own initialisation, so copy the network into it once
for weight, ema_weight in zip(model.network.weights, model.ema_network.weights):
    ema_weight.assign(weight)
history = model.fit(images, batch_size=batch_size, epochs=15, verbose=0)
assert len(history.history["n_loss"]) == 15
last = model.evaluate(images, batch_size=batch_size, verbose=0, return_dict=True)
assert last["n_loss"] < 0.75 * first["n_loss"], (first, last)

# the EMA weights trail the trained ones: close, but not equal
trained = model.network.get_weights()
averaged = model.ema_network.get_weights()
assert any(np.abs(a - b).max() > 1e-6 for a, b in zip(trained, averaged))

# DDIM sampling with the EMA network gives images near the diagonal pattern
generated = model.generate(num_images=32, diffusion_steps=10)
assert generated.shape == (32, size, size, 1)
assert np.all(np.isfinite(generated.numpy()))
mean_image = generated.numpy().mean(0)[..., 0]
contrast = np.diag(mean_image).mean() - mean_image[~np.eye(size, dtype=bool)].mean()
assert contrast > 0.1, mean_image

# predict() runs predict_step (compiled) over batches: the same images as an eager call
noise = tf.random.normal((20, size, size, 1), seed=12)
predicted = model.predict(noise, batch_size=8, verbose=0)
assert predicted.shape == (20, size, size, 1)
eager = model.denormalize(model.reverse_diffusion(noise, 10)).numpy()
np.testing.assert_allclose(predicted, eager, rtol=1e-4, atol=1e-4)
print("ok")
