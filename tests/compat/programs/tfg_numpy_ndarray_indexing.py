"""tf.experimental.numpy: NumPy-style indexing, ndarray interop and asarray dtype rules."""

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

tnp.experimental_enable_numpy_behavior(prefer_float32=False)

x = tnp.arange(12).reshape((3, 4))
xn = np.arange(12).reshape((3, 4))
# Advanced indexing with integer arrays, boolean masks and mixed forms.
np.testing.assert_array_equal(x[[0, 2]], xn[[0, 2]])
np.testing.assert_array_equal(x[:, [3, 0]], xn[:, [3, 0]])
np.testing.assert_array_equal(x[[0, 1], [1, 2]], xn[[0, 1], [1, 2]])
np.testing.assert_array_equal(x[x > 6], xn[xn > 6])
np.testing.assert_array_equal(x[tnp.asarray([True, False, True])], xn[[True, False, True]])
np.testing.assert_array_equal(x[..., -1], xn[..., -1])
np.testing.assert_array_equal(x[None, 1:, ::2], xn[None, 1:, ::2])
np.testing.assert_array_equal(x[-1, ::-1], xn[-1, ::-1])
assert x[1, 2].shape == () and int(x[1, 2]) == 6

# asarray dtype rules: Python ints int64, floats float64, bools bool; explicit dtype wins.
assert tnp.asarray(3).dtype == tnp.int64
assert tnp.asarray(3.0).dtype == tnp.float64
assert tnp.asarray([True]).dtype == tnp.bool_
assert tnp.asarray([1, 2.0]).dtype == tnp.float64
assert tnp.asarray([1, 2], dtype=tnp.float32).dtype == tnp.float32
assert tnp.asarray(np.ones(2, np.float16)).dtype == tnp.float16
t32 = tf.constant([1.0, 2.0])
assert tnp.asarray(t32).dtype == tnp.float32
cp = tnp.array(t32)
assert cp.dtype == tnp.float32
assert tnp.zeros(3).dtype == tnp.float64 and tnp.zeros(3, dtype=tnp.int32).dtype == tnp.int32
assert tnp.full([2], 7).dtype == tnp.int64 and tnp.eye(2).dtype == tnp.float64

# Promotion follows NumPy once numpy behavior is on, also for tensor operators.
i32 = tf.constant([1, 2], tf.int32)
f32 = tf.constant([0.5, 0.5], tf.float32)
assert (i32 + f32).dtype == tf.float64
assert (i32 + tf.constant([1, 1], tf.int64)).dtype == tf.int64
assert (f32 * 2).dtype == tf.float32
assert (i32 / i32).dtype == tf.float64
assert tnp.result_type(tnp.int8, tnp.uint8) == tnp.int16

# ndarray interop: NumPy functions accept tensors, NumPy arrays flow into TF ops.
assert isinstance(np.asarray(x), np.ndarray)
assert np.sum(x) == 66
np.testing.assert_allclose(np.mean(tf.constant([1.0, 3.0])), 2.0)
prod = tf.matmul(np.ones((2, 3)), np.ones((3, 2)))
assert isinstance(prod, tf.Tensor) and prod.dtype == tf.float64
assert float(prod[0, 0]) == 3.0
mixed = tnp.add(np.int32(1), tf.constant(2, tf.int64))
assert mixed.dtype == tf.int64 and int(mixed) == 3
assert x.tolist() == xn.tolist()
assert x.size == 12 and x.ndim == 2 and len(x) == 3

# Methods and functions that numpy behavior adds.
np.testing.assert_array_equal(x.reshape(-1)[:3], [0, 1, 2])
np.testing.assert_array_equal(x.transpose(), xn.T)
np.testing.assert_array_equal(x.clip(2, 5), xn.clip(2, 5))
np.testing.assert_array_equal(tnp.diff(tnp.asarray([1, 4, 9])), [3, 5])
np.testing.assert_array_equal(tnp.argsort(tnp.asarray([3, 1, 2])), [1, 2, 0])
np.testing.assert_array_equal(tnp.flip(x, 0), np.flip(xn, 0))
np.testing.assert_array_equal(tnp.nonzero(tnp.asarray([0, 3, 0, 4]))[0], [1, 3])
np.testing.assert_array_equal(tnp.repeat(tnp.asarray([1, 2]), 2), [1, 1, 2, 2])
np.testing.assert_array_equal(tnp.broadcast_to(tnp.asarray([1, 2]), (2, 2)), [[1, 2], [1, 2]])
np.testing.assert_array_equal(tnp.stack([x[0], x[1]], axis=1)[0], [0, 4])
np.testing.assert_array_equal(tnp.outer(tnp.asarray([1, 2]), tnp.asarray([3, 4])), [[3, 4], [6, 8]])
print("ok")
