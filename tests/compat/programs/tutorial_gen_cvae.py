# TensorFlow's "Convolutional Variational Autoencoder" tutorial on synthetic binarized 28x28
# images: a tf.keras.Model subclass with encoder/decoder Sequentials, the reparameterization
# trick, the single-sample Monte Carlo ELBO and a @tf.function train step.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(2)
rng = np.random.default_rng(2)


def make_images(n):
    # two kinds of images: a bright top half or a bright left half, with pixel noise
    images = rng.integers(0, 60, size=(n, 28, 28)).astype("uint8")
    images[: n // 2, :14, :] += 180
    images[n // 2 :, :, :14] += 180
    return images


def preprocess_images(images):
    images = images.reshape((images.shape[0], 28, 28, 1)) / 255.0
    return np.where(images > 0.5, 1.0, 0.0).astype("float32")


train_images = preprocess_images(make_images(64))
test_images = preprocess_images(make_images(32))
assert set(np.unique(train_images)) == {0.0, 1.0}
train_size, batch_size, test_size = 64, 16, 32
train_dataset = (
    tf.data.Dataset.from_tensor_slices(train_images).shuffle(train_size).batch(batch_size)
)
test_dataset = tf.data.Dataset.from_tensor_slices(test_images).shuffle(test_size).batch(batch_size)


class CVAE(tf.keras.Model):
    """Convolutional variational autoencoder."""

    def __init__(self, latent_dim):
        super(CVAE, self).__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential(
            [
                tf.keras.layers.InputLayer(shape=(28, 28, 1)),
                tf.keras.layers.Conv2D(filters=8, kernel_size=3, strides=(2, 2), activation="relu"),
                tf.keras.layers.Conv2D(
                    filters=16, kernel_size=3, strides=(2, 2), activation="relu"
                ),
                tf.keras.layers.Flatten(),
                # No activation
                tf.keras.layers.Dense(latent_dim + latent_dim),
            ]
        )
        self.decoder = tf.keras.Sequential(
            [
                tf.keras.layers.InputLayer(shape=(latent_dim,)),
                tf.keras.layers.Dense(units=7 * 7 * 8, activation=tf.nn.relu),
                tf.keras.layers.Reshape(target_shape=(7, 7, 8)),
                tf.keras.layers.Conv2DTranspose(
                    filters=16, kernel_size=3, strides=2, padding="same", activation="relu"
                ),
                tf.keras.layers.Conv2DTranspose(
                    filters=8, kernel_size=3, strides=2, padding="same", activation="relu"
                ),
                # No activation
                tf.keras.layers.Conv2DTranspose(
                    filters=1, kernel_size=3, strides=1, padding="same"
                ),
            ]
        )

    @tf.function
    def sample(self, eps=None):
        if eps is None:
            eps = tf.random.normal(shape=(100, self.latent_dim))
        return self.decode(eps, apply_sigmoid=True)

    def encode(self, x):
        mean, logvar = tf.split(self.encoder(x), num_or_size_splits=2, axis=1)
        return mean, logvar

    def reparameterize(self, mean, logvar):
        eps = tf.random.normal(shape=mean.shape)
        return eps * tf.exp(logvar * 0.5) + mean

    def decode(self, z, apply_sigmoid=False):
        logits = self.decoder(z)
        if apply_sigmoid:
            probs = tf.sigmoid(logits)
            return probs
        return logits


optimizer = tf.keras.optimizers.Adam(1e-2)


def log_normal_pdf(sample, mean, logvar, raxis=1):
    log2pi = tf.math.log(2.0 * np.pi)
    return tf.reduce_sum(
        -0.5 * ((sample - mean) ** 2.0 * tf.exp(-logvar) + logvar + log2pi), axis=raxis
    )


def compute_loss(model, x):
    mean, logvar = model.encode(x)
    z = model.reparameterize(mean, logvar)
    x_logit = model.decode(z)
    cross_ent = tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x)
    logpx_z = -tf.reduce_sum(cross_ent, axis=[1, 2, 3])
    logpz = log_normal_pdf(z, 0.0, 0.0)
    logqz_x = log_normal_pdf(z, mean, logvar)
    return -tf.reduce_mean(logpx_z + logpz - logqz_x)


@tf.function
def train_step(model, x, optimizer):
    with tf.GradientTape() as tape:
        loss = compute_loss(model, x)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))


# log_normal_pdf is the log density of a diagonal Gaussian
s = np.array([[0.3, -1.2]], "float32")
m = np.array([[0.1, 0.5]], "float32")
lv = np.array([[0.2, -0.4]], "float32")
var = np.exp(lv)
expected = np.sum(-0.5 * np.log(2 * np.pi * var) - (s - m) ** 2 / (2 * var))
np.testing.assert_allclose(log_normal_pdf(s, m, lv).numpy(), [expected], rtol=1e-5)
np.testing.assert_allclose(float(tf.math.log(2.0 * np.pi)), np.log(2 * np.pi), rtol=1e-6)

epochs = 8
latent_dim = 2
num_examples_to_generate = 16
random_vector_for_generation = tf.random.normal(shape=[num_examples_to_generate, latent_dim])
model = CVAE(latent_dim)
assert model.encoder.output_shape == (None, 4)
assert model.decoder.output_shape == (None, 28, 28, 1)
assert len(model.trainable_variables) == 14  # 3 + 4 kernel/bias pairs

for test_batch in test_dataset.take(1):
    test_sample = test_batch[0:num_examples_to_generate, :, :, :]
mean, logvar = model.encode(test_sample)
assert mean.shape == (16, 2) and logvar.shape == (16, 2)
z = model.reparameterize(mean, logvar)
assert z.shape == (16, 2)
# with a huge negative log-variance the sample is the mean
np.testing.assert_allclose(
    model.reparameterize(mean, logvar - 60.0).numpy(), mean.numpy(), atol=1e-6
)
predictions = model.sample(z)
assert predictions.shape == (16, 28, 28, 1)
assert predictions.numpy().min() >= 0.0 and predictions.numpy().max() <= 1.0
assert model.sample().shape == (100, 28, 28, 1)


def test_elbo():
    loss = tf.keras.metrics.Mean()
    for test_x in test_dataset:
        loss(compute_loss(model, test_x))
    return float(-loss.result())


elbos = [test_elbo()]
for epoch in range(1, epochs + 1):
    for train_x in train_dataset:
        train_step(model, train_x, optimizer)
    elbos.append(test_elbo())
print("ELBO per epoch", np.round(elbos, 1))
assert int(optimizer.iterations) == epochs * 4
# 784 pixels start near log(1/2) each; training raises the ELBO a great deal
assert -600.0 < elbos[0] < -500.0, elbos
assert elbos[-1] > elbos[0] + 150.0, elbos

# the decoder of a sampled latent is deterministic: sample(eps) twice gives the same images
eps = random_vector_for_generation
np.testing.assert_allclose(model.sample(eps).numpy(), model.sample(eps).numpy())
print("cvae ok")
