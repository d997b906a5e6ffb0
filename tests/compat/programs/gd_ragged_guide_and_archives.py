"""Ragged tensors as the ragged guide uses them (reverse, shapes that build tensors,
broadcasting, concrete functions for RaggedTensorSpec) and get_file unpacking cached
archives."""

import io
import os
import tarfile
import tempfile
import zipfile

import numpy as np
import tensorflow as tf

words = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
assert tf.reverse(words, [1]).to_list() == [[2, 1], [3], [6, 5, 4]]
assert tf.reverse(words, [0]).to_list() == [[4, 5, 6], [3], [1, 2]]
assert tf.concat([words, tf.reverse(words, [1])], axis=1).to_list() == [
    [1, 2, 2, 1],
    [3, 3],
    [4, 5, 6, 6, 5, 4],
]
deep = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
assert tf.reverse(deep, [2]).to_list() == [[[2, 1], [3]], [[6, 5, 4]]]
assert tf.reverse(deep, [1]).to_list() == [[[3], [1, 2]], [[4, 5, 6]]]
try:
    tf.reverse(words, [2])
    raise AssertionError("axis 2 is out of range")
except ValueError:
    pass

# a ragged shape builds tensors of that shape
shape = tf.shape(tf.ragged.constant([[0], [0, 0, 0], [], [0, 0]]))
assert int(shape[0]) == 4
try:
    shape[1]
    raise AssertionError("axis 1 is ragged")
except ValueError:
    pass
assert shape[:1].rank == 1 and shape[:2].num_row_partitions == 1
letters = tf.reshape(tf.constant([["p", "q"], ["r", "s"], ["t", "u"]]), shape)
assert letters.to_list() == [[b"p"], [b"q", b"r", b"s"], [], [b"t", b"u"]]
assert tf.zeros(shape).to_list() == [[0.0], [0.0, 0.0, 0.0], [], [0.0, 0.0]]
assert tf.ones(shape, tf.int64).to_list() == [[1], [1, 1, 1], [], [1, 1]]
assert tf.fill(shape, 7).to_list() == [[7], [7, 7, 7], [], [7, 7]]
part = tf.experimental.RowPartition.from_row_lengths([2, 0, 1])
built = tf.experimental.DynamicRaggedShape(row_partitions=[part], inner_shape=[3, 4])
assert built.rank == 3 and built.inner_shape.numpy().tolist() == [3, 4]

# broadcasting a dense operand of size 1 along the row and ragged axes
points = tf.ragged.constant([[[1, 1], [2, 2]], [[3, 3]]], ragged_rank=1)
assert (points * tf.constant([[2]])).to_list() == [[[2, 2], [4, 4]], [[6, 6]]]
assert (points + tf.constant([[[0, 10]]])).to_list() == [[[1, 11], [2, 12]], [[3, 13]]]

# a concrete function for a RaggedTensorSpec
offset = tf.Variable(0.5)


@tf.function
def shift(rt):
    return rt + offset


concrete = shift.get_concrete_function(tf.RaggedTensorSpec([None, None], tf.float32))
shifted = concrete(tf.ragged.constant([[1.0, 2.0], [3.0]]))
assert shifted.to_list() == [[1.5, 2.5], [3.5]]

# gradients flow through a ragged reverse
flat = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as tape:
    rows = tf.RaggedTensor.from_row_lengths(flat * 1.0, [1, 2])
    total = tf.reduce_sum(tf.reverse(rows, [1]).flat_values * [1.0, 2.0, 3.0])
np.testing.assert_array_equal(tape.gradient(total, flat).numpy(), [1.0, 3.0, 2.0])

# -- get_file unpacks archives already in the cache ---------------------------------------
cache = tempfile.mkdtemp()
os.makedirs(os.path.join(cache, "datasets"))
with tarfile.open(os.path.join(cache, "datasets", "shapes_archive"), "w:gz") as tar:
    payload = b"circle"
    info = tarfile.TarInfo("round/one.txt")
    info.size = len(payload)
    tar.addfile(info, io.BytesIO(payload))
with zipfile.ZipFile(os.path.join(cache, "datasets", "scores.zip"), "w") as zf:
    zf.writestr("scores.csv", "x,y\n1,2\n")
where = tf.keras.utils.get_file(
    "shapes", "https://example.invalid/shapes.tgz", untar=True, cache_dir=cache
)
assert where == os.path.join(cache, "datasets", "shapes")
with open(os.path.join(where, "round", "one.txt"), "rb") as f:
    assert f.read() == b"circle"
folder = tf.keras.utils.get_file(
    "scores.zip", "https://example.invalid/scores.zip", extract=True, cache_dir=cache
)
assert folder == os.path.join(cache, "datasets", "scores_extracted")
assert open(os.path.join(folder, "scores.csv")).read() == "x,y\n1,2\n"
print("ok")
