# Dataset.save / Dataset.load ("tf.data: Build TensorFlow input pipelines", saving and
# loading): elements with text, ragged and sparse components round-trip, with shards,
# GZIP compression, a reader_func, and an explicit element_spec.
import numpy as np
import tensorflow as tf

reviews = tf.data.Dataset.from_tensor_slices(
    {
        "text": ["great movie", "", "not bad at all", "meh"],
        "stars": tf.constant([5, 1, 4, 2], tf.int64),
    }
)


def featurize(row):
    tokens = tf.strings.split(row["text"])
    return {
        "text": row["text"],
        "tokens": tokens,
        "chars": tf.strings.bytes_split(tokens),  # a RaggedTensor [words, None]
        "lengths": tf.sparse.from_dense(tf.strings.length(tokens)),
    }, row["stars"]


ds = reviews.map(featurize)
expected = [(f["text"].numpy(), f["tokens"].numpy().tolist(), int(y)) for f, y in ds]

ds.save("reviews")
loaded = tf.data.Dataset.load("reviews")
assert int(loaded.cardinality()) == 4
features_spec, label_spec = loaded.element_spec
assert label_spec == tf.TensorSpec(shape=(), dtype=tf.int64)
assert features_spec["text"].dtype == tf.string
assert isinstance(features_spec["lengths"], tf.SparseTensorSpec)
assert isinstance(features_spec["chars"], tf.RaggedTensorSpec)
assert features_spec["chars"].ragged_rank == 1
got = [(f["text"].numpy(), f["tokens"].numpy().tolist(), int(y)) for f, y in loaded]
assert got == expected, got
lengths = [tf.sparse.to_dense(f["lengths"]).numpy().tolist() for f, _ in loaded]
assert lengths == [[5, 5], [], [3, 3, 2, 3], [3]], lengths
chars = [f["chars"].to_list() for f, _ in loaded]
assert chars[2][1] == [b"b", b"a", b"d"] and chars[1] == [], chars

# Batching the loaded dataset works as on the original one.
first = next(iter(loaded.map(lambda f, y: (f["text"], y)).batch(4)))
assert first[0].numpy().tolist() == [b"great movie", b"", b"not bad at all", b"meh"]

# Shards chosen by a shard_func, GZIP compression, and a reader_func that interleaves them.
numbers = tf.data.Dataset.range(12).map(lambda x: (x, tf.strings.as_string(x * x)))
numbers.save("numbers", compression="GZIP", shard_func=lambda x, s: x % 3)
back = tf.data.Dataset.load(
    "numbers",
    compression="GZIP",
    reader_func=lambda shards: shards.interleave(lambda d: d, cycle_length=3),
)
pairs = sorted((int(x), s.decode()) for x, s in back.as_numpy_iterator())
assert pairs == [(i, str(i * i)) for i in range(12)], pairs

# An element_spec given to load must describe what was saved.
spec = (tf.TensorSpec((), tf.int64), tf.TensorSpec((), tf.string))
again = tf.data.Dataset.load("numbers", element_spec=spec, compression="GZIP")
assert again.element_spec == spec
assert np.sum([int(x) for x, _ in again]) == sum(range(12))
print("saved and loaded", len(got), "reviews and", len(pairs), "numbers")
