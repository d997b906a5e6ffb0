# A 1-D convolutional text classifier (Embedding, SpatialDropout1D, Conv1D, GlobalMaxPooling1D):
# a sentence is positive when it contains the bigram (3, 4) anywhere.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(10)
rng = np.random.default_rng(10)
x = rng.integers(1, 8, size=(600, 16))
for i in range(600):
    x[i][x[i] == 3] = 5  # no accidental bigrams
    if i % 2:
        j = rng.integers(0, 15)
        x[i, j : j + 2] = [3, 4]
y = (np.arange(600) % 2).astype("float32")

model = keras.Sequential(
    [
        keras.Input(shape=(16,), dtype="int32"),
        keras.layers.Embedding(8, 8),
        keras.layers.SpatialDropout1D(0.1),
        keras.layers.Conv1D(16, 2, activation="relu"),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
)
model.fit(x[:500], y[:500], epochs=10, batch_size=25, verbose=0)
assert model.evaluate(x[500:], y[500:], verbose=0)[1] > 0.95

conv = model.layers[2]
kernel, bias = conv.get_weights()
assert kernel.shape == (2, 8, 16) and bias.shape == (16,)
assert conv.compute_output_shape((None, 16, 8)) == (None, 15, 16)

# Causal padding: step t sees steps <= t only.
causal = keras.layers.Conv1D(1, 3, padding="causal", use_bias=False, kernel_initializer="ones")
signal = np.arange(5, dtype="float32").reshape(1, 5, 1)
np.testing.assert_allclose(causal(signal).numpy()[0, :, 0], [0, 1, 3, 6, 9])
dilated = keras.layers.Conv1D(1, 2, dilation_rate=2, use_bias=False, kernel_initializer="ones")
np.testing.assert_allclose(dilated(signal).numpy()[0, :, 0], [2, 4, 6])
