# A convolutional autoencoder: Conv2D + MaxPooling2D encode 16x16 images of blobs,
# Conv2DTranspose and UpSampling2D decode them; reconstruction beats the mean image.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(4)
rng = np.random.default_rng(4)
yy, xx = np.mgrid[0:16, 0:16]
images = np.stack(
    [
        np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 8.0)
        for cy, cx in rng.uniform(3, 13, size=(200, 2))
    ]
).astype("float32")[..., None]

model = keras.Sequential(
    [
        keras.Input(shape=(16, 16, 1)),
        keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"),
        keras.layers.UpSampling2D(2),
        keras.layers.Conv2D(1, 3, padding="same"),
    ]
)
assert model.output_shape == (None, 16, 16, 1)
model.compile(optimizer=keras.optimizers.Adam(0.005), loss="mse")
history = model.fit(images, images, epochs=30, batch_size=20, verbose=0)
baseline = float(np.mean((images - images.mean(axis=0)) ** 2))
assert history.history["loss"][-1] < 0.2 * baseline, (history.history["loss"][-1], baseline)

transpose = model.layers[4]
kernel, bias = transpose.get_weights()
assert kernel.shape == (3, 3, 8, 8) and bias.shape == (8,)  # (kh, kw, filters, in_channels)

# Conv2DTranspose with a 1x1 input and a stride-2 "valid" 2x2 kernel writes the kernel out.
layer = keras.layers.Conv2DTranspose(1, 2, strides=2, use_bias=False)
layer(np.ones((1, 1, 1, 1), "float32"))
layer.set_weights([np.arange(4, dtype="float32").reshape(2, 2, 1, 1)])
np.testing.assert_allclose(
    layer(np.full((1, 1, 1, 1), 2.0, "float32")).numpy()[0, :, :, 0], [[0, 2], [4, 6]]
)
up = keras.layers.UpSampling2D((2, 3))(np.arange(4, dtype="float32").reshape(1, 2, 2, 1))
expected = np.repeat(np.repeat([[0, 1], [2, 3]], 2, axis=0), 3, axis=1)
np.testing.assert_allclose(up.numpy()[0, :, :, 0], expected)
