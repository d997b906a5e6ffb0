"""Ragged tensor guide: the shape of a RaggedTensor. tf.shape gives a
tf.experimental.DynamicRaggedShape: uniform sizes are indexable, ragged axes list their
row lengths (TensorFlow 2.21)."""

import tensorflow as tf

sentences = tf.ragged.constant([["a", "b", "c"], ["d"], ["e", "f"]])
shape = tf.shape(sentences)
assert isinstance(shape, tf.experimental.DynamicRaggedShape)
assert shape.rank == 2 and shape.num_row_partitions == 1
assert int(shape[0]) == 3  # the number of sentences
assert shape.static_lengths() == [3, (3, 1, 2)]
assert shape.inner_shape.numpy().tolist() == [6]
try:
    shape[1]
except ValueError as error:
    assert "not uniform" in str(error)
else:
    raise AssertionError("a ragged axis has no single size")

# row lengths agree with the tensor's own
assert list(shape.static_lengths()[1]) == sentences.row_lengths().numpy().tolist()

# a batch of variable-length sequences of 2-D feature vectors
features = tf.RaggedTensor.from_row_lengths(tf.ones([5, 2]), row_lengths=[2, 3])
fshape = tf.shape(features, out_type=tf.int64)
assert fshape.dtype == tf.int64
assert fshape.static_lengths() == [2, (2, 3), 2]
assert int(fshape[-1]) == 2 and int(fshape[0]) == 2

# shapes from lengths: an int for a uniform axis, a tuple of row lengths for a ragged one
made = tf.experimental.DynamicRaggedShape.from_lengths([2, (1, 2), 3])
assert made.num_row_partitions == 1
assert made.inner_shape.numpy().tolist() == [3, 3]
assert made.static_lengths(ragged_lengths=False) == [2, None, 3]
assert repr(made) == "<DynamicRaggedShape lengths=[2, (1, 2), 3] num_row_partitions=1>"

dense = tf.experimental.DynamicRaggedShape.from_tensor(tf.zeros([4, 5]))
assert dense.num_row_partitions == 0 and dense.static_lengths() == [4, 5]
assert int(dense[1]) == 5
print("core_ragged_dynamic_shape: ok")
