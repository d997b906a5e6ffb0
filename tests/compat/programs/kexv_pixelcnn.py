# keras.io "PixelCNN": a PixelConvLayer that builds an inner Conv2D, then multiplies its
# kernel by a mask (type "A" hides the centre pixel, type "B" keeps it) before every call,
# residual blocks of 1x1 and masked 3x3 convolutions, binary pixels trained with binary
# crossentropy, and sampling pixel by pixel. Checked: the receptive field never reaches the
# current or later pixels (a gradient test), and the model learns a striped distribution.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(41)
rng = np.random.default_rng(41)
S = 6


class PixelConvLayer(layers.Layer):
    def __init__(self, mask_type, **kwargs):
        super().__init__()
        self.mask_type = mask_type
        self.conv = layers.Conv2D(**kwargs)

    def build(self, input_shape):
        self.conv.build(input_shape)
        kernel_shape = keras.ops.shape(self.conv.kernel)
        self.mask = np.zeros(shape=kernel_shape)
        self.mask[: kernel_shape[0] // 2, ...] = 1.0
        self.mask[kernel_shape[0] // 2, : kernel_shape[1] // 2, ...] = 1.0
        if self.mask_type == "B":
            self.mask[kernel_shape[0] // 2, kernel_shape[1] // 2, ...] = 1.0

    def call(self, inputs):
        self.conv.kernel.assign(self.conv.kernel * self.mask)
        return self.conv(inputs)


class ResidualBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters=filters, kernel_size=1, activation="relu")
        self.pixel_conv = PixelConvLayer(
            mask_type="B", filters=filters // 2, kernel_size=3, activation="relu", padding="same"
        )
        self.conv2 = layers.Conv2D(filters=filters, kernel_size=1, activation="relu")

    def call(self, inputs):
        x = self.conv1(inputs)
        x = self.pixel_conv(x)
        x = self.conv2(x)
        return layers.add([inputs, x])


inputs = keras.Input(shape=(S, S, 1))
x = PixelConvLayer(mask_type="A", filters=16, kernel_size=5, strides=1, padding="same",
                   activation="relu")(inputs)  # fmt: skip
for _ in range(2):
    x = ResidualBlock(filters=16)(x)
x = PixelConvLayer(mask_type="B", filters=16, kernel_size=1, strides=1, activation="relu",
                   padding="valid")(x)  # fmt: skip
out = layers.Conv2D(filters=1, kernel_size=1, strides=1, activation="sigmoid", padding="valid")(x)
pixel_cnn = keras.Model(inputs, out)
first = pixel_cnn.layers[1]
assert first.mask.shape == (5, 5, 1, 16)
np.testing.assert_array_equal(first.mask[:, :, 0, 0], [[1] * 5, [1] * 5, [1, 1, 0, 0, 0],
                                                        [0] * 5, [0] * 5])  # fmt: skip

# building the functional model only traces the call: the kernel is not masked yet
assert np.all(first.conv.kernel.numpy()[3:] != 0)

# causality: output pixel (r, c) depends only on pixels before it in raster order
probe = tf.constant(rng.random((1, S, S, 1)).astype("float32"))
r, c = 3, 2
with tf.GradientTape() as tape:
    tape.watch(probe)
    y = pixel_cnn(probe)[0, r, c, 0]
g = np.abs(tape.gradient(y, probe).numpy()[0, :, :, 0])
order = np.arange(S * S).reshape(S, S)
assert np.all(g[order >= order[r, c]] == 0)
assert g[order < order[r, c]].sum() > 0
# after a real call the stored kernel itself is masked
assert np.all(first.conv.kernel.numpy()[2, 2:] == 0) and np.all(first.conv.kernel.numpy()[3:] == 0)

# data: each row is all ones or all zeros, chosen at random -> the first pixel of a row is a
# coin flip and the rest copy it
rows = rng.integers(0, 2, size=(512, S, 1, 1)).astype("float32")
data = np.broadcast_to(rows, (512, S, S, 1)).copy()
adam = keras.optimizers.Adam(learning_rate=0.005)
pixel_cnn.compile(optimizer=adam, loss="binary_crossentropy")
history = pixel_cnn.fit(x=data, y=data, batch_size=64, epochs=8, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history

probs = pixel_cnn.predict(data[:32], verbose=0)[..., 0]
# pixels after the first of each row are predicted from their left neighbour
later = probs[:, :, 1:]
target = data[:32, :, 1:, 0]
assert np.mean(np.abs(later - target) < 0.25) > 0.95
# the first pixel of a row is unpredictable: its probability stays away from 0 and 1
assert 0.2 < probs[:, :, 0].mean() < 0.8

# sampling pixel by pixel gives rows that are constant
batch = 4
pixels = np.zeros(shape=(batch,) + (pixel_cnn.input_shape)[1:], dtype="float32")
for row in range(S):
    for col in range(S):
        p = pixel_cnn.predict(pixels, verbose=0)[:, row, col, 0]
        pixels[:, row, col, 0] = (rng.random(batch) < p).astype("float32")
const_rows = np.all(pixels[..., 0] == pixels[..., :1, 0], axis=-1)
assert const_rows.mean() > 0.8, pixels[..., 0]
