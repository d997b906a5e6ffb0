"""Gradients where TensorFlow's kernels guard against inf * 0: a masked ``tf.where`` branch
through sqrt / rsqrt / reciprocal, xlogy at x = 0, cumprod over zeros, and sign (zeros,
not None). Values checked against TensorFlow 2.21's results for the same inputs."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

X = np.array([4.0, -1.0, 0.0])


def _grad(fn, *xs):
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        y = tf.reduce_sum(fn(*ts))
    return [None if g is None else g.numpy() for g in tape.gradient(y, ts)]


@pytest.mark.parametrize(
    "fn, expected",
    [
        (tf.sqrt, [0.25, 0.0, 0.0]),
        (tf.math.rsqrt, [-1 / 16, 0.0, 0.0]),
        (tf.math.reciprocal, [-1 / 16, 0.0, 0.0]),
    ],
)
def test_masked_branch_has_zero_gradient(fn, expected):
    (g,) = _grad(lambda a: tf.where(a > 0.5, fn(a), tf.zeros_like(a)), X)
    np.testing.assert_allclose(g, expected)


def test_norm_of_zeros_under_where_is_finite():
    (g,) = _grad(lambda a: tf.where(a > 0.5, tf.sqrt(a * a), tf.zeros_like(a)), X)
    np.testing.assert_allclose(g, [1.0, 0.0, 0.0])


def test_sqrt_guard_keeps_second_derivative():
    x = tf.constant([4.0, 9.0], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.sqrt(x))
        g = inner.gradient(y, x)
    np.testing.assert_allclose(outer.gradient(g, x).numpy(), -0.25 * np.array([4.0, 9.0]) ** -1.5)


@pytest.mark.parametrize(
    "fn, gx, gy",
    [
        (tf.math.xlogy, [0.0, np.log(4.0)], [0.0, 0.5]),
        (tf.math.xlog1py, [0.0, np.log(5.0)], [0.0, 0.4]),
        (tf.math.xdivy, [0.0, 0.25], [0.0, -0.125]),
    ],
)
def test_x_zero_gives_zero_gradients(fn, gx, gy):
    got = _grad(fn, np.array([0.0, 2.0]), np.array([0.0, 4.0]))
    np.testing.assert_allclose(got[0], gx)
    np.testing.assert_allclose(got[1], gy)
    np.testing.assert_allclose(fn(tf.constant([0.0, 2.0]), tf.constant([0.0, 4.0])).numpy()[0], 0)


def test_xlogy_broadcasts_x_over_y():
    out = tf.math.xlogy(tf.constant([[0.0], [2.0]]), tf.constant([1.0, 0.0, 4.0]))
    np.testing.assert_allclose(out.numpy(), [[0, 0, 0], [0, -np.inf, 2 * np.log(4)]])
    gx, gy = _grad(tf.math.xlogy, np.array([[0.0], [2.0]]), np.array([1.0, 3.0, 4.0]))
    assert gx.shape == (2, 1) and gy.shape == (3,)
    np.testing.assert_allclose(gy, 2 / np.array([1.0, 3.0, 4.0]))


@pytest.mark.parametrize("exclusive", [False, True])
def test_cumprod_gradient_is_zero_not_nan_at_zeros(exclusive):
    x = np.array([2.0, 0.0, 3.0, 0.0, 4.0])
    (g,) = _grad(lambda a: tf.math.cumprod(a, exclusive=exclusive), x)
    assert not np.isnan(g).any()
    # TensorFlow divides by x with div_no_nan: 0 where x is 0, exact elsewhere
    np.testing.assert_allclose(g, [1.0, 0.0, 0.0, 0.0, 0.0])


def test_sign_gradient_is_zeros():
    (g,) = _grad(tf.sign, np.array([-2.0, 0.0, 3.0]))
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(tf.sign(tf.constant([-7, 0, 3])).numpy(), [-1, 0, 1])
