# keras.io "Denoising Diffusion Probabilistic Model": the GaussianDiffusion utility (a linear
# beta schedule precomputed in NumPy and held as tf.constant, coefficients picked per sample
# with tf.gather and reshaped to broadcast), q_sample, the posterior q(x_{t-1} | x_t, x_0),
# p_sample with its nonzero mask at t = 0, and a DiffusionModel train_step that draws integer
# timesteps with tf.random.uniform and keeps an EMA network. Checked against the closed forms
# computed in NumPy, and one short fit.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(13)
rng = np.random.default_rng(13)
timesteps, dim = 20, 4


class GaussianDiffusion:
    def __init__(self, beta_start=1e-4, beta_end=0.2, timesteps=1000, clip_min=-1.0, clip_max=1.0):
        self.timesteps, self.clip_min, self.clip_max = timesteps, clip_min, clip_max
        self.betas = betas = np.linspace(beta_start, beta_end, timesteps, dtype=np.float64)
        alphas = 1.0 - betas
        alphas_cumprod = np.cumprod(alphas, axis=0)
        alphas_cumprod_prev = np.append(1.0, alphas_cumprod[:-1])
        self.alphas_cumprod = tf.constant(alphas_cumprod, dtype=tf.float32)
        self.sqrt_alphas_cumprod = tf.constant(np.sqrt(alphas_cumprod), dtype=tf.float32)
        self.sqrt_one_minus_alphas_cumprod = tf.constant(
            np.sqrt(1.0 - alphas_cumprod), dtype=tf.float32
        )
        self.sqrt_recip_alphas_cumprod = tf.constant(np.sqrt(1.0 / alphas_cumprod), tf.float32)
        self.sqrt_recipm1_alphas_cumprod = tf.constant(
            np.sqrt(1.0 / alphas_cumprod - 1), dtype=tf.float32
        )
        posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
        self.posterior_variance = tf.constant(posterior_variance, dtype=tf.float32)
        self.posterior_log_variance_clipped = tf.constant(
            np.log(np.maximum(posterior_variance, 1e-20)), dtype=tf.float32
        )
        self.posterior_mean_coef1 = tf.constant(
            betas * np.sqrt(alphas_cumprod_prev) / (1.0 - alphas_cumprod), dtype=tf.float32
        )
        self.posterior_mean_coef2 = tf.constant(
            (1.0 - alphas_cumprod_prev) * np.sqrt(alphas) / (1.0 - alphas_cumprod),
            dtype=tf.float32,
        )

    def _extract(self, a, t, x_shape):
        batch_size = x_shape[0]
        out = tf.gather(a, t)
        return tf.reshape(out, [batch_size, 1])

    def q_sample(self, x_start, t, noise):
        x_start_shape = tf.shape(x_start)
        return (
            self._extract(self.sqrt_alphas_cumprod, t, x_start_shape) * x_start
            + self._extract(self.sqrt_one_minus_alphas_cumprod, t, x_start_shape) * noise
        )

    def predict_start_from_noise(self, x_t, t, noise):
        x_t_shape = tf.shape(x_t)
        return (
            self._extract(self.sqrt_recip_alphas_cumprod, t, x_t_shape) * x_t
            - self._extract(self.sqrt_recipm1_alphas_cumprod, t, x_t_shape) * noise
        )

    def q_posterior(self, x_start, x_t, t):
        x_t_shape = tf.shape(x_t)
        posterior_mean = (
            self._extract(self.posterior_mean_coef1, t, x_t_shape) * x_start
            + self._extract(self.posterior_mean_coef2, t, x_t_shape) * x_t
        )
        posterior_variance = self._extract(self.posterior_variance, t, x_t_shape)
        log_variance = self._extract(self.posterior_log_variance_clipped, t, x_t_shape)
        return posterior_mean, posterior_variance, log_variance

    def p_mean_variance(self, pred_noise, x, t, clip_denoised=True):
        x_recon = self.predict_start_from_noise(x, t=t, noise=pred_noise)
        if clip_denoised:
            x_recon = tf.clip_by_value(x_recon, self.clip_min, self.clip_max)
        return self.q_posterior(x_start=x_recon, x_t=x, t=t)

    def p_sample(self, pred_noise, x, t, clip_denoised=True, seed=None):
        model_mean, _, model_log_variance = self.p_mean_variance(
            pred_noise, x=x, t=t, clip_denoised=clip_denoised
        )
        noise = tf.random.normal(shape=x.shape, dtype=x.dtype, seed=seed)
        nonzero_mask = tf.reshape(1 - tf.cast(tf.equal(t, 0), tf.float32), [tf.shape(x)[0], 1])
        return model_mean + nonzero_mask * tf.exp(0.5 * model_log_variance) * noise


