"""tf.math igamma, igammac, betainc, zeta, polygamma, erfcinv, nextafter,
cumulative_logsumexp, accumulate_n, approx_max_k/min_k: closed forms and NumPy references,
float64 literals printed by TensorFlow 2.21 (marked), gradients, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.testing import gradcheck

M = tf.math
R = np.random.default_rng(11)


def test_igamma_closed_forms():
    x = np.array([0.01, 0.3, 1.0, 2.5, 7.0, 40.0])
    np.testing.assert_allclose(M.igamma(1.0, x).numpy(), 1 - np.exp(-x), rtol=1e-13)
    erf = np.array([math.erf(math.sqrt(v)) for v in x])
    np.testing.assert_allclose(M.igamma(0.5, x).numpy(), erf, rtol=1e-13)
    # integer a: Q(n, x) = exp(-x) sum_{k<n} x^k / k!
    q4 = np.exp(-x) * sum(x**k / math.factorial(k) for k in range(4))
    np.testing.assert_allclose(M.igammac(4.0, x).numpy(), q4, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(
        (M.igamma(4.0, x) + M.igammac(4.0, x)).numpy(), np.ones_like(x), rtol=1e-14
    )


def test_igamma_tensorflow_literals_and_edges():
    a = np.array([0.1, 2.5, 30.0, 100.0])
    x = np.array([0.05, 3.7, 25.0, 120.0])
    # TensorFlow 2.21, float64
    np.testing.assert_allclose(
        M.igamma(a, x).numpy(),
        [0.7755386354510306, 0.8074495669206043, 0.1821039159774535, 0.9721362601094815],
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        M.igammac(a, x).numpy(),
        [0.22446136454896937, 0.1925504330793957, 0.8178960840225464, 0.02786373989051851],
        rtol=1e-11,
    )
    got = M.igamma([3.0, 0.0, -1.0, 2.0, 2.0], [0.0, 1.0, 1.0, -1.0, np.inf]).numpy()
    assert got[0] == 0 and np.isnan(got[1:4]).all() and got[4] == 1  # as TF 2.21
    assert M.igamma(np.float32(2.0), np.float32(1.0)).dtype == tf.float32


def test_igamma_gradients():
    a = tf.Variable([2.5, 30.0], dtype=tf.float64)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(M.igamma(a, tf.constant([3.5, 31.0], tf.float64)))
    # TensorFlow 2.21's IgammaGradA, float64
    np.testing.assert_allclose(
        tape.gradient(y, a).numpy(), [-0.18723544734078967, -0.07068643603337414], rtol=1e-8
    )
    gradcheck(lambda x: M.igamma(np.array([0.7, 3.0]), x), [np.array([0.4, 2.0])])
    gradcheck(lambda x: M.igammac(np.array([0.7, 3.0]), x), [np.array([0.4, 5.0])])


def test_betainc():
    x = np.linspace(0.05, 0.95, 7)
    np.testing.assert_allclose(M.betainc(2.5, 1.0, x).numpy(), x**2.5, rtol=1e-12)
    np.testing.assert_allclose(M.betainc(1.0, 3.5, x).numpy(), 1 - (1 - x) ** 3.5, rtol=1e-12)
    arcsine = 2 / np.pi * np.arcsin(np.sqrt(x))
    np.testing.assert_allclose(M.betainc(0.5, 0.5, x).numpy(), arcsine, rtol=1e-12)
    # TensorFlow 2.21, float64
    np.testing.assert_allclose(
        M.betainc(
            np.array([0.3, 2.5, 40.0, 7.0]), [0.7, 1.5, 50.0, 0.2], [0.2, 0.6, 0.45, 0.99]
        ).numpy(),
        [0.5375966477465097, 0.4268675798318481, 0.5452047891361236, 0.3737320340623579],
        rtol=1e-11,
    )
    edges = M.betainc([2.0, -1.0, 2.0, 2.0], [3.0, 1.0, 2.0, 2.0], [0.0, 0.5, 1.5, 1.0]).numpy()
    assert edges[0] == 0 and np.isnan(edges[1]) and np.isnan(edges[2]) and edges[3] == 1


def test_betainc_gradient_in_x_only():
    a, b = tf.Variable([2.0, 3.0]), tf.Variable([1.5, 2.0])
    x = tf.Variable([0.3, 0.6])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(M.betainc(a, b, x))
    ga, gb, gx = tape.gradient(y, [a, b, x])
    assert ga is None and gb is None  # as TensorFlow 2.21
    beta = [math.gamma(2) * math.gamma(1.5) / math.gamma(3.5), math.gamma(3) * math.gamma(2) / 24]
    want = [0.3 * 0.7**0.5 / beta[0], 0.6**2 * 0.4 / beta[1]]
    np.testing.assert_allclose(gx.numpy(), want, rtol=1e-5)


def test_zeta():
    np.testing.assert_allclose(M.zeta(np.float64(2), 1.0).numpy(), np.pi**2 / 6, rtol=1e-15)
    np.testing.assert_allclose(M.zeta(np.float64(4), 1.0).numpy(), np.pi**4 / 90, rtol=1e-15)
    x, q = R.uniform(1.2, 6, 10), R.uniform(0.1, 5, 10)
    # recurrence zeta(x, q) = zeta(x, q + 1) + q^-x
    np.testing.assert_allclose(M.zeta(x, q).numpy(), (M.zeta(x, q + 1) + q**-x).numpy(), rtol=1e-13)
    # TensorFlow 2.21, float64
    np.testing.assert_allclose(
        M.zeta(np.array([1.5, 3.3, 10.0, 2.0]), [0.5, 2.2, 0.1, -2.5]).numpy(),
        [4.776537947554834, 0.11663572232105321, 1.0000000000386148e10, 9.539246644989124],
        rtol=1e-12,
    )
    edge = M.zeta([1.0, 0.5, 2.0, 4.0], [1.0, 1.0, -1.0, 0.0]).numpy()
    assert edge[0] == np.inf and np.isnan(edge[1]) and edge[2] == np.inf and edge[3] == np.inf


def test_zeta_and_polygamma_gradients():
    xv = tf.Variable([2.0, 3.0])
    q = tf.Variable([1.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(M.zeta(xv, q))
    gx, gq = tape.gradient(y, [xv, q])
    assert gx is None  # as TensorFlow 2.21
    np.testing.assert_allclose(gq.numpy(), [-2.4041138, -0.022432663], rtol=1e-6)  # TF 2.21
    gradcheck(lambda v: M.polygamma(np.array([1.0, 2.0]), v), [np.array([1.5, 3.0])])


def test_polygamma():
    x = np.array([0.3, 1.0, 2.7, 10.0])
    np.testing.assert_allclose(M.polygamma(0.0, x).numpy(), tf.math.digamma(x).numpy(), rtol=1e-14)
    np.testing.assert_allclose(M.polygamma(1.0, np.float64(1)).numpy(), np.pi**2 / 6, rtol=1e-14)
    np.testing.assert_allclose(
        M.polygamma(2.0, np.float64(1)).numpy(), -2 * 1.2020569031595942, rtol=1e-14
    )
    # TensorFlow 2.21, float64
    np.testing.assert_allclose(
        M.polygamma(np.array([1.0, 2.0, 3.0, 4.0]), [0.3, 2.7, 10.0, -1.5]).numpy(),
        [12.245364546107734, -0.19700583557913573, 0.0023199013042898686, -0.31375599950666083],
        rtol=1e-12,
    )
    assert np.isnan(M.polygamma([1.5, -1.0], [2.0, 2.0]).numpy()).all()


def test_erfcinv():
    y = np.array([0.01, 0.3, 1.0, 1.5, 1.99])
    x = M.erfcinv(y).numpy()
    np.testing.assert_allclose([math.erfc(v) for v in x], y, rtol=1e-13)
    edge = M.erfcinv([0.0, 2.0, 2.5]).numpy()
    assert edge[0] == np.inf and edge[1] == -np.inf and np.isnan(edge[2])  # as TF 2.21
    gradcheck(M.erfcinv, [np.array([0.3, 1.2])])


def test_nextafter():
    got = M.nextafter(np.array([1.0, 0.0], np.float32), np.array([2.0, -1.0], np.float32))
    assert got.dtype == tf.float32
    assert got.numpy()[0] == np.float32(1) + np.finfo(np.float32).eps
    assert got.numpy()[1] == -np.finfo(np.float32).smallest_subnormal
    with pytest.raises(TypeError, match="nextafter"):
        M.nextafter([1], [2])


def test_nextafter_gradient_is_tensorflows():
    # TensorFlow's NextAfter gradient: the upstream gradient for x1 (summed over the
    # broadcast axes), zeros for x2
    x1 = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    x2 = tf.Variable([0.0, 9.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(M.nextafter(x1, x2) * [[1.0, 2.0, 3.0]])
    g1, g2 = tape.gradient(y, [x1, x2])
    np.testing.assert_array_equal(g1.numpy(), [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(g2.numpy(), [0.0, 0.0, 0.0])


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumulative_logsumexp(exclusive, reverse):
    x = R.standard_normal((3, 5))
    e = np.exp(x)
    if reverse:
        e = e[:, ::-1]
    c = np.cumsum(e, axis=1)
    if exclusive:
        c = np.concatenate([np.zeros((3, 1)), c[:, :-1]], axis=1)
    with np.errstate(divide="ignore"):
        want = np.log(c)
    if reverse:
        want = want[:, ::-1]
    got = M.cumulative_logsumexp(x, axis=1, exclusive=exclusive, reverse=reverse).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-13)
    # the exclusive scan's -inf end (first, or last when reversed) takes no gradient
    keep = slice(None) if not exclusive else (slice(None, -1) if reverse else slice(1, None))

    def fn(t):
        return M.cumulative_logsumexp(t, axis=1, exclusive=exclusive, reverse=reverse)[:, keep]

    gradcheck(fn, [x])


def test_cumulative_logsumexp_stable_and_literal():
    got = M.cumulative_logsumexp(np.array([1000.0, 1000.0, -1000.0])).numpy()
    np.testing.assert_allclose(got, [1000.0, 1000 + math.log(2), 1000 + math.log(2)])
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(M.cumulative_logsumexp(x) * tf.constant([1.0, -2.0, 3.0]))
    # TensorFlow 2.21
    np.testing.assert_allclose(
        tape.gradient(y, x).numpy(), [0.73220885, -0.72793174, 1.9957225], rtol=1e-5
    )


def test_accumulate_n():
    a, b = R.standard_normal((2, 3)), R.standard_normal((2, 3))
    np.testing.assert_allclose(M.accumulate_n([a, b, a]).numpy(), 2 * a + b)
    with pytest.raises(ValueError, match="at least one Tensor"):
        M.accumulate_n([])
    with pytest.raises(ValueError, match="not compatible"):
        M.accumulate_n([np.ones(2), np.ones(3)])


def test_approx_max_min_k():
    x = R.standard_normal((4, 6))
    v, i = M.approx_max_k(x, 3)
    np.testing.assert_allclose(v.numpy(), -np.sort(-x, axis=1)[:, :3])
    np.testing.assert_array_equal(np.take_along_axis(x, i.numpy(), 1), v.numpy())
    v, i = M.approx_min_k(x, 2, reduction_dimension=0)
    assert v.shape == (2, 6) and i.dtype == tf.int32
    np.testing.assert_allclose(v.numpy(), np.sort(x, axis=0)[:2])
    np.testing.assert_array_equal(np.take_along_axis(x, i.numpy(), 0), v.numpy())
    res = M.approx_max_k(np.array([[1.0, 5, 3, 2]], np.float32), 2)
    # TensorFlow 2.21: values [[5, 3]], indices [[1, 2]]
    assert res.values.numpy().tolist() == [[5.0, 3.0]] and res.indices.numpy().tolist() == [[1, 2]]
    with pytest.raises(Exception, match="approx_max_k.*k must be"):
        M.approx_max_k(x, 7)
