"""Reductions and cumulative ops: dtypes, empty inputs, keepdims, ties, exclusive/reverse."""

import numpy as np
import tensorflow as tf

x = tf.constant([[1, 2, 3], [4, 5, 7]])
assert tf.reduce_mean(x).dtype == tf.int32 and int(tf.reduce_mean(x)) == 3  # integer mean
np.testing.assert_array_equal(tf.reduce_mean(x, axis=1), [2, 5])
np.testing.assert_allclose(tf.reduce_mean(tf.cast(x, tf.float32), axis=1), [2.0, 16 / 3], rtol=1e-6)
assert tf.reduce_sum(x, axis=[0, 1]).numpy() == 22
assert tf.reduce_sum(x, axis=-1, keepdims=True).shape == (2, 1)
assert tf.reduce_prod(x).numpy() == 840
np.testing.assert_array_equal(tf.reduce_max(x, axis=0), [4, 5, 7])
assert tf.reduce_sum(tf.ones([2, 3])).numpy() == 6.0
assert bool(tf.reduce_all(tf.constant([True, True]))) and not bool(tf.reduce_any([False]))
try:
    tf.reduce_sum(x, axis=2)
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("axis out of range should raise")

# Empty inputs: sums are 0, products 1, max -inf (lowest for ints), mean NaN.
empty = tf.zeros([0, 3])
np.testing.assert_array_equal(tf.reduce_sum(empty, axis=0), [0.0, 0.0, 0.0])
np.testing.assert_array_equal(tf.reduce_prod(empty, axis=0), [1.0, 1.0, 1.0])
assert np.isneginf(tf.reduce_max(empty).numpy())
assert np.isposinf(tf.reduce_min(empty).numpy())
assert np.isnan(tf.reduce_mean(empty).numpy())
assert tf.reduce_max(tf.zeros([0], tf.int32)).numpy() == np.iinfo(np.int32).min
assert tf.reduce_sum(empty, axis=1).shape == (0,)
assert bool(tf.reduce_all(tf.zeros([0], tf.bool))) and not bool(
    tf.reduce_any(tf.zeros([0], tf.bool))
)

# Statistics and norms.
f = tf.constant([[1.0, 2.0], [3.0, 6.0]])
np.testing.assert_allclose(tf.math.reduce_std(f), np.std(f.numpy()), rtol=1e-6)
np.testing.assert_allclose(tf.math.reduce_variance(f, axis=0), [1.0, 4.0])
np.testing.assert_allclose(tf.math.reduce_euclidean_norm(f, axis=1), [np.sqrt(5.0), np.sqrt(45.0)])
np.testing.assert_allclose(
    tf.reduce_logsumexp(tf.constant([1000.0, 1000.0])), 1000.0 + np.log(2.0), rtol=1e-6
)
assert np.isneginf(tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf])).numpy())
cnt = tf.math.count_nonzero(tf.constant([[0, 1], [2, 0]]), axis=0)
assert cnt.dtype == tf.int64 and cnt.numpy().tolist() == [1, 1]
assert tf.math.count_nonzero(tf.constant(["", "a"])).numpy() == 1
np.testing.assert_allclose(tf.norm(tf.constant([3.0, 4.0])), 5.0)
np.testing.assert_allclose(tf.norm(tf.constant([3.0, -4.0]), ord=1), 7.0)
np.testing.assert_allclose(tf.norm(tf.constant([3.0, -4.0]), ord=np.inf), 4.0)

# argmax / argmin: first index on ties, int64 by default, output_type.
t = tf.constant([[3, 7, 7], [1, 1, 0]])
am = tf.argmax(t, axis=1)
assert am.dtype == tf.int64 and am.numpy().tolist() == [1, 0]
assert tf.argmin(t, axis=1, output_type=tf.int32).numpy().tolist() == [0, 2]
assert tf.argmax(tf.constant([1.0, np.nan, 3.0])).numpy() in (1, 2)
assert tf.math.argmax(t).numpy().tolist() == [0, 0, 0]

# cumsum / cumprod with exclusive and reverse; cumulative_logsumexp.
v = tf.constant([1, 2, 3, 4])
assert tf.cumsum(v).numpy().tolist() == [1, 3, 6, 10]
assert tf.cumsum(v, exclusive=True).numpy().tolist() == [0, 1, 3, 6]
assert tf.cumsum(v, reverse=True).numpy().tolist() == [10, 9, 7, 4]
assert tf.cumsum(v, exclusive=True, reverse=True).numpy().tolist() == [9, 7, 4, 0]
assert tf.math.cumprod(v, exclusive=True).numpy().tolist() == [1, 1, 2, 6]
m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
np.testing.assert_array_equal(tf.cumsum(m, axis=0), [[1.0, 2.0], [4.0, 6.0]])
np.testing.assert_allclose(
    tf.math.cumulative_logsumexp(tf.constant([0.0, 0.0, 0.0])), np.log([1.0, 2.0, 3.0]), rtol=1e-6
)

# Gradients of reductions: tied maxima share the gradient evenly.
w = tf.Variable([1.0, 3.0, 3.0])
with tf.GradientTape() as tape:
    y = tf.reduce_max(w)
np.testing.assert_allclose(tape.gradient(y, w), [0.0, 0.5, 0.5])
with tf.GradientTape() as tape:
    y = tf.reduce_mean(tf.square(w))
np.testing.assert_allclose(tape.gradient(y, w), 2 * w.numpy() / 3, rtol=1e-6)
with tf.GradientTape() as tape:
    y = tf.reduce_prod(w)
np.testing.assert_allclose(tape.gradient(y, w), [9.0, 3.0, 3.0])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(tf.cumsum(w, exclusive=True))
np.testing.assert_allclose(tape.gradient(y, w), [2.0, 1.0, 0.0])
print("ok")
