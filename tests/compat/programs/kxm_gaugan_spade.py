# keras.io "GauGAN for conditional image generation": SPADE and residual layers that make
# their sublayers in build() and take (features, mask), a Gaussian sampler layer, hinge and
# feature-matching losses written as keras.losses.Loss subclasses, a frozen discriminator
# inside a combined model, and one generator step with its own optimizer
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(3)
LATENT, SIZE, CLASSES = 8, 16, 3


class SPADE(layers.Layer):
    def __init__(self, filters, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon
        self.shared = layers.Conv2D(4, 3, padding="same", activation="relu")
        self.to_gamma = layers.Conv2D(filters, 3, padding="same")
        self.to_beta = layers.Conv2D(filters, 3, padding="same")

    def build(self, input_shape):
        self.resize_shape = input_shape[1:3]

    def call(self, features, segmap):
        segmap = tf.image.resize(segmap, self.resize_shape, method="nearest")
        hidden = self.shared(segmap)
        mean, var = tf.nn.moments(features, axes=(0, 1, 2), keepdims=True)
        normed = (features - mean) / tf.sqrt(var + self.epsilon)
        return self.to_gamma(hidden) * normed + self.to_beta(hidden)


class SpadeBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters

    def build(self, input_shape):
        channels = input_shape[-1]
        self.norm_a = SPADE(channels)
        self.norm_b = SPADE(self.filters)
        self.conv_a = layers.Conv2D(self.filters, 3, padding="same")
        self.conv_b = layers.Conv2D(self.filters, 3, padding="same")
        self.learned_skip = self.filters != channels
        if self.learned_skip:
            self.norm_s = SPADE(channels)
            self.conv_s = layers.Conv2D(self.filters, 3, padding="same")

    def call(self, features, segmap):
        x = self.conv_a(tf.nn.leaky_relu(self.norm_a(features, segmap), 0.2))
        x = self.conv_b(tf.nn.leaky_relu(self.norm_b(x, segmap), 0.2))
        skip = features
        if self.learned_skip:
            skip = self.conv_s(tf.nn.leaky_relu(self.norm_s(features, segmap), 0.2))
        return skip + x


class GaussianSampler(layers.Layer):
    def __init__(self, batch_size, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.batch_size, self.latent_dim = batch_size, latent_dim

    def call(self, inputs):
        means, log_var = inputs
        noise = tf.random.normal(shape=(self.batch_size, self.latent_dim))
        return means + tf.exp(0.5 * log_var) * noise


try:
    keras.Input(shape=(LATENT))  # an int, not a tuple: Keras 3 refuses it
except ValueError:
    pass
else:
    raise AssertionError("Input(shape=int) should raise ValueError")

latent = keras.Input(shape=(LATENT,), name="latent")
segmap = keras.Input(shape=(SIZE, SIZE, CLASSES), name="mask")
x = layers.Reshape((4, 4, 4))(layers.Dense(64)(latent))
x = SpadeBlock(filters=6)(x, segmap)
x = layers.UpSampling2D((2, 2))(x)
x = SpadeBlock(filters=6)(x, segmap)
x = layers.UpSampling2D((2, 2))(x)
x = layers.LeakyReLU(0.2)(x)
image = layers.Activation("tanh")(layers.Conv2D(3, 4, padding="same")(x))
generator = keras.Model([latent, segmap], image, name="generator")
assert generator.output_shape == (None, SIZE, SIZE, 3)
assert [type(layer).__name__ for layer in generator.layers].count("SpadeBlock") == 2
# first block: 3 SPADEs (skip learned, 4 -> 6 channels) and 3 convs; second: 2 SPADEs, 2 convs
assert len(generator.trainable_weights) == 2 + (3 * 6 + 3 * 2) + (2 * 6 + 2 * 2) + 2

pair_a = keras.Input((SIZE, SIZE, 3))
pair_b = keras.Input((SIZE, SIZE, 3))
h = layers.Concatenate()([pair_a, pair_b])
f1 = layers.LeakyReLU(0.2)(layers.Conv2D(4, 4, strides=2, padding="same")(h))
f2 = layers.LeakyReLU(0.2)(layers.Conv2D(8, 4, strides=2, padding="same")(f1))
patch = layers.Conv2D(1, 4)(f2)
discriminator = keras.Model([pair_a, pair_b], [f1, f2, patch])
assert [tuple(o.shape) for o in discriminator.outputs] == [
    (None, 8, 8, 4),
    (None, 4, 4, 8),
    (None, 1, 1, 1),
]

discriminator.trainable = False
z_in = keras.Input((LATENT,))
m_in = keras.Input((SIZE, SIZE, CLASSES))
img_in = keras.Input((SIZE, SIZE, 3))
fake = generator([z_in, m_in])
combined = keras.Model([z_in, m_in, img_in], [discriminator([img_in, fake]), fake])
assert len(combined.trainable_weights) == len(generator.trainable_weights)


class DiscriminatorLoss(keras.losses.Loss):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hinge = keras.losses.Hinge()

    def call(self, y, is_real):
        return self.hinge(1.0 if is_real else -1.0, y)


class FeatureMatchingLoss(keras.losses.Loss):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.mae = keras.losses.MeanAbsoluteError()

    def call(self, y_true, y_pred):
        total = 0
        for i in range(len(y_true) - 1):  # the last output is the patch score
            total += self.mae(y_true[i], y_pred[i])
        return total


scores = tf.constant([[0.5], [-2.0]])
np.testing.assert_allclose(float(DiscriminatorLoss()(scores, True)), 1.75)
np.testing.assert_allclose(float(DiscriminatorLoss()(scores, False)), 0.75)
fm = FeatureMatchingLoss()(
    [tf.ones((2, 3)), tf.ones((2, 2)), tf.zeros((1,))],
    [tf.zeros((2, 3)), 3 * tf.ones((2, 2)), tf.ones((1,))],
)
np.testing.assert_allclose(float(fm), 3.0)

rng = np.random.default_rng(0)
z = rng.normal(size=(2, LATENT)).astype("float32")
masks = np.eye(CLASSES, dtype="float32")[rng.integers(0, CLASSES, (2, SIZE, SIZE))]
real = rng.uniform(-1, 1, (2, SIZE, SIZE, 3)).astype("float32")
sampled = GaussianSampler(2, LATENT)([z, np.zeros_like(z)])
assert sampled.shape == (2, LATENT)
kl = -0.5 * tf.reduce_sum(1 + z - tf.square(z) - tf.exp(z))
assert kl.shape == () and kl.dtype == tf.float32

optimizer = keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.999)
disc_before = [w.copy() for w in discriminator.get_weights()]
gen_before = [w.copy() for w in generator.get_weights()]
with tf.GradientTape() as tape:
    outs, fake_images = combined([z, masks, real])
    real_outs = discriminator([real, real])
    loss = -tf.reduce_mean(outs[-1]) + 10 * FeatureMatchingLoss()(real_outs, outs)
grads = tape.gradient(loss, combined.trainable_weights)
assert all(g is not None for g in grads)
optimizer.apply_gradients(zip(grads, combined.trainable_weights))
assert all(np.array_equal(a, b) for a, b in zip(disc_before, discriminator.get_weights()))
assert not all(np.array_equal(a, b) for a, b in zip(gen_before, generator.get_weights()))
assert fake_images.shape == (2, SIZE, SIZE, 3)
assert float(tf.reduce_max(tf.abs(fake_images))) <= 1.0
print("ok")
