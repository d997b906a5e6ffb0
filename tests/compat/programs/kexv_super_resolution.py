# keras.io "Image Super-Resolution using an Efficient Sub-Pixel CNN": the luminance channel of
# YUV images (tf.image.rgb_to_yuv), low-resolution inputs made with tf.image.resize
# (method "area"), a model of Conv2D layers whose last output has upscale_factor**2 channels
# rearranged into space by tf.nn.depth_to_space, trained with MSE and scored by PSNR
# (tf.image.psnr) against nearest-neighbour upscaling. Synthetic smooth images (sums of sinusoids).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(37)
rng = np.random.default_rng(37)
crop, upscale_factor = 16, 2
input_size = crop // upscale_factor

# depth_to_space moves blocks of channels into space: channel k -> (k // r, k % r)
d = np.arange(32, dtype="float32").reshape(1, 1, 2, 16)
moved = tf.nn.depth_to_space(d, 2).numpy()
assert moved.shape == (1, 2, 4, 4)
np.testing.assert_array_equal(moved[0, 1, 0], [8, 9, 10, 11])
np.testing.assert_array_equal(tf.nn.space_to_depth(moved, 2).numpy(), d)

yy, xx = np.meshgrid(np.arange(crop), np.arange(crop), indexing="ij")


def make_rgb(n):
    out = np.zeros((n, crop, crop, 3), "float32")
    for i in range(n):
        fy, fx, ph = rng.uniform(0.2, 0.7, 3)
        base = 0.5 + 0.25 * np.sin(fy * yy + ph) + 0.25 * np.cos(fx * xx)
        out[i] = np.clip(base[..., None] * rng.uniform(0.7, 1.0, 3), 0, 1)
    return out


def process_input(input, input_size):
    input = tf.image.rgb_to_yuv(input)
    y, u, v = tf.split(input, 3, axis=-1)
    return tf.image.resize(y, [input_size, input_size], method="area")


def process_target(input):
    input = tf.image.rgb_to_yuv(input)
    y, u, v = tf.split(input, 3, axis=-1)
    return y


rgb = make_rgb(320)
yuv = tf.image.rgb_to_yuv(rgb[:2]).numpy()
np.testing.assert_allclose(
    yuv[..., 0], rgb[:2] @ np.array([0.299, 0.587, 0.114], "float32"), atol=1e-5
)
train_ds = tf.data.Dataset.from_tensor_slices(rgb[:256]).batch(16)
train_ds = train_ds.map(lambda x: (process_input(x, input_size), process_target(x)))
valid = rgb[256:]
x_valid, y_valid = process_input(valid, input_size), process_target(valid)
assert x_valid.shape == (64, input_size, input_size, 1) and y_valid.shape == (64, crop, crop, 1)


class DepthToSpace(layers.Layer):
    # a tf.* function on a KerasTensor is refused: the op is wrapped in a layer
    def __init__(self, block_size, **kwargs):
        super().__init__(**kwargs)
        self.block_size = block_size

    def call(self, x):
        return tf.nn.depth_to_space(x, self.block_size)


def get_model(upscale_factor=2, channels=1):
    conv_args = {"activation": "relu", "kernel_initializer": "orthogonal", "padding": "same"}
    inputs = keras.Input(shape=(None, None, channels))
    x = layers.Conv2D(32, 5, **conv_args)(inputs)
    x = layers.Conv2D(16, 3, **conv_args)(x)
    x = layers.Conv2D(channels * (upscale_factor**2), 3, padding="same")(x)
    outputs = DepthToSpace(upscale_factor)(x)
    return keras.Model(inputs, outputs)


model = get_model(upscale_factor=upscale_factor, channels=1)
assert model.output_shape == (None, None, None, 1)
assert model.predict(x_valid[:2], verbose=0).shape == (2, crop, crop, 1)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="mse")
history = model.fit(train_ds, epochs=20, verbose=0)
assert history.history["loss"][-1] < 0.2 * history.history["loss"][0], history.history

pred = model.predict(x_valid, verbose=0)
nearest = tf.image.resize(x_valid, [crop, crop], method="nearest")
psnr_model = float(tf.reduce_mean(tf.image.psnr(pred, y_valid, max_val=1.0)))
psnr_nearest = float(tf.reduce_mean(tf.image.psnr(nearest, y_valid, max_val=1.0)))
print("PSNR model", psnr_model, "nearest", psnr_nearest)
mse = np.mean((pred - y_valid.numpy()) ** 2, axis=(1, 2, 3))
np.testing.assert_allclose(
    tf.image.psnr(pred, y_valid, max_val=1.0).numpy(), 10 * np.log10(1 / mse), rtol=1e-4
)
assert psnr_model > 25.0 and psnr_model > psnr_nearest + 1.0, (psnr_model, psnr_nearest)
# the fully convolutional model upscales any size
assert model.predict(np.zeros((1, 5, 7, 1), "float32"), verbose=0).shape == (1, 10, 14, 1)
