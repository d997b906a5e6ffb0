"""TF 1 names of TF 2 functions (tf.compat.v1.log1p, matrix_inverse, segment_sum, ...) and
the TF 1 argument names that changed (keep_dims, reduction_indices, arg_max's dimension,
squeeze_dims), run eagerly."""

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])

np.testing.assert_allclose(v1.log1p(x).numpy(), np.log1p(x.numpy()), rtol=1e-6)
np.testing.assert_allclose(v1.erf(tf.constant(0.5)).numpy(), 0.5204999, rtol=1e-6)
np.testing.assert_allclose(v1.matrix_inverse(x).numpy() @ x.numpy(), np.eye(2), atol=1e-5)
np.testing.assert_allclose(v1.matrix_determinant(x).numpy(), -2.0, rtol=1e-5)
assert v1.ceil(tf.constant(1.2)).numpy() == 2.0
assert v1.segment_sum(tf.constant([1, 2, 3]), tf.constant([0, 0, 1])).numpy().tolist() == [3, 3]
assert v1.unsorted_segment_max(tf.constant([5, 1, 7]), [1, 1, 0], 2).numpy().tolist() == [7, 5]
assert v1.string_join(["a", "b"], separator="-").numpy() == b"a-b"
assert v1.where_v2(tf.constant([True, False]), 1, 2).numpy().tolist() == [1, 2]
assert v1.to_complex64(tf.constant(1.0)).dtype == tf.complex64
assert v1.floordiv(tf.constant(7), tf.constant(2)).numpy() == 3
assert v1.space_to_depth(tf.zeros([1, 4, 4, 3]), 2).shape == (1, 2, 2, 12)

summed = v1.reduce_sum(x, reduction_indices=[1], keep_dims=True)
assert summed.shape == (2, 1) and summed.numpy().ravel().tolist() == [3.0, 7.0]
assert v1.reduce_mean(x, 0).numpy().tolist() == [2.0, 3.0]
assert v1.reduce_max(x, axis=1, keepdims=True).shape == (2, 1)
try:
    v1.reduce_sum(x, axis=0, reduction_indices=0)
    raise AssertionError("both axis arguments were accepted")
except ValueError as error:
    assert "Cannot specify both" in str(error)
assert v1.arg_max(x, 1).numpy().tolist() == [1, 1]
assert v1.argmin(x, dimension=0).numpy().tolist() == [0, 0]
assert v1.squeeze(tf.zeros([1, 3, 1]), squeeze_dims=[0]).shape == (3, 1)
assert v1.expand_dims(tf.zeros([3]), dim=0).shape == (1, 3)
assert v1.count_nonzero(tf.constant([[0, 1], [2, 3]]), reduction_indices=1).numpy().tolist() == [
    1,
    2,
]
dense = v1.sparse_to_dense([0, 2], [4], [5.0, 6.0])
assert dense.numpy().tolist() == [5.0, 0.0, 6.0, 0.0]
init = v1.random_normal_initializer()
assert init.stddev == 1.0  # TF 1's default, not TF 2's 0.05
print("ok")
