"""tf.nn.local_response_normalization / lrn, weighted_moments and sufficient_statistics.
Expected values were printed from TensorFlow 2.21 on the same inputs and pasted in."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_lrn_matches_tensorflow():
    y = tf.reshape(tf.range(24.0) / 10, [1, 2, 2, 6])
    # TF: tf.nn.lrn(y, depth_radius=2, bias=1.0, alpha=0.5, beta=0.75), rounded to 6 places
    want = [
        [0.0, 0.095052, 0.180097, 0.250028, 0.334355, 0.422948],
        [0.395189, 0.394248, 0.385173, 0.387578, 0.458311, 0.551617],
        [0.464482, 0.409219, 0.367486, 0.361204, 0.42645, 0.520167],
        [0.446034, 0.377351, 0.329996, 0.324193, 0.383482, 0.471627],
    ]
    out = tf.nn.lrn(y, depth_radius=2, bias=1.0, alpha=0.5, beta=0.75)
    np.testing.assert_allclose(out.numpy().reshape(4, 6), want, atol=2e-6)
    assert tf.nn.local_response_normalization is tf.nn.lrn
    with pytest.raises(tf.errors.InvalidArgumentError, match="local_response_normalization"):
        tf.nn.lrn(tf.ones([2, 3]))


def _lrn_numpy(x, r, bias, alpha, beta):
    sq = np.pad(x * x, [(0, 0)] * 3 + [(r, r)])
    s = sum(sq[..., i : i + x.shape[-1]] for i in range(2 * r + 1))
    return x / (bias + alpha * s) ** beta


def test_lrn_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    xv = rng.normal(size=(1, 2, 1, 5))
    weights = rng.normal(size=xv.shape)
    x = tf.constant(xv)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(tf.nn.lrn(x, 1, 2.0, 0.3, 0.6) * weights)
    grad = tape.gradient(loss, x).numpy()
    numeric = np.zeros_like(xv)
    eps = 1e-6
    for i in np.ndindex(xv.shape):
        up, down = xv.copy(), xv.copy()
        up[i] += eps
        down[i] -= eps
        f = lambda v: (_lrn_numpy(v, 1, 2.0, 0.3, 0.6) * weights).sum()  # noqa: E731
        numeric[i] = (f(up) - f(down)) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_weighted_moments_matches_tensorflow():
    x = tf.reshape(tf.range(6.0), [2, 3])
    weights = tf.constant([[1.0], [2.0]]) * tf.constant([1.0, 2.0, 3.0])
    mean, variance = tf.nn.weighted_moments(x, [1], weights)
    # TF: ([1.3333334, 4.3333335], [0.5555556, 0.5555555])
    np.testing.assert_allclose(mean.numpy(), [4 / 3, 13 / 3], rtol=1e-6)
    np.testing.assert_allclose(variance.numpy(), [5 / 9, 5 / 9], rtol=1e-6)
    mean, variance = tf.nn.weighted_moments(x, [0, 1], 1.0, keepdims=True)
    assert mean.shape == (1, 1) and mean.numpy().tolist() == [[2.5]]
    np.testing.assert_allclose(variance.numpy(), [[np.var(np.arange(6.0))]], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="weighted_moments"):
        tf.nn.weighted_moments(x, [1], tf.ones([4]))


def test_sufficient_statistics_matches_tensorflow():
    x = tf.reshape(tf.range(6.0), [2, 3])
    count, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [1])
    assert float(count) == 3.0 and shift is None
    assert m_ss.numpy().tolist() == [3.0, 12.0] and v_ss.numpy().tolist() == [5.0, 50.0]
    count, m_ss, v_ss, shift = tf.nn.sufficient_statistics(x, [0], shift=1.0, keepdims=True)
    assert float(count) == 2.0 and float(shift) == 1.0
    assert m_ss.numpy().tolist() == [[1.0, 3.0, 5.0]] and v_ss.numpy().tolist() == [
        [5.0, 9.0, 17.0]
    ]
    mean, var = tf.nn.normalize_moments(*tf.nn.sufficient_statistics(x, [1]))
    np.testing.assert_allclose(mean.numpy(), [1.0, 4.0])
    np.testing.assert_allclose(var.numpy(), [2 / 3, 2 / 3], rtol=1e-5)  # float32 E[x²]-E[x]²
