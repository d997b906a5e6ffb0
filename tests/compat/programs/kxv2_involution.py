# keras.io "Involutional neural networks": an Involution keras.layers.Layer whose kernel is
# generated per pixel from the input (AveragePooling2D for the stride, a Conv2D reduction
# with BatchNormalization and ReLU, a Conv2D span to K*K*groups values reshaped to
# (H, W, K*K, 1, groups)), the input's KxK neighbourhoods taken with
# tf.image.extract_patches and reshaped to (H, W, K*K, C/groups, groups), multiplied by the
# kernel and summed over the window. Checked against a direct NumPy loop, then a small
# involution network trained on synthetic 8x8 images (diagonal vs anti-diagonal lines).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(29)
rng = np.random.default_rng(29)


class Involution(layers.Layer):
    def __init__(self, channel, group_number, kernel_size, stride, reduction_ratio, name):
        super().__init__(name=name)
        self.channel = channel
        self.group_number = group_number
        self.kernel_size = kernel_size
        self.stride = stride
        self.reduction_ratio = reduction_ratio

    def build(self, input_shape):
        (_, height, width, num_channels) = input_shape
        height = height // self.stride
        width = width // self.stride
        self.stride_layer = (
            layers.AveragePooling2D(pool_size=self.stride, strides=self.stride, padding="same")
            if self.stride > 1
            else tf.identity
        )
        self.kernel_gen = keras.Sequential(
            [
                layers.Conv2D(filters=self.channel // self.reduction_ratio, kernel_size=1),
                layers.BatchNormalization(),
                layers.ReLU(),
                layers.Conv2D(
                    filters=self.kernel_size * self.kernel_size * self.group_number,
                    kernel_size=1,
                ),
            ]
        )
        self.kernel_reshape = layers.Reshape(
            target_shape=(height, width, self.kernel_size * self.kernel_size, 1, self.group_number)
        )
        self.input_patches_reshape = layers.Reshape(
            target_shape=(
                height,
                width,
                self.kernel_size * self.kernel_size,
                num_channels // self.group_number,
                self.group_number,
            )
        )
        self.output_reshape = layers.Reshape(target_shape=(height, width, num_channels))

    def call(self, x):
        kernel_input = self.stride_layer(x)
        kernel = self.kernel_gen(kernel_input)
        kernel = self.kernel_reshape(kernel)
        input_patches = tf.image.extract_patches(
            images=x,
            sizes=[1, self.kernel_size, self.kernel_size, 1],
            strides=[1, self.stride, self.stride, 1],
            rates=[1, 1, 1, 1],
            padding="SAME",
        )
        input_patches = self.input_patches_reshape(input_patches)
        output = tf.multiply(kernel, input_patches)
        output = tf.reduce_sum(output, axis=3)
        output = self.output_reshape(output)
        return output, kernel


# against a direct loop: out[i, j, c] = sum over the window of kernel[i, j, k, g(c)] * x
inv = Involution(channel=4, group_number=2, kernel_size=3, stride=1, reduction_ratio=2, name="inv")
x_probe = rng.normal(size=(2, 5, 5, 4)).astype("float32")
out, kernel = inv(x_probe)
assert out.shape == (2, 5, 5, 4) and kernel.shape == (2, 5, 5, 9, 1, 2)
out, kernel = out.numpy(), kernel.numpy()
padded = np.pad(x_probe, ((0, 0), (1, 1), (1, 1), (0, 0)))
expected = np.zeros_like(x_probe)
for i in range(5):
    for j in range(5):
        window = padded[:, i : i + 3, j : j + 3, :].reshape(2, 9, 4)  # (k, channel)
        grouped = window.reshape(2, 9, 2, 2)  # channel = c_in_group * groups + g
        expected[:, i, j, :] = (grouped * kernel[:, i, j, :, :, :]).sum(1).reshape(2, 4)
np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
# with stride 2 the kernel is generated on the pooled map and the output is subsampled
inv2 = Involution(
    channel=4, group_number=1, kernel_size=3, stride=2, reduction_ratio=2, name="inv2"
)
out2, kernel2 = inv2(rng.normal(size=(1, 6, 6, 4)).astype("float32"))
assert out2.shape == (1, 3, 3, 4) and kernel2.shape == (1, 3, 3, 9, 1, 1)

N, S = 160, 8
labels = rng.integers(0, 2, N)
images = 0.3 * rng.random((N, S, S, 3)).astype("float32")
for n, c in enumerate(labels):
    off = int(rng.integers(-2, 3))
    for k in range(S):
        col = (k + off) if c == 0 else (S - 1 - k + off)
        if 0 <= col < S:
            images[n, k, col, :] = 1.0

inputs = keras.Input(shape=(S, S, 3))
x, _ = Involution(
    channel=3, group_number=1, kernel_size=3, stride=1, reduction_ratio=1, name="inv_1"
)(inputs)
x = layers.ReLU()(x)
x = layers.Conv2D(8, 3, activation="relu")(x)
x = layers.MaxPooling2D((2, 2))(x)
x = layers.Flatten()(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs=[inputs], outputs=[outputs], name="inv_model")
model.compile(
    optimizer=keras.optimizers.Adam(0.005),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(images[:120], labels[:120], batch_size=16, epochs=8, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]
_, acc = model.evaluate(images[120:], labels[120:], verbose=0)
print("involution accuracy", acc)
assert acc > 0.85, acc
