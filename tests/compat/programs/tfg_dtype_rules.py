"""TF dtype rules: Python scalars adapt, division and casts, conversion errors."""

import numpy as np
import tensorflow as tf

i = tf.constant(1)
f = tf.constant(1.0)
assert i.dtype == tf.int32 and f.dtype == tf.float32
assert tf.constant(np.float64(1.0)).dtype == tf.float64
assert tf.constant(np.arange(3)).dtype == tf.int64

# Python scalars take the tensor's dtype.
assert (f + 2).dtype == tf.float32 and (i * 3).dtype == tf.int32
assert (tf.constant(2.0, tf.float16) * 1.5).dtype == tf.float16
assert (tf.constant(3, tf.int64) - 1).dtype == tf.int64
assert (2 ** tf.constant(3, tf.int8)).dtype == tf.int8

# Division: / on ints gives floats (truediv), // stays integer and floors.
q = tf.constant([7, -7]) / tf.constant([2, 2])
assert q.dtype == tf.float64
np.testing.assert_allclose(q, [3.5, -3.5])
fd = tf.constant([7, -7]) // tf.constant([2, 2])
assert fd.dtype == tf.int32 and fd.numpy().tolist() == [3, -4]
assert (tf.constant([7, -7], tf.int8) / 2).dtype == tf.float32
assert tf.math.floormod(tf.constant([7, -7]), 3).numpy().tolist() == [1, 2]
assert tf.truncatemod(tf.constant([7, -7]), 3).numpy().tolist() == [1, -1]
assert tf.truncatediv(tf.constant([7, -7]), 2).numpy().tolist() == [3, -3]

# Explicit casts: float to int truncates toward zero, bool casts to 0/1.
np.testing.assert_array_equal(tf.cast(tf.constant([1.7, -1.7]), tf.int32), [1, -1])
np.testing.assert_array_equal(tf.cast(tf.constant([True, False]), tf.float32), [1.0, 0.0])
np.testing.assert_array_equal(tf.cast(tf.constant([0.0, 2.5]), tf.bool), [False, True])
u8 = tf.saturate_cast(tf.constant([-5.0, 300.0, 7.0]), tf.uint8)
assert u8.dtype == tf.uint8 and u8.numpy().tolist() == [0, 255, 7]

# Building a tensor of the wrong dtype from Python values is a TypeError/ValueError.
try:
    tf.constant([1.5, 2.0], dtype=tf.int32)
except (TypeError, ValueError):
    pass
else:
    raise AssertionError("float list as int32 should raise")
try:
    tf.convert_to_tensor(["a", 1])
except (TypeError, ValueError):
    pass
else:
    raise AssertionError("mixed str/int list should raise")
assert tf.convert_to_tensor([1, 2.5]).dtype == tf.float32
assert tf.convert_to_tensor(2**40).dtype == tf.int64

# Logical ops need bools.
assert (tf.constant([1, 2]) < 2).numpy().tolist() == [True, False]
try:
    tf.logical_and(tf.constant([1]), tf.constant([0]))
except (tf.errors.InvalidArgumentError, TypeError):
    pass
else:
    raise AssertionError("logical_and on ints should raise")
assert tf.math.equal(tf.constant(1.0), 1).numpy()
print("ok")
