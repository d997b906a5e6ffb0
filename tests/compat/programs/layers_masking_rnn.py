# Padded sequences: Masking (or Embedding(mask_zero=True)) makes RNNs skip the padding, so a
# padded batch gives the same result as each sequence alone.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(9)
rng = np.random.default_rng(9)
sequences = [rng.standard_normal((n, 3)).astype("float32") for n in (5, 3, 1)]
padded = np.zeros((3, 5, 3), "float32")
for i, s in enumerate(sequences):
    padded[i, : len(s)] = s

model = keras.Sequential(
    [
        keras.Input(shape=(5, 3)),
        keras.layers.Masking(mask_value=0.0),
        keras.layers.GRU(4),
    ]
)
batch_out = model(padded).numpy()
gru = model.layers[-1]
for i, s in enumerate(sequences):
    alone = gru(s[None]).numpy()
    np.testing.assert_allclose(batch_out[i], alone[0], rtol=1e-5, atol=1e-6)

ids = np.array([[4, 2, 7, 0, 0], [3, 0, 0, 0, 0]])
embed = keras.layers.Embedding(10, 6, mask_zero=True)
lstm = keras.layers.LSTM(3, return_sequences=True)
out = lstm(embed(ids)).numpy()
# Masked steps repeat the last unmasked output.
np.testing.assert_allclose(out[0, 3], out[0, 2], rtol=1e-6)
np.testing.assert_allclose(out[1, 4], out[1, 0], rtol=1e-6)
mask = embed.compute_mask(ids)
np.testing.assert_array_equal(np.asarray(mask), ids != 0)

# Training on padded data works and pooled, masked features ignore the padding.
x = rng.integers(1, 10, size=(200, 8))
for i in range(200):
    x[i, rng.integers(2, 8) :] = 0
y = (x == 3).any(axis=1).astype("float32")
classifier = keras.Sequential(
    [
        keras.Input(shape=(8,), dtype="int32"),
        keras.layers.Embedding(10, 8, mask_zero=True),
        keras.layers.LSTM(8),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
classifier.compile(
    optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"]
)
classifier.fit(x, y, epochs=15, batch_size=20, verbose=0)
assert classifier.evaluate(x, y, verbose=0)[1] > 0.9
