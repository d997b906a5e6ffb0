# keras.io "Face image generation with StyleGAN", its building blocks on tiny tensors:
# equalized-learning-rate EqualizedConv / EqualizedDense (weights drawn from N(0, 1) and
# scaled by sqrt(gain / fan_in) at call time), pixel_norm, the minibatch-standard-deviation
# feature, AdaIN driven by a style vector through EqualizedDense layers, fade_in between
# resolutions, and the WGAN drift term. Checked against NumPy, the run-time scale's effect on
# gradients, and a short fit of a mapping network built from them.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(29)
rng = np.random.default_rng(29)


def fade_in(alpha, a, b):
    return alpha * a + (1.0 - alpha) * b


def pixel_norm(x, epsilon=1e-8):
    return x / tf.math.sqrt(tf.reduce_mean(x**2, axis=-1, keepdims=True) + epsilon)


def minibatch_std(input_tensor, epsilon=1e-8):
    n, h, w, c = tf.shape(input_tensor)
    group_size = tf.minimum(4, n)
    x = tf.reshape(input_tensor, [group_size, -1, h, w, c])
    group_mean, group_var = tf.nn.moments(x, axes=(0), keepdims=False)
    group_std = tf.sqrt(group_var + epsilon)
    avg_std = tf.reduce_mean(group_std, axis=[1, 2, 3], keepdims=True)
    x = tf.tile(avg_std, [group_size, h, w, 1])
    return tf.concat([input_tensor, x], axis=-1)


