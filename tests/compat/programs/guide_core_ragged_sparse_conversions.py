"""Ragged and sparse tensors guides: conversions between ragged, sparse and dense, and
RaggedTensors staying ragged through elementwise ops even when their rows are even."""

import numpy as np
import tensorflow as tf

ragged = tf.ragged.constant([[1, 2], [], [3, 4, 5]])

# ragged -> sparse -> ragged
sparse = ragged.to_sparse()
assert isinstance(sparse, tf.sparse.SparseTensor)
assert sparse.indices.numpy().tolist() == [[0, 0], [0, 1], [2, 0], [2, 1], [2, 2]]
assert sparse.dense_shape.numpy().tolist() == [3, 3]
assert tf.RaggedTensor.from_sparse(sparse).to_list() == [[1, 2], [], [3, 4, 5]]

# from_sparse needs each row's entries at columns 0, 1, 2, ... (right-ragged)
gappy = tf.sparse.from_dense([[0, 7], [8, 0]])
try:
    tf.RaggedTensor.from_sparse(gappy)
    raise AssertionError("a SparseTensor with gaps in a row is not right-ragged")
except tf.errors.InvalidArgumentError:
    pass
try:
    tf.RaggedTensor.from_sparse(tf.sparse.SparseTensor([[0, 0, 0]], [1], [1, 1, 1]))
    raise AssertionError("from_sparse takes rank-2 SparseTensors only")
except ValueError:
    pass

# ragged <-> dense
padded = ragged.to_tensor(default_value=-1)
assert padded.numpy().tolist() == [[1, 2, -1], [-1, -1, -1], [3, 4, 5]]
assert ragged.to_tensor(shape=[2, 2]).numpy().tolist() == [[1, 2], [0, 0]]
assert tf.RaggedTensor.from_tensor(padded, padding=-1).to_list() == [[1, 2], [], [3, 4, 5]]
assert tf.RaggedTensor.from_tensor(padded, lengths=[1, 0, 2]).to_list() == [[1], [], [3, 4]]
assert ragged.bounding_shape().numpy().tolist() == [3, 3]

# sparse <-> dense
dense = tf.constant([[0, 5, 0], [0, 0, 0], [6, 0, 7]])
st = tf.sparse.from_dense(dense)
assert st.values.numpy().tolist() == [5, 6, 7]
assert st.dense_shape.dtype == tf.int64
filled = tf.sparse.to_dense(st, default_value=-1)
assert filled.numpy().tolist() == [[-1, 5, -1], [-1, -1, -1], [6, -1, 7]]
assert tf.sparse.reduce_sum(st, axis=1).numpy().tolist() == [5, 0, 13]
unordered = tf.sparse.SparseTensor(indices=[[2, 0], [0, 1]], values=[6, 5], dense_shape=[3, 3])
assert tf.sparse.to_dense(tf.sparse.reorder(unordered)).numpy().tolist()[0] == [0, 5, 0]

# conversions to a dense tensor are explicit: a RaggedTensor is no tensor-like
even = tf.ragged.constant([[1, 2], [3, 4]])
try:
    tf.convert_to_tensor(even)
    raise AssertionError("a RaggedTensor must not convert to a dense tensor")
except (ValueError, TypeError):
    pass
# ... so ops dispatch on it and give RaggedTensors back, even rows or not
for out in (tf.add(even, 1), tf.math.square(even), tf.where(even > 2, even, 0), even * 2):
    assert isinstance(out, tf.RaggedTensor), type(out)
assert tf.where(even > 2, even, 0).to_list() == [[0, 0], [3, 4]]
assert tf.math.square(even).to_list() == [[1, 4], [9, 16]]
cast = tf.cast(even, tf.float32)
assert isinstance(cast, tf.RaggedTensor) and cast.dtype == tf.float32
np.testing.assert_allclose(tf.reduce_mean(cast, axis=1).numpy(), [1.5, 3.5])

print("guide_core_ragged_sparse_conversions OK")
