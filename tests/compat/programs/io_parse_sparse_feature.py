"""tf.io.SparseFeature: an Example stores the index and the value of each nonzero entry
in two lists; parse_example builds one SparseTensor of the given size, sorted by index
(TensorFlow 2.21)."""

import numpy as np
import tensorflow as tf


def example(ids, weights, cols=None, tag=None):
    feature = {
        "ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids)),
        "weights": tf.train.Feature(float_list=tf.train.FloatList(value=weights)),
    }
    if cols is not None:
        feature["cols"] = tf.train.Feature(int64_list=tf.train.Int64List(value=cols))
    if tag is not None:
        feature["tag"] = tf.train.Feature(bytes_list=tf.train.BytesList(value=[tag]))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


records = [
    example([4, 0], [0.5, 2.0], [1, 0], b"a"),
    example([], [], [], b"b"),
    example([2], [1.5], [2], b"c"),
]

spec = {
    "bag": tf.io.SparseFeature("ids", "weights", tf.float32, 6),
    "tag": tf.io.FixedLenFeature([], tf.string),
}
parsed = tf.io.parse_example(records, spec)
assert sorted(parsed) == ["bag", "tag"]  # the index and value lists are not returned
bag = parsed["bag"]
assert isinstance(bag, tf.SparseTensor)
assert bag.indices.numpy().tolist() == [[0, 0], [0, 4], [2, 2]]
np.testing.assert_allclose(bag.values.numpy(), [2.0, 0.5, 1.5])
assert bag.dense_shape.numpy().tolist() == [3, 6]
dense = tf.sparse.to_dense(bag).numpy()
np.testing.assert_allclose(dense.sum(axis=1), [2.5, 0.0, 1.5])
assert parsed["tag"].numpy().tolist() == [b"a", b"b", b"c"]

# a weighted bag of ids feeds an embedding lookup
table = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))
ids = tf.SparseTensor(bag.indices, bag.indices[:, 1], bag.dense_shape)
weights = tf.SparseTensor(bag.indices, bag.values, bag.dense_shape)
pooled = tf.nn.embedding_lookup_sparse(table, ids, weights, combiner="sum")
np.testing.assert_allclose(pooled.numpy()[0], 2.0 * table[0] + 0.5 * table[4])

# two index lists: a 2-D sparse entry per value
grid = tf.io.parse_example(
    records, {"grid": tf.io.SparseFeature(["ids", "cols"], "weights", tf.float32, [6, 3])}
)["grid"]
assert grid.indices.numpy().tolist() == [[0, 0, 0], [0, 4, 1], [2, 2, 2]]
assert grid.dense_shape.numpy().tolist() == [3, 6, 3]

# one record: no batch dimension; already_sorted keeps the stored order
single = tf.io.parse_single_example(
    records[0], {"bag": tf.io.SparseFeature("ids", "weights", tf.float32, 6, already_sorted=True)}
)["bag"]
assert single.indices.numpy().tolist() == [[4], [0]]
assert single.dense_shape.numpy().tolist() == [6]

# in a tf.data pipeline
ds = (
    tf.data.Dataset.from_tensor_slices(records)
    .batch(2)
    .map(lambda r: tf.sparse.to_dense(tf.io.parse_example(r, spec)["bag"]))
)
totals = [float(tf.reduce_sum(d)) for d in ds]
assert totals == [2.5, 1.5], totals
print("io_parse_sparse_feature: ok")
