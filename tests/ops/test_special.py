"""tf.math special functions: values against closed forms and values from TensorFlow 2.21
(pasted where marked), edge values, first and second derivatives against finite
differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.testing import gradcheck


def test_lgamma_matches_math_lgamma_and_poles():
    x = np.array([0.5, 1.0, 3.7, -1.5, 12.25, 1e-3])
    np.testing.assert_allclose(
        tf.math.lgamma(tf.constant(x)).numpy(), [math.lgamma(v) for v in x], rtol=1e-14
    )
    poles = tf.math.lgamma(tf.constant([0.0, -2.0])).numpy()
    assert np.all(np.isposinf(poles))  # TensorFlow gives inf at the poles


def test_digamma_values():
    # psi(1) = -gamma, psi(1/2) = -gamma - 2 log 2, psi(n+1) = psi(n) + 1/n
    euler = 0.5772156649015329
    x = tf.constant([1.0, 0.5, 5.0, 100.0], tf.float64)
    expected = [-euler, -euler - 2 * math.log(2), -euler + 1 + 1 / 2 + 1 / 3 + 1 / 4, None]
    out = tf.math.digamma(x).numpy()
    np.testing.assert_allclose(out[:3], expected[:3], rtol=1e-14)
    # psi(100) from the recurrence of psi(1)
    np.testing.assert_allclose(out[3], -euler + sum(1 / k for k in range(1, 100)), rtol=1e-14)
    # TensorFlow 2.21: digamma([-1.5, 0, -2, 1e-3]) (float32)
    got = tf.math.digamma(tf.constant([-1.5, 0.0, -2.0, 1e-3])).numpy()
    np.testing.assert_allclose(got[[0, 3]], [0.703156829, -1000.57556], rtol=1e-6)
    assert np.isnan(got[1]) and np.isnan(got[2])


def test_erfinv_inverts_erf():
    y = np.array([-0.999999, -0.5, -1e-12, 0.0, 0.3, 0.9, 0.999999999])
    x = tf.math.erfinv(tf.constant(y)).numpy()
    np.testing.assert_allclose([math.erf(v) for v in x], y, rtol=1e-14, atol=1e-16)
    edges = tf.math.erfinv(tf.constant([-1.0, 1.0, 1.5])).numpy()
    assert edges[0] == -np.inf and edges[1] == np.inf and np.isnan(edges[2])


def test_ndtri_inverts_normal_cdf():
    p = np.array([1e-300, 1e-10, 0.025, 0.5, 0.975, 1 - 1e-12])
    x = tf.math.ndtri(tf.constant(p)).numpy()
    cdf = [0.5 * math.erfc(-v / math.sqrt(2)) for v in x]
    np.testing.assert_allclose(cdf, p, rtol=1e-9)
    edges = tf.math.ndtri(tf.constant([0.0, 1.0, -0.5])).numpy()
    assert edges[0] == -np.inf and edges[1] == np.inf and np.isnan(edges[2])


def _bessel_integral(x, order):
    # I_n(x) = 1/pi * int_0^pi exp(x cos t) cos(n t) dt: the trapezoid rule on a periodic
    # integrand converges geometrically
    t = np.linspace(0, np.pi, 20001)
    f = np.exp(x * np.cos(t) - abs(x)) * np.cos(order * t)
    return np.trapezoid(f, t) / np.pi


@pytest.mark.parametrize("x", [-7.5, -1.0, 0.0, 0.3, 2.0, 29.0, 31.0, 120.0])
def test_bessel_scaled_against_integral(x):
    np.testing.assert_allclose(
        tf.math.bessel_i0e(tf.constant([x], tf.float64)).numpy()[0],
        _bessel_integral(x, 0),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        tf.math.bessel_i1e(tf.constant([x], tf.float64)).numpy()[0],
        _bessel_integral(x, 1),
        rtol=1e-12,
        atol=1e-15,
    )


def test_bessel_large_and_unscaled():
    # TensorFlow 2.21: bessel_i0e / bessel_i1e of 800 (float32)
    np.testing.assert_allclose(
        tf.math.bessel_i0e(tf.constant([800.0])).numpy(), [0.01410695], rtol=1e-6
    )
    np.testing.assert_allclose(
        tf.math.bessel_i1e(tf.constant([800.0])).numpy(), [0.01409813], rtol=1e-6
    )
    np.testing.assert_allclose(
        tf.math.special.bessel_i0(tf.constant([2.0], tf.float64)).numpy(), [np.i0(2.0)], rtol=1e-14
    )
    np.testing.assert_allclose(
        tf.math.bessel_i1(tf.constant([1.0], tf.float64)).numpy(),
        [0.5651591039924851],
        rtol=1e-14,
    )


@pytest.mark.parametrize(
    "fn,points",
    [
        (tf.math.lgamma, [-1.3, 0.7, 2.5, 40.0]),
        (tf.math.digamma, [-1.3, 0.7, 2.5, 40.0]),
        (tf.math.erfinv, [-0.9, -0.2, 0.4, 0.8]),
        (tf.math.ndtri, [0.01, 0.3, 0.6, 0.99]),
        (tf.math.bessel_i0e, [-3.0, -0.5, 0.8, 35.0]),
        (tf.math.bessel_i1e, [-3.0, -0.5, 0.8, 35.0]),
    ],
)
def test_gradients_match_finite_differences(fn, points):
    gradcheck(fn, [np.array(points)])


@pytest.mark.parametrize("fn", [tf.math.lgamma, tf.math.erfinv, tf.math.bessel_i0e])
def test_second_derivatives(fn):
    gradcheck(
        lambda x: _first_derivative(fn, x),
        [np.array([-0.7, 0.2, 0.6]) if fn is not tf.math.lgamma else np.array([0.3, 1.7, 4.0])],
        eps=1e-5,
        atol=1e-4,
    )


def _first_derivative(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x)


def test_integer_input_is_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="lgamma: expected a float tensor"):
        tf.math.lgamma(tf.constant([1, 2]))


def test_polyval():
    assert float(tf.math.polyval([1.0, 2.0, 3.0], tf.constant(2.0))) == 11.0
    coeffs = [tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])]
    np.testing.assert_array_equal(
        tf.math.polyval(coeffs, tf.constant([2.0, 3.0])).numpy(), [5.0, 10.0]
    )
    assert float(tf.math.polyval([], tf.constant(2.0))) == 0.0
    gradcheck(lambda x: tf.math.polyval([0.5, -1.0, 2.0], x), [np.array([0.3, -2.0])])
    with pytest.raises(ValueError, match="coeffs must be a list"):
        tf.math.polyval(tf.constant([1.0]), 2.0)


def test_lbeta():
    x = np.array([[1.0, 2.0], [0.5, 0.5], [2.0, 3.0]])
    expected = [math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b) for a, b in x]  # log B(a, b)
    np.testing.assert_allclose(tf.math.lbeta(tf.constant(x)).numpy(), expected, rtol=1e-13)
    np.testing.assert_allclose(
        float(tf.math.lbeta(tf.constant([0.5, 0.5], tf.float64))), math.log(math.pi), rtol=1e-13
    )
    gradcheck(tf.math.lbeta, [x + 0.3])
