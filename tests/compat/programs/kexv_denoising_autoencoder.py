# keras.io "Convolutional autoencoder for image denoising": images scaled to [0, 1], noisy
# copies made with np.random.normal and clipped, an encoder of Conv2D + MaxPooling2D
# (padding "same") and a decoder of strided Conv2DTranspose layers with a sigmoid Conv2D
# output, trained first to reconstruct and then to map the noisy images to clean ones with
# binary crossentropy. Synthetic 8x8 images of random axis-aligned bars.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)
S = 8


def make_images(n):
    out = np.zeros((n, S, S, 1), "float32")
    for i in range(n):
        k = rng.integers(0, S)
        if rng.random() < 0.5:
            out[i, k, :, 0] = 1.0
        else:
            out[i, :, k, 0] = 1.0
    return out


def noise(array):
    noisy_array = array + 0.3 * rng.normal(loc=0.0, scale=1.0, size=array.shape)
    return np.clip(noisy_array, 0.0, 1.0).astype("float32")


train_data, test_data = make_images(600), make_images(100)
noisy_train_data, noisy_test_data = noise(train_data), noise(test_data)
assert noisy_train_data.min() >= 0.0 and noisy_train_data.max() <= 1.0

inp = layers.Input(shape=(S, S, 1))
x = layers.Conv2D(16, (3, 3), activation="relu", padding="same")(inp)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(16, (3, 3), activation="relu", padding="same")(x)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2DTranspose(16, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2DTranspose(16, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
autoencoder = keras.Model(inp, x)
autoencoder.compile(optimizer=keras.optimizers.Adam(0.005), loss="binary_crossentropy")
assert autoencoder.output_shape == (None, S, S, 1)
shapes = [layer.output.shape for layer in autoencoder.layers[1:]]
assert shapes == [
    (None, 8, 8, 16), (None, 4, 4, 16), (None, 4, 4, 16), (None, 2, 2, 16),
    (None, 4, 4, 16), (None, 8, 8, 16), (None, 8, 8, 1),
]  # fmt: skip
# Conv2DTranspose keeps its kernel as (kh, kw, filters, in_channels)
assert autoencoder.layers[5].kernel.shape == (3, 3, 16, 16)

# a strided transposed convolution of a single one-hot pixel paints the kernel itself
ct = layers.Conv2DTranspose(1, 3, strides=2, padding="same", use_bias=False)
one = np.zeros((1, 2, 2, 1), "float32")
one[0, 0, 0, 0] = 1.0
painted = ct(one).numpy()[0, :, :, 0]
assert painted.shape == (4, 4)
np.testing.assert_allclose(painted[:3, :3], ct.kernel.numpy()[:, :, 0, 0], atol=1e-6)
assert np.all(painted[3, :] == 0) and np.all(painted[:, 3] == 0)

first = autoencoder.fit(train_data, train_data, epochs=5, batch_size=64, shuffle=True, verbose=0,
                        validation_data=(test_data, test_data))  # fmt: skip
assert first.history["val_loss"][-1] < first.history["val_loss"][0], first.history

history = autoencoder.fit(noisy_train_data, train_data, epochs=15, batch_size=64, shuffle=True,
                          validation_data=(noisy_test_data, test_data), verbose=0)  # fmt: skip
assert history.history["val_loss"][-1] < history.history["val_loss"][0]
predictions = autoencoder.predict(noisy_test_data, verbose=0)
noisy_mse = float(np.mean((noisy_test_data - test_data) ** 2))
denoised_mse = float(np.mean((predictions - test_data) ** 2))
recon = autoencoder.predict(test_data, verbose=0)  # clean inputs come back clean
recon_mse = float(np.mean((recon - test_data) ** 2))
print("reconstruction", recon_mse, "noisy", noisy_mse, "denoised", denoised_mse)
assert recon_mse < 0.01, recon_mse
assert denoised_mse < 0.3 * noisy_mse, (noisy_mse, denoised_mse)
