"""The "NumPy API on TensorFlow" guide: tnp arrays are tensors with NumPy's dtype rules."""

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

tnp.experimental_enable_numpy_behavior()

# Arrays are tensors; Python floats and ints default to float64 and int64 as in NumPy.
ones = tnp.ones([5, 3], dtype=tnp.float32)
assert isinstance(ones, tnp.ndarray) and isinstance(ones, tf.Tensor)
assert ones.shape == (5, 3) and ones.dtype == tf.float32 and ones.ndim == 2
assert tnp.asarray([1.0, 2.0]).dtype == tf.float64
assert tnp.arange(4).dtype == tf.int64 and tnp.ones(2).dtype == tf.float64
assert tnp.linspace(0, 1, 5).dtype == tf.float64

# Type promotion follows NumPy: int32 with float32 is float64, a Python float is weak.
i32 = tnp.asarray([1, 2, 3], dtype=tnp.int32)
f32 = tnp.asarray([0.5, 0.25, 2.0], dtype=tnp.float32)
assert tnp.add(i32, f32).dtype == tf.float64
assert tnp.add(f32, 1.5).dtype == tf.float32
assert tnp.add(i32, 1.5).dtype == tf.float64
assert tnp.sum(i32).dtype == tf.int64 and tnp.mean(i32).dtype == tf.float64
assert tnp.sqrt(i32).dtype == tf.float64 and tnp.argmax(f32).dtype == tf.int64
assert tnp.result_type(tnp.int32, tnp.float32) == tf.float64

# Math, reductions, shapes and indexing helpers, checked against NumPy.
x = tnp.reshape(tnp.arange(12, dtype=tnp.float32), (3, 4))
xn = np.arange(12, dtype=np.float32).reshape(3, 4)
np.testing.assert_allclose(tnp.matmul(x, x.T), xn @ xn.T)
np.testing.assert_allclose(tnp.std(x, axis=0), xn.std(axis=0), rtol=1e-6)
np.testing.assert_allclose(tnp.cumsum(x, axis=1), xn.cumsum(axis=1))
np.testing.assert_allclose(tnp.clip(x, 2, 7), xn.clip(2, 7))
np.testing.assert_allclose(tnp.where(x > 5, x, -x), np.where(xn > 5, xn, -xn))
np.testing.assert_allclose(tnp.concatenate([x, x], axis=0), np.concatenate([xn, xn]))
np.testing.assert_allclose(tnp.transpose(tnp.expand_dims(x, 0), (2, 1, 0)).shape, (4, 3, 1))
np.testing.assert_allclose(tnp.take(x, [1, 3], axis=1), np.take(xn, [1, 3], axis=1))
np.testing.assert_allclose(tnp.tril(x), np.tril(xn))
np.testing.assert_allclose(tnp.einsum("ij,ij->i", x, x), np.einsum("ij,ij->i", xn, xn))
parts = tnp.split(x, 2, axis=1)
assert len(parts) == 2 and parts[1].shape == (3, 2)
assert tnp.shape(x) == (3, 4) and tnp.size(x) == 12

# Tensor methods that NumPy behavior adds.
np.testing.assert_allclose(x.ravel(), xn.ravel())
np.testing.assert_allclose(x.reshape(4, 3), xn.reshape(4, 3))
np.testing.assert_allclose(x.astype(tnp.int32), xn.astype(np.int32))
assert x.T.shape == (4, 3) and x.tolist() == xn.tolist()

# Random numbers: seeded, float64 by default.
tnp.random.seed(1)
a = tnp.random.randn(100, 2)
tnp.random.seed(1)
b = tnp.random.randn(100, 2)
assert a.dtype == tf.float64 and a.shape == (100, 2)
np.testing.assert_array_equal(a, b)
u = tnp.random.uniform(size=(1000,))
assert 0.0 <= float(tnp.min(u)) and float(tnp.max(u)) < 1.0
r = tnp.random.randint(0, 5, size=(50,))
assert r.dtype == tf.int64 and 0 <= int(tnp.min(r)) and int(tnp.max(r)) < 5

# Interoperability: NumPy functions accept tnp arrays, tnp functions accept ndarrays.
np_sum = np.sum(np.asarray(ones))
assert float(np_sum) == 15.0
mixed = tnp.add(ones, np.ones([5, 3], np.float32))
assert isinstance(mixed, tf.Tensor) and float(tnp.sum(mixed)) == 30.0


# tnp inside tf.function and under a GradientTape.
@tf.function
def poly(v):
    return tnp.sum(tnp.power(v, 2) + 3.0 * v)


v = tf.constant([1.0, 2.0])
assert float(poly(v)) == 14.0
with tf.GradientTape() as tape:
    tape.watch(v)
    y = tnp.sum(tnp.square(v))
np.testing.assert_allclose(tape.gradient(y, v), [2.0, 4.0])
print("ok")
