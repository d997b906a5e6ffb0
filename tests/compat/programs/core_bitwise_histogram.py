# tf.bitwise, tf.histogram_fixed_width(_bins), tf.shape_n and the broadcast shape helpers.
import numpy as np
import tensorflow as tf

a = tf.constant([0b1100, 0b1010, -1], tf.int32)
b = tf.constant([0b1010, 0b0110, 3], tf.int32)
assert tf.bitwise.bitwise_and(a, b).numpy().tolist() == [8, 2, 3]
assert tf.bitwise.bitwise_or(a, b).numpy().tolist() == [14, 14, -1]
assert tf.bitwise.bitwise_xor(a, b).numpy().tolist() == [6, 12, -4]
assert tf.bitwise.invert(tf.constant([0, 5], tf.uint8)).numpy().tolist() == [255, 250]
assert tf.bitwise.left_shift(tf.constant([1, 3]), tf.constant([4, 2])).numpy().tolist() == [16, 12]
assert tf.bitwise.right_shift(tf.constant([64, -8]), tf.constant([3, 1])).numpy().tolist() == [
    8,
    -4,
]

values = tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0])
counts = tf.histogram_fixed_width(values, [0.0, 5.0], nbins=5)
assert counts.dtype == tf.int32 and counts.numpy().tolist() == [2, 1, 1, 0, 2]
bins = tf.histogram_fixed_width_bins(values, [0.0, 5.0], nbins=5)
assert bins.numpy().tolist() == [0, 0, 1, 2, 4, 4]
data = np.random.default_rng(1).uniform(-3, 3, 500)
counts = tf.histogram_fixed_width(tf.constant(data), [-3.0, 3.0], nbins=12)
np.testing.assert_array_equal(counts.numpy(), np.histogram(data, bins=12, range=(-3, 3))[0])
assert int(tf.reduce_sum(counts)) == 500

shapes = tf.shape_n([tf.zeros([2, 3]), tf.zeros([5])])
assert [s.numpy().tolist() for s in shapes] == [[2, 3], [5]]
assert tf.broadcast_dynamic_shape(tf.constant([2, 1, 3]), tf.constant([4, 1])).numpy().tolist() == [
    2,
    4,
    3,
]
assert tf.broadcast_static_shape(tf.TensorShape([2, 1, 3]), tf.TensorShape([4, 1])).as_list() == [
    2,
    4,
    3,
]
try:
    tf.broadcast_static_shape(tf.TensorShape([2, 3]), tf.TensorShape([4, 1]))
    raise AssertionError("incompatible shapes must raise")
except ValueError:
    pass
assert tf.executing_eagerly()


@tf.function
def inside():
    return tf.constant(tf.executing_eagerly())


assert not bool(inside())
print("bitwise and histograms ok")
