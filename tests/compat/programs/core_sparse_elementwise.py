"""Sparse tensors guide, continued: element-wise max/min, softmax, transposes, splits,
map_values, segment reductions over sparse positions, bincount."""

import numpy as np
import tensorflow as tf

a = tf.sparse.SparseTensor(
    indices=[[0, 0], [1, 2], [2, 1]], values=[1.0, -2.0, 3.0], dense_shape=[3, 4]
)
b = tf.sparse.SparseTensor(
    indices=[[0, 0], [1, 1], [2, 1]], values=[0.5, 4.0, 5.0], dense_shape=[3, 4]
)
dense_a, dense_b = tf.sparse.to_dense(a).numpy(), tf.sparse.to_dense(b).numpy()
assert np.array_equal(
    tf.sparse.to_dense(tf.sparse.maximum(a, b)).numpy(), np.maximum(dense_a, dense_b)
)
assert np.array_equal(
    tf.sparse.to_dense(tf.sparse.minimum(a, b)).numpy(), np.minimum(dense_a, dense_b)
)
assert tf.sparse.maximum(a, b).indices.numpy().tolist() == [[0, 0], [1, 1], [1, 2], [2, 1]]

scores = tf.sparse.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
probabilities = tf.sparse.softmax(scores)
e = np.exp([1.0, 2.0])
np.testing.assert_allclose(
    probabilities.values.numpy(), [e[0] / e.sum(), e[1] / e.sum(), 1.0], rtol=1e-6
)

transposed = tf.sparse.transpose(a)
assert np.array_equal(tf.sparse.to_dense(transposed).numpy(), dense_a.T)
assert tf.sparse.expand_dims(a, axis=0).shape == (1, 3, 4)
assert np.array_equal(tf.sparse.to_dense(tf.sparse.eye(3)).numpy(), np.eye(3))

pieces = tf.sparse.split(sp_input=a, num_split=2, axis=1)
assert [p.shape.as_list() for p in pieces] == [[3, 2], [3, 2]]
assert np.array_equal(
    np.concatenate([tf.sparse.to_dense(p).numpy() for p in pieces], axis=1), dense_a
)

doubled = tf.sparse.map_values(tf.multiply, a, 2)
assert doubled.values.numpy().tolist() == [2.0, -4.0, 6.0]

data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
assert tf.sparse.segment_sum(
    data, tf.constant([0, 1, 2]), tf.constant([0, 0, 1])
).numpy().tolist() == [[4.0, 6.0], [5.0, 6.0]]
assert tf.sparse.segment_mean(data, tf.constant([0, 2]), tf.constant([0, 0])).numpy().tolist() == [
    [3.0, 4.0]
]

counts = tf.sparse.bincount(tf.constant([[3, 2, 1, 1], [5, 0, 0, 5]]), axis=-1)
assert counts.dense_shape.numpy().tolist() == [2, 6]
assert tf.sparse.to_dense(counts).numpy().tolist() == [[0, 2, 1, 1, 0, 0], [2, 0, 0, 0, 0, 2]]
print("ok")