class EqualizedConv(layers.Layer):
    def __init__(self, out_channels, kernel=3, gain=2, **kwargs):
        super().__init__(**kwargs)
        self.kernel = kernel
        self.out_channels = out_channels
        self.gain = gain
        self.pad = kernel != 1

    def build(self, input_shape):
        self.in_channels = input_shape[-1]
        initializer = keras.initializers.RandomNormal(mean=0.0, stddev=1.0)
        self.w = self.add_weight(
            shape=[self.kernel, self.kernel, self.in_channels, self.out_channels],
            initializer=initializer,
            trainable=True,
            name="kernel",
        )
        self.b = self.add_weight(
            shape=(self.out_channels,), initializer="zeros", trainable=True, name="bias"
        )
        fan_in = self.kernel * self.kernel * self.in_channels
        self.scale = tf.sqrt(self.gain / fan_in)

    def call(self, inputs):
        if self.pad:
            x = tf.pad(inputs, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
        else:
            x = inputs
        output = tf.nn.conv2d(x, self.scale * self.w, strides=1, padding="VALID") + self.b
        return output


class EqualizedDense(layers.Layer):
    def __init__(self, units, gain=2, learning_rate_multiplier=1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.gain = gain
        self.learning_rate_multiplier = learning_rate_multiplier

    def build(self, input_shape):
        self.in_channels = input_shape[-1]
        initializer = keras.initializers.RandomNormal(
            mean=0.0, stddev=1.0 / self.learning_rate_multiplier
        )
        self.w = self.add_weight(
            shape=[self.in_channels, self.units],
            initializer=initializer,
            trainable=True,
            name="kernel",
        )
        self.b = self.add_weight(
            shape=(self.units,), initializer="zeros", trainable=True, name="bias"
        )
        fan_in = self.in_channels
        self.scale = tf.sqrt(self.gain / fan_in)

    def call(self, inputs):
        output = tf.add(tf.matmul(inputs, self.scale * self.w), self.b)
        return output * self.learning_rate_multiplier


class AdaIN(layers.Layer):
    def __init__(self, gain=1, **kwargs):
        super().__init__(**kwargs)
        self.gain = gain

    def build(self, input_shapes):
        x_shape, w_shape = input_shapes
        self.w_channels = w_shape[-1]
        self.x_channels = x_shape[-1]
        self.dense_1 = EqualizedDense(self.x_channels, gain=1)
        self.dense_2 = EqualizedDense(self.x_channels, gain=1)

    def call(self, inputs):
        x, w = inputs
        ys = tf.reshape(self.dense_1(w), (-1, 1, 1, self.x_channels))
        yb = tf.reshape(self.dense_2(w), (-1, 1, 1, self.x_channels))
        return ys * x + yb


# pixel_norm: unit mean square over channels
x = rng.normal(size=(3, 2, 2, 5)).astype("float32") * 4.0
np.testing.assert_allclose(
    np.mean(pixel_norm(tf.constant(x)).numpy() ** 2, axis=-1), 1.0, rtol=1e-5
)
np.testing.assert_allclose(fade_in(0.25, tf.constant(4.0), tf.constant(8.0)).numpy(), 7.0)

# minibatch std: one extra channel holding the mean std across groups of 4
x = rng.normal(size=(8, 2, 2, 3)).astype("float32")
out = minibatch_std(tf.constant(x)).numpy()
assert out.shape == (8, 2, 2, 4)
np.testing.assert_array_equal(out[..., :3], x)
groups = x.reshape(4, 2, 2, 2, 3)
expected = np.sqrt(groups.var(axis=0) + 1e-8).mean(axis=(1, 2, 3))  # one value per group
np.testing.assert_allclose(out[:, 0, 0, 3], np.tile(expected, 4), rtol=1e-5)

# EqualizedConv: reflect padding, then a VALID conv of the scaled kernel
conv = EqualizedConv(4, kernel=3, name="eq_conv")
img = rng.normal(size=(2, 5, 5, 3)).astype("float32")
y = conv(tf.constant(img))
assert y.shape == (2, 5, 5, 4) and len(conv.trainable_weights) == 2
padded = np.pad(img, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="reflect")
kernel = conv.w.numpy() * np.sqrt(2.0 / 27)
ref = np.zeros((2, 5, 5, 4), "float64")
for i in range(5):
    for j in range(5):
        ref[:, i, j] = np.einsum("bhwc,hwco->bo", padded[:, i : i + 3, j : j + 3], kernel)
np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=1e-5)
np.testing.assert_allclose(np.std(conv.w.numpy()), 1.0, atol=0.25)  # N(0, 1) weights

# EqualizedDense: the run-time scale multiplies the gradient that reaches the kernel
dense = EqualizedDense(3, gain=2, learning_rate_multiplier=0.5)
v = tf.constant(rng.normal(size=(4, 8)).astype("float32"))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(dense(v))
grad_w, grad_b = tape.gradient(loss, [dense.w, dense.b])
scale = np.sqrt(2.0 / 8)
np.testing.assert_allclose(
    grad_w.numpy(), np.tile(v.numpy().sum(0)[:, None], (1, 3)) * scale * 0.5, rtol=1e-5
)
np.testing.assert_allclose(grad_b.numpy(), np.full(3, 4 * 0.5), rtol=1e-6)
np.testing.assert_allclose(np.std(dense.w.numpy()), 2.0, atol=0.7)  # stddev 1 / multiplier

# AdaIN: per-sample, per-channel scale and bias from the style vector
feat = tf.constant(rng.normal(size=(2, 3, 3, 4)).astype("float32"))
style = tf.constant(rng.normal(size=(2, 6)).astype("float32"))
adain = AdaIN()
styled = adain([feat, style]).numpy()
ys = adain.dense_1(style).numpy()[:, None, None, :]
yb = adain.dense_2(style).numpy()[:, None, None, :]
np.testing.assert_allclose(styled, ys * feat.numpy() + yb, rtol=1e-5, atol=1e-6)
assert len(adain.trainable_weights) == 4

# a mapping network (pixel-normed z through EqualizedDense layers) fit to a target map
z_in = keras.Input((6,))
h = layers.Lambda(pixel_norm, output_shape=(6,))(z_in)
for _ in range(2):
    h = layers.LeakyReLU(0.2)(EqualizedDense(16, learning_rate_multiplier=0.1)(h))
mapping = keras.Model(z_in, EqualizedDense(2)(h))
mapping.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
z = rng.normal(size=(64, 6)).astype("float32")
target = np.tanh(pixel_norm(tf.constant(z)).numpy()[:, :2])
before = mapping.evaluate(z, target, verbose=0)
mapping.fit(z, target, batch_size=16, epochs=20, verbose=0)
after = mapping.evaluate(z, target, verbose=0)
assert after < 0.5 * before, (before, after)

# the WGAN drift term used by the StyleGAN discriminator loss
real_logits = tf.constant([[1.0], [-2.0]])
np.testing.assert_allclose(float(0.001 * tf.reduce_mean(real_logits**2)), 0.0025, rtol=1e-6)
print("ok")
