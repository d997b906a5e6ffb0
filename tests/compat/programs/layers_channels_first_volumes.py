"""Channels-first inputs (data_format="channels_first"), as code written for NCHW/NCDHW
layouts uses them: the layers TensorFlow runs channels-first on the CPU give the
channels-last result on the transposed input, with the same weights, and train."""

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(7)
L = keras.layers


def volume_model(fmt):
    inputs = keras.Input((2, 6, 6, 6) if fmt == "channels_first" else (6, 6, 6, 2))
    h = L.Conv3D(4, 3, padding="same", activation="relu", data_format=fmt)(inputs)
    h = L.MaxPooling3D(2, data_format=fmt)(h)
    h = L.UpSampling3D(2, data_format=fmt)(h)
    h = L.ZeroPadding3D(1, data_format=fmt)(h)
    h = L.Cropping3D(1, data_format=fmt)(h)
    h = L.GlobalAveragePooling3D(data_format=fmt)(h)
    return keras.Model(inputs, L.Dense(1)(h))


def image_model(fmt):
    inputs = keras.Input((3, 8, 8) if fmt == "channels_first" else (8, 8, 3))
    h = L.DepthwiseConv2D(3, padding="same", data_format=fmt)(inputs)
    h = L.SeparableConv2D(4, 3, data_format=fmt)(h)
    h = L.UpSampling2D(2, data_format=fmt)(h)
    h = L.ZeroPadding2D(((1, 0), (0, 2)), data_format=fmt)(h)
    h = L.Cropping2D(((0, 1), (1, 1)), data_format=fmt)(h)
    h = L.Resizing(6, 5, data_format=fmt)(h)
    return keras.Model(inputs, L.Flatten(data_format=fmt)(h))


rng = np.random.default_rng(0)
vol = rng.random((4, 6, 6, 6, 2)).astype("float32")
img = rng.random((4, 8, 8, 3)).astype("float32")
for build, x_last, axes in (
    (volume_model, vol, (0, 4, 1, 2, 3)),
    (image_model, img, (0, 3, 1, 2)),
):
    last, first = build("channels_last"), build("channels_first")
    first.set_weights(last.get_weights())
    x_first = np.transpose(x_last, axes)
    want, got = last(x_last).numpy(), first(x_first).numpy()
    # Flatten(data_format="channels_first") flattens in channels-last order, as Keras
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    print(build.__name__, first.output_shape, "matches channels_last")

model = volume_model("channels_first")
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
x = np.transpose(vol, (0, 4, 1, 2, 3))
y = x.mean(axis=(1, 2, 3, 4), keepdims=False)[:, None] * 2.0
before = model.evaluate(x, y, verbose=0)
model.fit(x, y, epochs=30, verbose=0)
after = model.evaluate(x, y, verbose=0)
print("loss", before, "->", after)
assert after < before * 0.5, (before, after)
assert model.layers[1].get_config()["data_format"] == "channels_first"
assert tuple(model.layers[1].output.shape) == (None, 4, 6, 6, 6)
