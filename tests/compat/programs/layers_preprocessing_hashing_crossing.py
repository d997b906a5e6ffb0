"""Keras preprocessing layers for categorical features (guide "Working with preprocessing
layers"): Hashing (with a salt and a mask value), HashedCrossing (indices and one-hot),
CategoryEncoding in count mode with weights and as a SparseTensor, TextVectorization
multi-hot padded to max_tokens, Discretization adapted to quantiles, StringLookup one-hot;
then a small crossed-feature model trained on them."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

# Hashing maps strings to bins with a stable (FarmHash) hash; a salt changes the bins.
words = ["a", "b", "c", "a"]
assert np.asarray(layers.Hashing(num_bins=4)(words)).tolist() == [3, 2, 0, 3]
assert np.asarray(layers.Hashing(num_bins=4, salt=7)(words)).tolist() == [2, 1, 0, 2]
# With a mask value, bin 0 is kept for it and the rest hash into bins 1..3.
assert np.asarray(layers.Hashing(num_bins=4, mask_value="")(["", "b", "c"])).tolist() == [0, 2, 2]

# HashedCrossing hashes pairs of features together.
color = np.array(["A", "B", "A", "C"])
size = np.array([1, 2, 1, 3])
crossed = np.asarray(layers.HashedCrossing(num_bins=5)((color, size))).tolist()
assert crossed == [0, 1, 0, 3], crossed
one_hot = np.asarray(layers.HashedCrossing(num_bins=5, output_mode="one_hot")((color, size)))
np.testing.assert_array_equal(one_hot.argmax(-1), crossed)
assert one_hot.shape == (4, 5) and one_hot.sum() == 4

# CategoryEncoding: weighted counts, and a sparse multi-hot output.
counts = layers.CategoryEncoding(num_tokens=4, output_mode="count")(
    np.array([[0, 1, 1], [2, 2, 3]]), count_weights=np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 0.5]])
)
np.testing.assert_allclose(np.asarray(counts), [[1.0, 5.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.5]])
sparse = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot", sparse=True)(
    np.array([[0, 1], [2, 2]])
)
assert isinstance(sparse, tf.SparseTensor)
np.testing.assert_array_equal(
    tf.sparse.to_dense(sparse).numpy(), [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
)

# TextVectorization multi_hot, padded to max_tokens, and without padding.
corpus = ["the cat sat", "the dog sat", "a cat"]
padded = layers.TextVectorization(max_tokens=8, output_mode="multi_hot", pad_to_max_tokens=True)
padded.adapt(corpus)
vocab = padded.get_vocabulary()
assert vocab[0] == "[UNK]" and vocab[1] == "the" and len(vocab) == 6, vocab
encoded = np.asarray(padded(["the cat", "bird"]))
assert encoded.shape == (2, 8)
assert encoded[0].tolist() == [0, 1, 0, 1, 0, 0, 0, 0] and encoded[1].tolist()[0] == 1
unpadded = layers.TextVectorization(max_tokens=8, output_mode="multi_hot")
unpadded.adapt(corpus)
assert np.asarray(unpadded(["the cat"])).shape == (1, 6)

# Discretization learns quantile boundaries.
disc = layers.Discretization(num_bins=3)
disc.adapt(np.arange(12.0))
assert list(disc.bin_boundaries) == [3.0, 7.0]
assert np.asarray(disc(np.array([0.0, 4.5, 11.0]))).tolist() == [0, 1, 2]

# StringLookup one-hot with an OOV slot first.
lookup = layers.StringLookup(vocabulary=["x", "y"], output_mode="one_hot")
assert np.asarray(lookup(["y", "z"])).tolist() == [[0, 0, 1], [1, 0, 0]]

# A model on a crossed feature: the label depends on the (color, size) pair only.
keras.utils.set_random_seed(8)
rng = np.random.RandomState(8)
colors = rng.choice(["red", "green", "blue"], size=300)
sizes = rng.randint(0, 3, size=300)
label = ((colors == "red") & (sizes == 2)) | ((colors == "blue") & (sizes == 0))
label = label.astype("float32")[:, None]
cross = layers.HashedCrossing(num_bins=64, output_mode="one_hot")
features = np.asarray(cross((colors, sizes)))
model = keras.Sequential([keras.Input((64,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy", metrics=["acc"])
model.fit(features, label, epochs=40, batch_size=64, verbose=0)
loss, acc = model.evaluate(features, label, verbose=0)
assert acc == 1.0, acc
print("ok", round(loss, 4))
