"""tf.TensorArray inside tf.function: dynamic size, element shapes, stack/gather/scatter/concat."""

import numpy as np
import tensorflow as tf


@tf.function
def running_squares(n):
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in tf.range(n):
        ta = ta.write(i, tf.cast(i * i, tf.float32))
    return ta.stack(), ta.size()


vals, size = running_squares(tf.constant(5))
np.testing.assert_array_equal(vals, [0, 1, 4, 9, 16])
assert int(size) == 5
vals3, _ = running_squares(tf.constant(3))
assert vals3.shape == (3,)


@tf.function
def cumulative_rows(x):
    ta = tf.TensorArray(tf.float32, size=tf.shape(x)[0], element_shape=x.shape[1:])
    total = tf.zeros_like(x[0])
    for i in tf.range(tf.shape(x)[0]):
        total += x[i]
        ta = ta.write(i, total)
    return ta.stack()


x = tf.reshape(tf.range(6.0), [3, 2])
np.testing.assert_array_equal(cumulative_rows(x), np.cumsum(x.numpy(), axis=0))

# unstack / read / gather / scatter / split / concat in eager mode.
ta = tf.TensorArray(tf.int32, size=3).unstack(tf.constant([[1, 2], [3, 4], [5, 6]]))
np.testing.assert_array_equal(ta.read(1), [3, 4])
np.testing.assert_array_equal(ta.gather([2, 0]), [[5, 6], [1, 2]])
assert ta.dtype == tf.int32 and ta.size() == 3
assert tf.TensorArray(tf.float32, size=2, element_shape=[3]).element_shape == (3,)
sc = tf.TensorArray(tf.float32, size=4).scatter([3, 1], tf.constant([[1.0], [2.0]]))
np.testing.assert_array_equal(sc.read(3), [1.0])
np.testing.assert_array_equal(sc.read(0), [0.0])  # unwritten elements read as zeros
sp = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(tf.range(5.0), [2, 3])
np.testing.assert_array_equal(sp.concat(), tf.range(5.0))
np.testing.assert_array_equal(sp.read(1), [2.0, 3.0, 4.0])

# Writing past a fixed size or a wrong dtype is an error.
fixed = tf.TensorArray(tf.float32, size=2)
try:
    fixed.write(2, 1.0)
except tf.errors.OutOfRangeError:
    pass
else:
    raise AssertionError("writing past a fixed size should raise")
try:
    fixed.write(0, tf.constant(1, tf.int32))
except (TypeError, ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("a wrong dtype should raise")
shaped = tf.TensorArray(tf.float32, size=2).write(0, tf.zeros([3]))
try:
    shaped.write(1, tf.zeros([4]))
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("inconsistent element shapes should raise")


# A TensorArray as the carried state of an RNN-style loop with gradients.
w = tf.Variable(0.5)


@tf.function
def unroll(xs):
    ta = tf.TensorArray(tf.float32, size=xs.shape[0])
    h = tf.constant(0.0)
    for t in tf.range(xs.shape[0]):
        h = tf.tanh(w * h + xs[t])
        ta = ta.write(t, h)
    return ta.stack()


xs = tf.constant([0.1, -0.2, 0.3, 0.4])
with tf.GradientTape() as tape:
    hs = unroll(xs)
    loss = tf.reduce_sum(hs)
g = tape.gradient(loss, w)


def manual(wv):
    h, s = 0.0, 0.0
    for xv in xs.numpy():
        h = np.tanh(wv * h + xv)
        s += h
    return s


np.testing.assert_allclose(loss, manual(0.5), rtol=1e-6)
np.testing.assert_allclose(g, (manual(0.5 + 1e-4) - manual(0.5 - 1e-4)) / 2e-4, rtol=1e-3)
print("ok")
