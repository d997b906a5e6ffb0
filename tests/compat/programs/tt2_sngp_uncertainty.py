# The "Uncertainty-aware deep learning with SNGP" tutorial's ideas with core Keras only:
# hidden Dense layers wrapped in keras.layers.SpectralNormalization (power iteration), a
# random-Fourier-feature Gaussian-process output layer written by hand with a Laplace
# precision matrix accumulated over the last epoch (reset by a callback), the posterior
# covariance through tf.linalg.inv, and the mean-field logit adjustment; the predictive
# uncertainty is higher far from the training data than on it.
import math

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)

# spectral normalization: the wrapped kernel's largest singular value is brought to 1
sn = tf.keras.layers.SpectralNormalization(tf.keras.layers.Dense(8), power_iterations=1)
x0 = rng.normal(size=(4, 6)).astype("float32")
for _ in range(30):
    y0 = sn(x0, training=True)  # each training call runs one power-iteration step
kernel = sn.layer.kernel.numpy()
np.testing.assert_allclose(np.linalg.svd(kernel, compute_uv=False)[0], 1.0, rtol=2e-2)
np.testing.assert_allclose(y0.numpy(), x0 @ kernel + sn.layer.bias.numpy(), rtol=1e-4, atol=1e-5)
assert sn.vector_u.shape == (1, 8) and not sn.vector_u.trainable


# two interleaved half-moons as the training data
def make_moons(n):
    t = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], 1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1)
    x = np.concatenate([upper, lower]) + rng.normal(0, 0.1, (2 * n, 2))
    y = np.concatenate([np.zeros(n), np.ones(n)])
    return x.astype("float32"), y.astype("int32")


train_examples, train_labels = make_moons(256)


class RandomFeatureGaussianProcess(tf.keras.layers.Layer):
    def __init__(self, units, num_inducing=256, ridge_penalty=1.0, momentum=-1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.num_inducing = num_inducing
        self.ridge_penalty = ridge_penalty

    def build(self, input_shape):
        dim = input_shape[-1]
        self.random_weights = self.add_weight(
            name="random_weights",
            shape=(dim, self.num_inducing),
            initializer=tf.keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
        )
        self.random_bias = self.add_weight(
            name="random_bias",
            shape=(self.num_inducing,),
            initializer=tf.keras.initializers.RandomUniform(0.0, 2 * math.pi),
            trainable=False,
        )
        self.output_layer = tf.keras.layers.Dense(self.units, use_bias=False)
        self.output_layer.build((None, self.num_inducing))
        self.precision = self.add_weight(
            name="precision",
            shape=(self.num_inducing, self.num_inducing),
            initializer=tf.keras.initializers.Identity(gain=self.ridge_penalty),
            trainable=False,
        )

    def reset_covariance_matrix(self):
        self.precision.assign(self.ridge_penalty * tf.eye(self.num_inducing))

    def call(self, inputs, training=False):
        scale = math.sqrt(2.0 / self.num_inducing)
        features = scale * tf.cos(tf.matmul(inputs, self.random_weights) + self.random_bias)
        logits = self.output_layer(features)
        if training:
            self.precision.assign_add(tf.matmul(features, features, transpose_a=True))
            return logits, None
        covariance = tf.linalg.inv(self.precision)
        covmat = self.ridge_penalty * tf.matmul(
            features, tf.matmul(covariance, features, transpose_b=True)
        )
        return logits, covmat


class DeepResNet(tf.keras.Model):
    def __init__(self, num_classes, num_layers=3, num_hidden=32):
        super().__init__()
        self.input_layer = tf.keras.layers.Dense(num_hidden, trainable=False)
        self.dense_layers = [
            tf.keras.layers.SpectralNormalization(
                tf.keras.layers.Dense(num_hidden, activation="relu"), power_iterations=1
            )
            for _ in range(num_layers)
        ]
        self.classifier = RandomFeatureGaussianProcess(num_classes)

    def call(self, inputs, training=False, return_covmat=False):
        hidden = self.input_layer(inputs)
        for layer in self.dense_layers:
            hidden = hidden + layer(hidden, training=training)  # residual
        logits, covmat = self.classifier(hidden, training=training)
        if not training and return_covmat:
            return logits, covmat
        return logits


class ResetCovarianceCallback(tf.keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        """Resets covariance matrix at the beginning of the epoch."""
        if epoch > 0:
            self.model.classifier.reset_covariance_matrix()


model = DeepResNet(num_classes=2)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
)
history = model.fit(
    train_examples,
    train_labels,
    batch_size=64,
    epochs=30,
    callbacks=[ResetCovarianceCallback()],
    verbose=0,
)
acc = history.history["sparse_categorical_accuracy"][-1]
assert acc > 0.9, history.history["sparse_categorical_accuracy"]
for layer in model.dense_layers:
    top = np.linalg.svd(layer.layer.kernel.numpy(), compute_uv=False)[0]
    assert top < 1.1, top  # spectrally normalised hidden layers
# the precision holds the last epoch's features only: ridge * I + sum of outer products
gp = model.classifier
hidden = model.input_layer(train_examples)
for layer in model.dense_layers:
    hidden = hidden + layer(hidden, training=False)
phi = math.sqrt(2.0 / 256) * np.cos(hidden.numpy() @ gp.random_weights.numpy() + gp.random_bias)
assert gp.precision.shape == (256, 256)
eig = np.linalg.eigvalsh(gp.precision.numpy().astype("float64"))
assert eig.min() > 0.99 and np.trace(gp.precision.numpy()) > 256 + 0.5 * np.sum(phi**2)


def compute_posterior_mean_probability(logits, covmat, lambda_param=np.pi / 8.0):
    # Computes uncertainty-adjusted logits using the built-in method.
    variances = tf.linalg.diag_part(covmat)[:, None]
    logits_adjusted = logits / tf.math.sqrt(1.0 + lambda_param * variances)
    return tf.nn.softmax(logits_adjusted, axis=-1)[:, 0]


near = train_examples[:64]
far = rng.normal(0, 1, (64, 2)).astype("float32") * 0.5 + np.array([6.0, -6.0], "float32")
near_logits, near_cov = model(near, return_covmat=True)
far_logits, far_cov = model(far, return_covmat=True)
np.testing.assert_allclose(model(near).numpy(), near_logits.numpy(), rtol=1e-5, atol=1e-6)
assert near_logits.shape == (64, 2) and near_cov.shape == (64, 64)
near_var = tf.linalg.diag_part(near_cov).numpy()
far_var = tf.linalg.diag_part(far_cov).numpy()
print("SNGP variance near", near_var.mean(), "far", far_var.mean())
assert np.all(near_var > 0) and far_var.mean() > 3 * near_var.mean()
probs = compute_posterior_mean_probability(near_logits, near_cov)
assert probs.shape == (64,) and np.all((probs.numpy() >= 0) & (probs.numpy() <= 1))
# the adjustment pulls probabilities towards 0.5, more so where the variance is large
plain = tf.nn.softmax(far_logits, axis=-1)[:, 0].numpy()
adjusted = compute_posterior_mean_probability(far_logits, far_cov).numpy()
assert np.all(np.abs(adjusted - 0.5) <= np.abs(plain - 0.5) + 1e-6)
print("sngp ok")
