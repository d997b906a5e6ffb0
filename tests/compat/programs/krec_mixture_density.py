# keras.io "Approximating non-Function Mappings with Mixture Density Networks", small: a
# MixtureDensityOutput layer (Dense heads for the means, the ELU+1+epsilon scales and the
# mixture logits, concatenated), a negative log-likelihood loss for a Gaussian mixture
# written with tf ops (split, logsumexp), trained on a two-valued mapping (y = +-sqrt(x))
# where plain regression can only predict the average; sampling from the predicted
# mixture recovers both branches.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(67)
rng = np.random.default_rng(67)

N_SAMPLES, OUTPUT_DIMS, N_MIXES = 1200, 1, 3
x_data = rng.uniform(0.1, 1.0, size=(N_SAMPLES, 1)).astype("float32")
sign = rng.choice([-1.0, 1.0], size=(N_SAMPLES, 1))
y_data = (sign * np.sqrt(x_data) + rng.normal(0, 0.05, size=(N_SAMPLES, 1))).astype("float32")


def elu_plus_one_plus_epsilon(x):
    return keras.activations.elu(x) + 1 + keras.backend.epsilon()


class MixtureDensityOutput(layers.Layer):
    def __init__(self, output_dimension, num_mixtures, **kwargs):
        super().__init__(**kwargs)
        self.output_dim = output_dimension
        self.num_mix = num_mixtures
        self.mdn_mus = layers.Dense(self.num_mix * self.output_dim, name="mdn_mus")
        self.mdn_sigmas = layers.Dense(
            self.num_mix * self.output_dim,
            activation=elu_plus_one_plus_epsilon,
            name="mdn_sigmas",
        )
        self.mdn_pi = layers.Dense(self.num_mix, name="mdn_pi")

    def build(self, input_shape):
        self.mdn_mus.build(input_shape)
        self.mdn_sigmas.build(input_shape)
        self.mdn_pi.build(input_shape)
        super().build(input_shape)

    @property
    def trainable_weights(self):
        return (
            self.mdn_mus.trainable_weights
            + self.mdn_sigmas.trainable_weights
            + self.mdn_pi.trainable_weights
        )

    def call(self, x, mask=None):
        return layers.concatenate(
            [self.mdn_mus(x), self.mdn_sigmas(x), self.mdn_pi(x)], name="mdn_outputs"
        )


def get_mixture_loss_func(output_dim, num_mixes):
    def mdn_loss_func(y_true, y_pred):
        y_pred = tf.reshape(y_pred, [-1, (2 * num_mixes * output_dim) + num_mixes])
        y_true = tf.reshape(y_true, [-1, output_dim])
        out_mu, out_sigma, out_pi = tf.split(
            y_pred,
            num_or_size_splits=[num_mixes * output_dim, num_mixes * output_dim, num_mixes],
            axis=-1,
        )
        mus = tf.reshape(out_mu, [-1, num_mixes, output_dim])
        sigs = tf.reshape(out_sigma, [-1, num_mixes, output_dim])
        z = (tf.expand_dims(y_true, 1) - mus) / sigs
        comp_log_prob = tf.reduce_sum(
            -0.5 * tf.square(z) - tf.math.log(sigs) - 0.5 * np.log(2 * np.pi), axis=-1
        )
        log_mix = tf.nn.log_softmax(out_pi, axis=-1)
        return -tf.reduce_mean(tf.reduce_logsumexp(log_mix + comp_log_prob, axis=-1))

    return mdn_loss_func


mdn_network = keras.Sequential(
    [
        keras.Input((1,)),
        layers.Dense(24, activation="relu"),
        layers.Dense(24, activation="relu"),
        MixtureDensityOutput(OUTPUT_DIMS, N_MIXES),
    ]
)
assert mdn_network.output_shape == (None, 2 * N_MIXES * OUTPUT_DIMS + N_MIXES)
assert len(mdn_network.layers[-1].trainable_weights) == 6

# the loss of one known mixture against NumPy
loss_fn = get_mixture_loss_func(OUTPUT_DIMS, N_MIXES)
pred = np.array([[0.0, 1.0, -1.0, 0.5, 1.0, 2.0, 0.1, 0.2, 0.7]], "float32")
y0 = 0.3
pis = np.exp(pred[0, 6:]) / np.exp(pred[0, 6:]).sum()
dens = (
    pis
    * np.exp(-0.5 * ((y0 - pred[0, :3]) / pred[0, 3:6]) ** 2)
    / (pred[0, 3:6] * np.sqrt(2 * np.pi))
)
np.testing.assert_allclose(
    float(loss_fn(np.array([[y0]], "float32"), pred)), -np.log(dens.sum()), rtol=1e-5
)

mdn_network.compile(loss=loss_fn, optimizer=keras.optimizers.Adam(0.01))
hist = mdn_network.fit(x_data, y_data, batch_size=64, epochs=40, verbose=0)
nll = hist.history["loss"][-1]
single_gaussian_nll = 0.5 * np.log(2 * np.pi * np.var(y_data)) + 0.5
assert nll < single_gaussian_nll - 0.8, (nll, single_gaussian_nll, hist.history["loss"][::5])

# sample from the mixture at x = 0.64: both branches (+-0.8) appear, the mean (0) does not
params = mdn_network.predict(np.full((400, 1), 0.64, "float32"), verbose=0)
mus, sigs, logits = params[:, :3], params[:, 3:6], params[:, 6:]
comp = tf.random.categorical(logits, 1, seed=1).numpy()[:, 0]
samples = rng.normal(mus[np.arange(400), comp], sigs[np.arange(400), comp])
upper, lower = np.mean(np.abs(samples - 0.8) < 0.25), np.mean(np.abs(samples + 0.8) < 0.25)
assert upper > 0.25 and lower > 0.25, (upper, lower)
assert np.mean(np.abs(samples) < 0.3) < 0.1
print("nll", nll, "single gaussian", single_gaussian_nll, "branches", upper, lower)
