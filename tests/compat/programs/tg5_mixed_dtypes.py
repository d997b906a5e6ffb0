"""Mixing dtypes in tensor arithmetic, as TensorFlow 2 treats it (no implicit widening).

Two tensors of different dtypes never combine: eagerly the op raises InvalidArgumentError,
inside tf.function a TypeError. Python ints take the tensor's dtype; a Python float is
refused by an integer tensor; NumPy arrays convert to the tensor's dtype. tf.cast is the fix.
"""

import numpy as np
import tensorflow as tf


def raises(error, fn):
    try:
        fn()
    except error:
        return True
    return False


counts = tf.constant([1, 2, 3])  # int32
weights = tf.constant([0.5, 0.25, 2.0])  # float32
wide = tf.constant([1.0, 1.0, 1.0], tf.float64)

# tensor with tensor: every elementwise op refuses mixed dtypes eagerly
mixed = [
    lambda: counts + weights,
    lambda: weights - counts,
    lambda: counts * weights,
    lambda: weights + wide,
    lambda: counts < weights,
    lambda: counts == weights,
    lambda: tf.add(counts, weights),
    lambda: tf.multiply(weights, wide),
    lambda: tf.maximum(counts, tf.constant([1, 1, 1], tf.int64)),
    lambda: tf.matmul(tf.ones((2, 2)), tf.ones((2, 2), tf.float64)),
    lambda: tf.Variable([1, 2, 3]) + weights,
]
for i, fn in enumerate(mixed):
    assert raises(tf.errors.InvalidArgumentError, fn), f"case {i} did not raise"

# true division of mixed tensors is a TypeError in TensorFlow
assert raises(TypeError, lambda: weights / counts)

# a Python float next to an integer tensor: refused, even 1.0 (AddV2 says so as an
# InvalidArgumentError, the other ops as a TypeError from converting the float)
assert raises(tf.errors.InvalidArgumentError, lambda: counts + 1.5)
assert raises(tf.errors.InvalidArgumentError, lambda: tf.add(counts, 0.5))
assert raises(TypeError, lambda: counts * 1.0)
assert raises(TypeError, lambda: 2.5 - counts)
assert raises(TypeError, lambda: counts < 1.5)

# Python ints and floats take a float tensor's dtype (no upcast of float16)
half = tf.constant([1.0, 2.0], tf.float16)
assert (half * 2.5).dtype == tf.float16
assert (weights + 1).dtype == tf.float32
assert (3 - weights).dtype == tf.float32
assert (counts * 2).dtype == tf.int32
np.testing.assert_allclose((half * 2.5).numpy(), [2.5, 5.0])

# NumPy operands convert to the tensor's dtype
shifted = weights + np.array([1.0, 1.0, 1.0])  # float64 array, float32 result
assert shifted.dtype == tf.float32
np.testing.assert_allclose(shifted.numpy(), [1.5, 1.25, 3.0])
assert (weights * np.float64(2.0)).dtype == tf.float32

# the fix: cast one side
total = tf.cast(counts, tf.float32) * weights
assert total.dtype == tf.float32
np.testing.assert_allclose(total.numpy(), [0.5, 0.5, 6.0])
np.testing.assert_allclose((weights + tf.cast(wide, tf.float32)).numpy(), [1.5, 1.25, 3.0])


# inside tf.function the same mix fails while tracing, as a TypeError
@tf.function
def scale(x, y):
    return x * y


assert raises(TypeError, lambda: scale(counts, weights))
np.testing.assert_allclose(scale(weights, weights).numpy(), [0.25, 0.0625, 4.0])

# tf.experimental.numpy functions promote as NumPy does
assert tf.experimental.numpy.add(counts, weights).dtype == tf.float64

print("ok")
