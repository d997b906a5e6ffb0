"""Categorical string features, as in the "Working with preprocessing layers" guide:
StringLookup (int, one_hot, multi_hot, invert), Hashing, and a model fed raw strings."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

# StringLookup with a fixed vocabulary
vocab = ["a", "b", "c", "d"]
data = tf.constant([["a", "c", "d"], ["d", "z", "b"]])
layer = keras.layers.StringLookup(vocabulary=vocab)
assert layer(data).numpy().tolist() == [[1, 3, 4], [4, 0, 2]]
assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
assert layer.vocabulary_size() == 5

# adapt: most frequent first
data = tf.constant([["a", "c", "d"], ["d", "z", "b"]])
layer = keras.layers.StringLookup()
layer.adapt(data)
assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]

# one-hot and multi-hot encodings
one_hot = keras.layers.StringLookup(vocabulary=vocab, output_mode="one_hot")
assert one_hot(tf.constant(["a", "b", "c", "d", "z"])).numpy().tolist() == [
    [0, 1, 0, 0, 0],
    [0, 0, 1, 0, 0],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 0, 1],
    [1, 0, 0, 0, 0],
]
multi_hot = keras.layers.StringLookup(vocabulary=vocab, output_mode="multi_hot")
assert multi_hot(tf.constant([["a", "b"], ["c", "z"]])).numpy().tolist() == [
    [0, 1, 1, 0, 0],
    [1, 0, 0, 1, 0],
]
count = keras.layers.StringLookup(vocabulary=vocab, output_mode="count")
assert count(tf.constant([["a", "a", "z"]])).numpy().tolist() == [[1, 2, 0, 0, 0]]

# masking and the inverse lookup
masked = keras.layers.StringLookup(vocabulary=vocab, mask_token="")
assert masked(tf.constant(["a", "", "q"])).numpy().tolist() == [2, 0, 1]
invert = keras.layers.StringLookup(vocabulary=vocab, invert=True)
assert invert(tf.constant([[1, 3, 4], [4, 0, 2]])).numpy().tolist() == [
    [b"a", b"c", b"d"],
    [b"d", b"[UNK]", b"b"],
]

# several OOV indices: out-of-vocabulary strings are hashed among them, deterministically
oov = keras.layers.StringLookup(vocabulary=vocab, num_oov_indices=2)
ids = oov(tf.constant(["a", "zebra", "zebra", "yak"])).numpy()
assert ids[0] == 2 and ids[1] == ids[2] and 0 <= ids[1] < 2 and 0 <= ids[3] < 2

# Hashing: strings into a fixed number of bins
hashing = keras.layers.Hashing(num_bins=3)
bins = hashing(tf.constant([["A"], ["B"], ["C"], ["D"], ["E"]])).numpy()
assert bins.shape == (5, 1) and bins.min() >= 0 and bins.max() < 3
again = keras.layers.Hashing(num_bins=3)(tf.constant([["A"], ["B"], ["C"], ["D"], ["E"]]))
assert again.numpy().tolist() == bins.tolist()
hashed_masked = keras.layers.Hashing(num_bins=4, mask_value="")
assert hashed_masked(tf.constant([""])).numpy().tolist() == [0]

# TF-IDF from a learned vocabulary
tfidf = keras.layers.StringLookup(output_mode="tf_idf")
tfidf.adapt(tf.constant([["a", "b"], ["a", "a"], ["c", "a"]]))
weights = tfidf.idf_weights.numpy()
np.testing.assert_allclose(weights[1], np.log(1 + 3 / (1 + 3)), rtol=1e-6)  # "a": in 3 docs

# A classifier on a raw string feature
keras.utils.set_random_seed(0)
colors = np.array(["red", "green", "blue", "red", "blue", "green"] * 20)
labels = np.array([1 if c == "red" else 0 for c in colors], dtype="float32")
lookup = keras.layers.StringLookup(output_mode="one_hot")
lookup.adapt(colors)
inputs = keras.Input(shape=(1,), dtype="string")
x = lookup(inputs)
outputs = keras.layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(
    optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy", metrics=["accuracy"]
)
features = tf.constant(colors[:, None])
model.fit(features, labels, epochs=20, batch_size=16, verbose=0)
_, accuracy = model.evaluate(features, labels, verbose=0)
assert accuracy == 1.0
pred = model.predict(tf.constant([["red"], ["blue"]]), verbose=0)
assert pred[0, 0] > 0.5 > pred[1, 0]

# in a tf.data pipeline
ds = tf.data.Dataset.from_tensor_slices(colors[:4]).batch(2).map(lambda x: lookup(x))
first = next(iter(ds))
assert first.shape == (2, 4)
print("ok")
