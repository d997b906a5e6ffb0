"""Integer bit masks, one-hot labels with integer values, clipping and ragged ranges:
the small tensor idioms a data pipeline uses, checked value by value."""

import numpy as np
import tensorflow as tf

# feature flags packed into an int32: & | ^ ~ work bit by bit on integer tensors
flags = tf.constant([0b0110, 0b0101, 0b1111], dtype=tf.int32)
has_bit1 = (flags & 0b0010) > 0
assert has_bit1.numpy().tolist() == [True, False, True]
assert (flags | 0b1000).numpy().tolist() == [14, 13, 15]
assert (flags ^ flags).numpy().tolist() == [0, 0, 0]
assert (~flags).numpy().tolist() == [-7, -6, -16]
assert (0b0011 & flags).dtype == tf.int32
pixels = tf.constant([0, 200, 255], dtype=tf.uint8)
assert (~pixels).numpy().tolist() == [255, 55, 0]
# and on booleans they stay logical
valid = tf.constant([True, True, False])
assert (valid & has_bit1).numpy().tolist() == [True, False, False]
assert (~valid).numpy().tolist() == [False, False, True]

# one-hot targets whose dtype comes from on_value / off_value
labels = tf.constant([2, 0, 1])
signed = tf.one_hot(labels, depth=3, on_value=1, off_value=-1)
assert signed.dtype == tf.int32
assert signed.numpy().tolist() == [[-1, -1, 1], [1, -1, -1], [-1, 1, -1]]
smooth = tf.one_hot(labels, depth=3, on_value=0.9, off_value=0.05)
assert smooth.dtype == tf.float32
np.testing.assert_allclose(tf.reduce_sum(smooth, axis=-1).numpy(), [1.0, 1.0, 1.0], rtol=1e-6)
wide = tf.one_hot(labels, 3, on_value=tf.constant(7, tf.int64), off_value=tf.constant(0, tf.int64))
assert wide.dtype == tf.int64 and int(tf.reduce_sum(wide)) == 21
try:
    tf.one_hot(labels, 3, on_value=1, off_value=0.0)
    raise AssertionError("mixed on/off dtypes must raise")
except TypeError:
    pass

# clip_by_value takes the minimum first, then the maximum: crossing bounds give the lower
scores = tf.constant([-3.0, 0.5, 4.0])
assert tf.clip_by_value(scores, -1.0, 1.0).numpy().tolist() == [-1.0, 0.5, 1.0]
assert tf.clip_by_value(scores, 2.0, 1.0).numpy().tolist() == [2.0, 2.0, 2.0]
with tf.GradientTape() as tape:
    tape.watch(scores)
    clipped = tf.clip_by_value(scores, -1.0, 1.0)
assert tape.gradient(clipped, scores).numpy().tolist() == [0.0, 1.0, 0.0]

# ragged ranges: Python ints give int32 rows
rows = tf.ragged.range([0, 2, 5], [3, 2, 7])
assert rows.dtype == tf.int32
assert rows.to_list() == [[0, 1, 2], [], [5, 6]]
assert rows.row_lengths().numpy().tolist() == [3, 0, 2]
assert tf.ragged.range(tf.constant([3], tf.int64)).dtype == tf.int64
steps = tf.ragged.range([0.0], [1.0], 0.25)
assert steps.dtype == tf.float32 and steps.to_list() == [[0.0, 0.25, 0.5, 0.75]]

print("ok")
