"""Models used as layers: a Sequential and a functional model inside a functional model."""

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(0)
layers = keras.layers

encoder_input = keras.Input(shape=(8,), name="original")
encoded = layers.Dense(4, activation="relu")(encoder_input)
encoder = keras.Model(encoder_input, layers.Dense(2, name="code")(encoded), name="encoder")

decoder = keras.Sequential(
    [keras.Input(shape=(2,)), layers.Dense(4, activation="relu"), layers.Dense(8)], name="decoder"
)

autoencoder_input = keras.Input(shape=(8,), name="img")
code = encoder(autoencoder_input)
reconstruction = decoder(code)
autoencoder = keras.Model(autoencoder_input, reconstruction, name="autoencoder")

assert tuple(code.shape) == (None, 2) and tuple(reconstruction.shape) == (None, 8)
assert [layer.name for layer in autoencoder.layers] == ["img", "encoder", "decoder"]
assert autoencoder.count_params() == encoder.count_params() + decoder.count_params()
assert len(autoencoder.trainable_weights) == 8

x = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
np.testing.assert_allclose(
    autoencoder(x).numpy(), decoder(encoder(x)).numpy(), rtol=1e-5, atol=1e-6
)

autoencoder.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
data = np.random.default_rng(1).normal(size=(128, 8)).astype("float32")
history = autoencoder.fit(data, data, epochs=10, batch_size=32, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]

# Training the outer model trained the nested ones: they share the weights.
np.testing.assert_allclose(
    encoder.get_layer("code").kernel.numpy(),
    autoencoder.get_layer("encoder").get_layer("code").kernel.numpy(),
)

# Freezing a nested model removes its weights from the trainable ones.
encoder.trainable = False
assert len(autoencoder.trainable_weights) == 4
assert len(autoencoder.non_trainable_weights) == 4
print("ok")
