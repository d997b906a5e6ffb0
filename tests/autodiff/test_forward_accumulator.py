"""tf.autodiff.ForwardAccumulator against finite differences and tape Jacobians
(first order, Hessian-vector products, Variables, nests), and tf.recompute_grad."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

X = np.array([1.0, 2.0, 3.0])
V = np.array([0.5, -1.0, 2.0])


def _f(x):
    return tf.sin(x) * tf.reduce_sum(x**2) + tf.exp(x[::-1] * 0.1)


def _finite_jvp(fn, x, v, eps=1e-6):
    plus = fn(tf.constant(x + eps * v)).numpy()
    minus = fn(tf.constant(x - eps * v)).numpy()
    return (plus - minus) / (2 * eps)


def test_jvp_matches_finite_differences_and_jacobian():
    x, v = tf.constant(X), tf.constant(V)
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=v) as acc:
        y = _f(x)
    jvp = acc.jvp(y).numpy()
    np.testing.assert_allclose(jvp, _finite_jvp(_f, X, V), rtol=1e-7)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y2 = _f(x)
    np.testing.assert_allclose(jvp, tape.jacobian(y2, x).numpy() @ V, rtol=1e-12)


def test_hessian_vector_product_forward_over_backward():
    x, v = tf.constant(X), tf.constant(V)

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.sin(x) * x**3)
        return tape.gradient(y, x)

    with tf.autodiff.ForwardAccumulator(x, v) as acc:
        g = grad(x)
    np.testing.assert_allclose(acc.jvp(g).numpy(), _finite_jvp(grad, X, V), rtol=1e-6)


def test_nested_primals_variables_and_unconnected():
    w = tf.Variable(tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64))
    b = tf.constant([0.5, -0.5], tf.float64)
    tw, tb = tf.ones_like(w), tf.constant([1.0, 2.0], tf.float64)
    before = tf.constant(3.0, tf.float64)
    with tf.autodiff.ForwardAccumulator([w, b], [tw, tb]) as acc:
        z = tf.matmul(tf.constant([[1.0, 1.0]], tf.float64), w) + b
        out = {"z": z, "sq": tf.reduce_sum(z**2)}
    jvps = acc.jvp(out)
    np.testing.assert_allclose(jvps["z"].numpy(), [[2 + 1, 2 + 2]])
    np.testing.assert_allclose(float(jvps["sq"]), 2 * (4.5 * 3 + 5.5 * 4))
    assert acc.jvp(before) is None
    assert float(acc.jvp(before, unconnected_gradients="zero")) == 0.0
    assert acc.jvp(w) is tw  # a primal's JVP is its tangent


def test_accumulator_errors():
    with pytest.raises(ValueError, match="tangent shape \\[3\\] does not match"):
        tf.autodiff.ForwardAccumulator(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        tf.autodiff.ForwardAccumulator([tf.constant(1.0), tf.constant(2.0)], [tf.constant(1.0)])


def test_recompute_grad_matches_plain_gradients():
    w = tf.Variable(tf.random.normal([3, 2], seed=1, dtype=tf.float64))

    def block(x):
        return tf.tanh(tf.matmul(x, w)) * 2.0

    checkpointed = tf.recompute_grad(block)
    x = tf.constant([[1.0, 2.0, 3.0], [0.1, -0.2, 0.3]], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = tf.reduce_sum(checkpointed(x) ** 2)
        b = tf.reduce_sum(block(x) ** 2)
    np.testing.assert_allclose(float(a), float(b))
    for ga, gb in zip(tape.gradient(a, [x, w]), tape.gradient(b, [x, w])):
        np.testing.assert_allclose(ga.numpy(), gb.numpy(), rtol=1e-12)


def test_recompute_grad_counts_an_earlier_variable_once():
    """A variable that reaches a recomputed function through its input gets its gradient
    through the input only (it was counted twice)."""
    v1, v2 = tf.Variable(2.0), tf.Variable(5.0)
    x = tf.constant(3.0)
    g1 = tf.recompute_grad(lambda t: t * v1)
    g2 = tf.recompute_grad(lambda t: t * v2)
    with tf.GradientTape() as tape:
        y = g2(g1(x))
    assert [float(g) for g in tape.gradient(y, [v1, v2])] == [15.0, 6.0]


def test_recompute_grad_inside_a_function_uses_each_calls_inputs():
    # a compiled step replays the recomputation on the inputs of that call, not the first
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])

    def block(x):
        return tf.tanh(tf.matmul(x, w)) * 2.0

    checkpointed = tf.recompute_grad(block)

    def step(fn, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(fn(x) ** 2)
        return tape.gradient(loss, [x, w])

    compiled = tf.function(lambda x: step(checkpointed, x))
    x = tf.constant([[0.1, 0.2], [0.3, -0.4]])
    for scale in (1.0, 2.0, -3.0):
        got = compiled(x * scale)
        want = step(block, x * scale)
        for g, e in zip(got, want):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-5, atol=1e-6)
