"""Ops whose output size depends on the values (unique, bincount, boolean_mask,
dynamic_partition, ...) inside tf.function: each call computes from its own values."""

import gpuflow as tf


def _two_calls(fn):
    f = tf.function(fn)
    first = f(tf.constant([3, 1, 3, 2, 1, 5]))
    second = f(tf.constant([7, 7, 0, 1, 2, 3]))
    return first, second


def _lists(value):
    return tf.nest.map_structure(lambda t: t.numpy().tolist(), value)


def test_unique():
    first, second = _two_calls(lambda x: tf.unique(x))
    assert _lists(tuple(first)) == ([3, 1, 2, 5], [0, 1, 0, 2, 1, 3])
    assert _lists(tuple(second)) == ([7, 0, 1, 2, 3], [0, 0, 1, 2, 3, 4])
    assert second.y.dtype == tf.int32 and second.idx.dtype == tf.int32


def test_boolean_mask_uses_each_calls_mask():
    _, second = _two_calls(lambda x: tf.boolean_mask(x, x > 1))
    assert second.numpy().tolist() == [7, 7, 2, 3]


def test_bincount_searchsorted_dynamic_partition():
    _, second = _two_calls(lambda x: tf.math.bincount(x))
    assert second.numpy().tolist() == [1, 1, 1, 1, 0, 0, 0, 2]
    _, second = _two_calls(lambda x: tf.searchsorted(tf.constant([1, 2, 3]), x))
    assert second.numpy().tolist() == [3, 3, 0, 0, 1, 2]
    _, second = _two_calls(lambda x: tf.dynamic_partition(x, x % 2, 2))
    assert _lists(second) == [[0, 2], [7, 7, 1, 3]]


def test_gradients_through_mask_and_partition():
    @tf.function
    def g(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.boolean_mask(x, x > 1.0) ** 2)
            parts = tf.dynamic_partition(x, tf.cast(x > 2.0, tf.int32), 2)
            y = y + tf.reduce_sum(parts[1] * 3.0)
        return y, tape.gradient(y, x)

    y, d = g(tf.constant([3.0, 1.0, 3.0, 2.0]))
    assert float(y) == 40.0 and d.numpy().tolist() == [9.0, 0.0, 9.0, 4.0]
    y, d = g(tf.constant([0.0, 5.0, 1.5, 0.5]))
    assert float(y) == 42.25 and d.numpy().tolist() == [0.0, 13.0, 3.0, 0.0]
