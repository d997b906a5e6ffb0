"""tf.approx_top_k (the raw op's argument names; exact results) and tf.guarantee_const."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

X = np.array([[1.0, 5.0, 3.0, 2.0], [4.0, 0.0, 9.0, 7.0]], dtype=np.float32)


def test_max_k_along_the_last_axis_is_the_exact_top_k():
    values, indices = tf.approx_top_k(tf.constant(X), 2)
    np.testing.assert_array_equal(values.numpy(), [[5.0, 3.0], [9.0, 7.0]])
    np.testing.assert_array_equal(indices.numpy(), [[1, 2], [2, 3]])
    assert indices.dtype == tf.int32


def test_min_k_and_another_reduction_dimension():
    out = tf.approx_top_k(tf.constant(X), 1, reduction_dimension=0, is_max_k=False)
    assert type(out).__name__ == "ApproxTopK" and out._fields == ("values", "indices")
    np.testing.assert_array_equal(out.values.numpy(), [[1.0, 0.0, 3.0, 2.0]])
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 1, 0, 0]])


def test_math_approx_max_k_returns_the_same_namedtuple():
    out = tf.math.approx_max_k(tf.constant(X), 2)
    assert type(out) is type(tf.approx_top_k(tf.constant(X), 2))


def test_k_larger_than_the_axis_is_refused():
    with pytest.raises(tf.errors.InvalidArgumentError, match="approx_top_k"):
        tf.approx_top_k(tf.constant(X), 5)


def test_guarantee_const_returns_the_value_and_passes_gradients():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.guarantee_const(v) * 3.0)
    np.testing.assert_allclose(tf.guarantee_const(tf.constant(X)).numpy(), X)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [3.0, 3.0])