gdf = GaussianDiffusion(timesteps=timesteps)
betas = gdf.betas
abar = np.cumprod(1 - betas)
x0 = rng.uniform(-1, 1, size=(5, dim)).astype("float32")
noise = rng.normal(size=(5, dim)).astype("float32")
t = tf.constant([0, 3, 7, 12, 19], dtype=tf.int64)
tn = t.numpy()

xt = gdf.q_sample(tf.constant(x0), t, tf.constant(noise)).numpy()
expected = np.sqrt(abar[tn])[:, None] * x0 + np.sqrt(1 - abar[tn])[:, None] * noise
np.testing.assert_allclose(xt, expected, rtol=1e-5, atol=1e-6)
# given the true noise, x_0 is recovered exactly
np.testing.assert_allclose(
    gdf.predict_start_from_noise(tf.constant(xt), t, tf.constant(noise)).numpy(), x0, atol=1e-4
)
# the posterior mean at t: a mix of x_0 and x_t; its variance is beta_tilde
mean, var, log_var = gdf.q_posterior(tf.constant(x0), tf.constant(xt), t)
abar_prev = np.append(1.0, abar[:-1])[tn]
coef1 = betas[tn] * np.sqrt(abar_prev) / (1 - abar[tn])
coef2 = (1 - abar_prev) * np.sqrt(1 - betas[tn]) / (1 - abar[tn])
np.testing.assert_allclose(
    mean.numpy(), coef1[:, None] * x0 + coef2[:, None] * xt, rtol=1e-4, atol=1e-6
)
np.testing.assert_allclose(
    var.numpy()[:, 0], betas[tn] * (1 - abar_prev) / (1 - abar[tn]), rtol=1e-5
)
assert var.numpy()[0, 0] == 0.0 and np.isfinite(log_var.numpy()).all()
# at t = 0 the sample is the posterior mean: no noise is added
sample = gdf.p_sample(tf.constant(noise), tf.constant(xt), t, seed=3).numpy()
pm = gdf.p_mean_variance(tf.constant(noise), tf.constant(xt), t)[0].numpy()
np.testing.assert_allclose(sample[0], pm[0], rtol=1e-6)
assert np.abs(sample[1:] - pm[1:]).max() > 1e-4


class DiffusionModel(keras.Model):
    def __init__(self, network, ema_network, timesteps, gdf_util, ema=0.9):
        super().__init__()
        self.network, self.ema_network = network, ema_network
        self.timesteps, self.gdf_util, self.ema = timesteps, gdf_util, ema
        self.noise_loss_tracker = keras.metrics.Mean(name="noise_loss")

    @property
    def metrics(self):
        return [self.noise_loss_tracker]

    def train_step(self, images):
        batch_size = tf.shape(images)[0]
        t = tf.random.uniform(minval=0, maxval=self.timesteps, shape=(batch_size,), dtype=tf.int64)
        with tf.GradientTape() as tape:
            noise = tf.random.normal(shape=tf.shape(images), dtype=images.dtype)
            images_t = self.gdf_util.q_sample(images, t, noise)
            t_feature = tf.cast(tf.reshape(t, (-1, 1)), tf.float32) / self.timesteps
            pred_noise = self.network(tf.concat([images_t, t_feature], axis=1), training=True)
            loss = self.loss(noise, pred_noise)
        gradients = tape.gradient(loss, self.network.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.network.trainable_weights))
        for weight, ema_weight in zip(self.network.weights, self.ema_network.weights):
            ema_weight.assign(self.ema * ema_weight + (1 - self.ema) * weight)
        self.noise_loss_tracker.update_state(loss)
        return {"noise_loss": self.noise_loss_tracker.result()}


def build_network():
    return keras.Sequential(
        [keras.Input((dim + 1,)), layers.Dense(32, activation="swish"), layers.Dense(dim)]
    )


network, ema_network = build_network(), build_network()
ema_network.set_weights(network.get_weights())
model = DiffusionModel(network, ema_network, timesteps, gdf)
model.compile(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.Adam(1e-2))
data = np.tile(np.array([[0.5, -0.5, 0.25, 0.0]], "float32"), (64, 1))
history = model.fit(data, batch_size=16, epochs=10, verbose=0)
losses = history.history["noise_loss"]
assert len(losses) == 10 and np.all(np.isfinite(losses))
assert np.mean(losses[-3:]) < 0.8 * np.mean(losses[:2]), losses
# EMA: weights between the initial ones and the trained ones, not equal to the latter
diffs = [np.abs(a - b).max() for a, b in zip(network.get_weights(), ema_network.get_weights())]
assert max(diffs) > 1e-5
print("ok")
