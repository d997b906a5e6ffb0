# keras.io "Customizing the convolution operation of a Conv2D layer": weight standardization
# done two ways, by overriding Conv2D.convolution_op (calling keras.ops.conv with the
# standardized kernel) and by overriding call() (standardizing, then the parent's
# convolution_op plus bias). Both give the same outputs as a hand-written NumPy
# convolution, train in a small convnet on synthetic images, and survive get_config.
import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)


class StandardizedConv2DWithOverride(layers.Conv2D):
    def convolution_op(self, inputs, kernel):
        mean, var = ops.moments(kernel, axes=[0, 1, 2], keepdims=True)
        return ops.conv(
            inputs,
            (kernel - mean) / ops.sqrt(var + 1e-10),
            padding="valid",
            strides=list(self.strides),
            dilation_rate=list(self.dilation_rate),
        )


class StandardizedConv2DWithCall(layers.Conv2D):
    def call(self, inputs):
        mean, var = ops.moments(self.kernel, axes=[0, 1, 2], keepdims=True)
        result = self.convolution_op(inputs, (self.kernel - mean) / ops.sqrt(var + 1e-10))
        if self.use_bias:
            result = result + self.bias
        return result


x = rng.normal(size=(2, 7, 7, 3)).astype("float32")
a = StandardizedConv2DWithOverride(4, 3)
b = StandardizedConv2DWithCall(4, 3)
ya = a(x)
b(x)
b.set_weights(a.get_weights())
yb = b(x)
assert tuple(ya.shape) == (2, 5, 5, 4)
np.testing.assert_allclose(ops.convert_to_numpy(ya), ops.convert_to_numpy(yb), atol=1e-5)

# NumPy reference: standardize each output filter, correlate over valid windows
k = a.kernel.numpy()
ks = (k - k.mean(axis=(0, 1, 2), keepdims=True)) / np.sqrt(k.var(axis=(0, 1, 2)) + 1e-10)
ref = np.zeros((2, 5, 5, 4), "float32")
for i in range(5):
    for j in range(5):
        ref[:, i, j, :] = np.einsum("bhwc,hwco->bo", x[:, i : i + 3, j : j + 3, :], ks)
ref += a.bias.numpy()
np.testing.assert_allclose(ops.convert_to_numpy(ya), ref, atol=1e-4)

# the output does not change when the kernel is scaled and shifted (standardization)
a.kernel.assign(a.kernel * 3.0 + 0.5)
np.testing.assert_allclose(ops.convert_to_numpy(a(x)), ref, atol=1e-3)

# strides and dilation pass through to ops.conv
c = StandardizedConv2DWithOverride(2, 3, strides=2, dilation_rate=1)
assert tuple(c(x).shape) == (2, 3, 3, 2)
d = StandardizedConv2DWithOverride(2, 2, dilation_rate=2)
assert tuple(d(x).shape) == (2, 5, 5, 2)

# config round trip keeps the subclass and its arguments
cfg = c.get_config()
assert cfg["strides"] == (2, 2) and cfg["filters"] == 2
c2 = StandardizedConv2DWithOverride.from_config(cfg)
assert type(c2) is StandardizedConv2DWithOverride and c2.strides == (2, 2)

# train a tiny classifier: class 1 images hold a bright vertical bar, class 0 a horizontal one
n = 200
labels = rng.integers(0, 2, n)
imgs = rng.normal(0, 0.3, size=(n, 10, 10, 1)).astype("float32")
pos = rng.integers(2, 8, n)
for idx in range(n):
    if labels[idx]:
        imgs[idx, :, pos[idx], 0] += 2.0
    else:
        imgs[idx, pos[idx], :, 0] += 2.0
model = keras.Sequential(
    [
        keras.Input((10, 10, 1)),
        layers.Rescaling(scale=1.0 / 2.0),
        StandardizedConv2DWithOverride(8, 3, activation="relu"),
        StandardizedConv2DWithCall(8, 3, activation="relu"),
        layers.GlobalMaxPooling2D(),
        layers.Dense(2),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
hist = model.fit(imgs, labels, epochs=8, batch_size=32, verbose=0)
acc = hist.history["accuracy"][-1]
assert hist.history["loss"][-1] < hist.history["loss"][0]
assert acc > 0.8, hist.history
print("final accuracy", acc)
