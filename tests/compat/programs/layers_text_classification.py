# Text classification with an Embedding and GlobalAveragePooling1D (the "basic text
# classification" tutorial's model) on a synthetic sentiment task: a review is positive when
# it holds more "good" words (ids 2-9) than "bad" ones (ids 10-17); 0 pads.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
vocab, length, n = 40, 12, 600
reviews = rng.integers(18, vocab, size=(n, length))
labels = rng.integers(0, 2, size=n)
for i in range(n):
    k = rng.integers(3, 7)
    words = rng.integers(2, 10, size=k) if labels[i] else rng.integers(10, 18, size=k)
    reviews[i, rng.choice(length, size=k, replace=False)] = words
    reviews[i, length - rng.integers(0, 4) :] = 0  # padding at the end

model = keras.Sequential(
    [
        keras.Input(shape=(length,), dtype="int32"),
        keras.layers.Embedding(vocab, 16, mask_zero=True),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
)
history = model.fit(reviews[:500], labels[:500], epochs=15, batch_size=32, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]
loss, accuracy = model.evaluate(reviews[500:], labels[500:], verbose=0)
assert accuracy > 0.9, accuracy

embedding = model.layers[0]
assert embedding.get_weights()[0].shape == (vocab, 16)
# Masked (padding) positions do not change the pooled features.
padded = np.array([[5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]])
short = np.array([[5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]])
pooled = keras.layers.GlobalAveragePooling1D()(embedding(padded))
manual = tf.reduce_mean(embedding(np.array([[5, 6]])), axis=1)
np.testing.assert_allclose(pooled.numpy(), manual.numpy(), rtol=1e-5, atol=1e-6)
other = keras.layers.GlobalAveragePooling1D()(embedding(short))
assert not np.allclose(pooled.numpy(), other.numpy())
