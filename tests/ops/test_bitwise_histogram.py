"""tf.bitwise, tf.histogram_fixed_width(_bins), tf.shape_n and the broadcast shape
functions; expected values from TensorFlow 2.21 where marked."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_bitwise_ops():
    a = tf.constant([12, 10, -1])
    b = tf.constant([10, 6, 3])
    assert tf.bitwise.bitwise_and(a, b).numpy().tolist() == [8, 2, 3]
    assert tf.bitwise.bitwise_or(a, b).numpy().tolist() == [14, 14, -1]
    assert tf.bitwise.bitwise_xor(a, b).numpy().tolist() == [6, 12, -4]
    assert tf.bitwise.bitwise_and(tf.constant([12]), 10).numpy().tolist() == [8]
    inverted = tf.bitwise.invert(tf.constant([0, 5], tf.uint8))
    assert inverted.dtype == tf.uint8 and inverted.numpy().tolist() == [255, 250]


def test_shifts_clamp_as_tensorflow():
    # TensorFlow 2.21 clamps the shift amount to [0, bits - 1]
    left = tf.bitwise.left_shift(tf.constant([1, 5, -3]), tf.constant([3, 40, -1]))
    assert left.numpy().tolist() == [8, -2147483648, -3]
    right = tf.bitwise.right_shift(tf.constant([1, -5, -3]), tf.constant([3, 40, -1]))
    assert right.numpy().tolist() == [0, -1, -3]
    u8 = tf.bitwise.left_shift(tf.constant([1], tf.uint8), tf.constant([9], tf.uint8))
    assert u8.numpy().tolist() == [128]


def test_bitwise_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="bitwise_and: expected integer"):
        tf.bitwise.bitwise_and(tf.constant([1.0]), tf.constant([2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="one dtype"):
        tf.bitwise.bitwise_or(tf.constant([1]), tf.constant([1], tf.int64))


def test_bitwise_in_function():
    f = tf.function(lambda x: tf.bitwise.bitwise_xor(x, 5))
    assert f(tf.constant([1, 2])).numpy().tolist() == [4, 7]
    assert f(tf.constant([3, 4])).numpy().tolist() == [6, 1]


def test_histogram_fixed_width():
    values = tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0])
    counts = tf.histogram_fixed_width(values, [0.0, 5.0], nbins=5)
    assert counts.dtype == tf.int32 and counts.numpy().tolist() == [2, 1, 1, 0, 2]  # TF 2.21
    bins = tf.histogram_fixed_width_bins(values, [0.0, 5.0], nbins=5)
    assert bins.numpy().tolist() == [0, 0, 1, 2, 4, 4]  # TF 2.21
    ints = tf.histogram_fixed_width(tf.constant([1, 2, 3]), [0, 3], nbins=3)
    assert ints.numpy().tolist() == [0, 1, 2]  # TF 2.21
    x = np.random.default_rng(0).uniform(-1, 1, size=1000)
    counts = tf.histogram_fixed_width(tf.constant(x), [-1.0, 1.0], nbins=10, dtype=tf.int64)
    assert counts.dtype == tf.int64
    np.testing.assert_array_equal(counts.numpy(), np.histogram(x, bins=10, range=(-1, 1))[0])


def test_histogram_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="value_range\\[0\\] < value_range"):
        tf.histogram_fixed_width(tf.constant([1.0]), [3.0, 0.0], nbins=3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="nbins should be a positive"):
        tf.histogram_fixed_width(tf.constant([1.0]), [0.0, 3.0], nbins=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="shape \\[2\\]"):
        tf.histogram_fixed_width_bins(tf.constant([1.0]), [0.0, 1.0, 2.0])


def test_shape_n_and_broadcast_shapes():
    shapes = tf.shape_n([tf.ones([2, 3]), tf.ones([4])])
    assert [s.numpy().tolist() for s in shapes] == [[2, 3], [4]]
    assert tf.shape_n([tf.ones([2])], out_type=tf.int64)[0].dtype == tf.int64
    out = tf.broadcast_dynamic_shape([2, 1, 3], [4, 1])
    assert out.dtype == tf.int32 and out.numpy().tolist() == [2, 4, 3]
    out = tf.broadcast_dynamic_shape(tf.constant([2, 1, 3], tf.int64), [4, 1])
    assert out.dtype == tf.int64
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        tf.broadcast_dynamic_shape([2, 3], [4, 1])
    static = tf.broadcast_static_shape(tf.TensorShape([2, 1, 3]), tf.TensorShape([4, 1]))
    assert static.as_list() == [2, 4, 3]
    assert tf.broadcast_static_shape(
        tf.TensorShape([None, 3]), tf.TensorShape([5, 1])
    ).as_list() == [5, 3]
    with pytest.raises(ValueError, match="Incompatible shapes for broadcasting"):
        tf.broadcast_static_shape(tf.TensorShape([2, 3]), tf.TensorShape([4, 1]))


def test_executing_eagerly_and_version():
    assert tf.executing_eagerly() is True
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        return x + 1

    f(tf.constant(1.0))
    assert seen == [False]
    assert tf.version.VERSION == tf.__version__
    assert tf.version.GIT_VERSION == f"v{tf.__version__}"
    assert isinstance(tf.version.COMPILER_VERSION, str) and tf.version.COMPILER_VERSION
    assert tf.version.GRAPH_DEF_VERSION >= tf.version.GRAPH_DEF_VERSION_MIN_PRODUCER >= 0
    assert tf.version.GRAPH_DEF_VERSION_MIN_CONSUMER == 0


def test_unravel_index():
    out = tf.unravel_index([3, 5, 7], [2, 4])
    assert out.dtype == tf.int32 and out.numpy().tolist() == [[0, 1, 1], [3, 1, 3]]  # TF 2.21
    assert tf.unravel_index(5, [2, 4]).numpy().tolist() == [1, 1]
    assert tf.unravel_index(tf.constant([1], tf.int64), [2, 4]).dtype == tf.int64
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
        tf.unravel_index([9], [2, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="scalar or vector"):
        tf.unravel_index([[1]], [2, 4])
