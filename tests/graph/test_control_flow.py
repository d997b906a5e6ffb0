"""gpuflow.cond / gpuflow.while_loop: eagerly, and recorded inside gpuflow.function."""

import warnings

import numpy as np
import pytest

import gpuflow as tf


def test_cond_eager_and_gradient():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.cond(x > 0, lambda: x * x, lambda: -x)
    assert float(y) == 9.0
    assert float(tape.gradient(y, x)) == 6.0
    with tf.GradientTape() as tape:
        y = tf.cond(x < 0, lambda: x * x, lambda: -x)
    assert float(tape.gradient(y, x)) == -1.0


def test_cond_inside_function_follows_each_call():
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0)

    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [2, 4])
    np.testing.assert_allclose(f(tf.constant([-1.0, -2.0])).numpy(), [-2, -3])
    np.testing.assert_allclose(f(tf.constant([3.0, 0.0])).numpy(), [6, 0])
    assert len(traces) == 1


def test_cond_effects_only_in_the_branch_taken():
    v = tf.Variable(0.0)

    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: v.assign_add(1.0), lambda: v.assign_sub(10.0))

    f(tf.constant(1.0))
    assert float(v.numpy()) == 1.0
    f(tf.constant(-1.0))
    assert float(v.numpy()) == -9.0
    f(tf.constant(2.0))
    assert float(v.numpy()) == -8.0


def test_cond_branches_must_agree_inside_function():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: tf.zeros((2,)), lambda: tf.zeros((3,)))

    with pytest.raises(ValueError, match="different shapes"):
        f(tf.constant(1.0))


def test_while_loop_eager_and_traced():
    def collatz_steps(n):
        def body(n, steps):
            n = tf.cond(tf.equal(n % 2, 0), lambda: n // 2, lambda: 3 * n + 1)
            return n, steps + 1

        return tf.while_loop(lambda n, s: n > 1, body, (n, tf.constant(0)))[1]

    assert int(collatz_steps(tf.constant(6))) == 8
    compiled = tf.function(collatz_steps)
    assert int(compiled(tf.constant(6))) == 8
    assert int(compiled(tf.constant(27))) == 111
    assert compiled.experimental_get_tracing_count() == 1


def test_while_loop_sum_with_maximum_iterations():
    @tf.function
    def f(x):
        i = tf.constant(0)
        total = tf.zeros_like(x)
        _, total = tf.while_loop(
            lambda i, t: i < 10, lambda i, t: (i + 1, t + x), [i, total], maximum_iterations=4
        )
        return total

    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [4, 8])


def test_while_loop_eagerly_checks_the_body_structure_and_returns_tensors():
    # TF 2.21: Python numbers come back as tensors; a body that changes the structure of
    # the loop variables is a ValueError (a TypeError for a tuple become a list)
    i, (a, b) = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, (s[1], s[0])), (0, (1, 2)))
    assert isinstance(i, tf.Tensor) and i.dtype == tf.int32 and int(i) == 3
    assert (int(a), int(b)) == (2, 1)
    with pytest.raises(ValueError, match="while_loop: body must return loop variables"):
        tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, (s, i)), (0, 0))
    with pytest.raises(ValueError, match="while_loop: body must return loop variables"):
        tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, {"b": 1}), (0, {"a": 1}))
    with pytest.raises(TypeError, match="while_loop: body must return loop variables"):
        tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, [s[0], s[1]]), (0, (1, 2)))
    with pytest.raises(ValueError, match="while_loop: body must return loop variables"):
        tf.keras.ops.fori_loop(0, 10, lambda i, s: (i + 1, s + i), 0)


def test_python_loop_over_python_range_unrolls():
    @tf.function
    def f(x):
        for _ in range(3):
            x = x * 2.0
        for i in tf.range(3):  # a constant tensor: unrolled while tracing
            x = x + tf.cast(i, tf.float32)
        return x

    assert float(f(tf.constant(1.0))) == 11.0
    assert float(f(tf.constant(2.0))) == 19.0


def test_gradient_through_traced_cond_compiles():
    w = tf.Variable(2.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            y = tf.cond(x > 0, lambda: w * x, lambda: w)
        return tape.gradient(y, w)

    # each call differentiates the branch its predicate takes (cond_gradient.py)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback to eager
        assert float(f(tf.constant(1.0))) == 1.0
        assert float(f(tf.constant(3.0))) == 3.0 and float(f(tf.constant(-3.0))) == 1.0
    assert f.experimental_get_tracing_count() == 1


def test_cond_branches_returning_none_inside_function():
    # as TF: a branch run for its effects returns None; None places stay None in the result
    v = tf.Variable(0.0)
    x = tf.Variable(3.0)

    def bump(amount):
        v.assign_add(amount)

    @tf.function
    def f(p):
        done = tf.cond(p > 0, lambda: bump(p), lambda: None)
        with tf.GradientTape() as tape:
            y, nothing = tf.cond(p > 0, lambda: (x * x, None), lambda: (-x, None))
        return done, nothing, y, tape.gradient(y, x)

    done, nothing, y, grad = f(tf.constant(2.0))
    assert done is None and nothing is None
    assert float(y) == 9.0 and float(grad) == 6.0 and float(v) == 2.0
    done, nothing, y, grad = f(tf.constant(-1.0))
    assert float(y) == -3.0 and float(grad) == -1.0 and float(v) == 2.0

    @tf.function
    def mismatched(p):
        return tf.cond(p > 0, lambda: p, lambda: None)

    with pytest.raises(ValueError, match="one branch returns None where the other"):
        mismatched(tf.constant(1.0))


def test_branch_not_taken_is_traced_once():
    # guide/function's fizzbuzz: each branch's Python print runs once per trace, as TF
    seen = []

    @tf.function
    def f(n):
        for i in tf.range(1, n + 1):
            if i % 3 == 0:
                seen.append("three")
            elif i % 2 == 0:
                seen.append("two")
            else:
                seen.append("other")
        return n

    f(tf.constant(4))
    f(tf.constant(9))
    assert sorted(seen) == ["other", "three", "two"]
    x = tf.constant(-1.0)
    calls = []

    @tf.function
    def g(x):
        return tf.cond(x > 0, lambda: calls.append("t") or x, lambda: calls.append("f") or -x)

    assert float(g(x)) == 1.0 and float(g(tf.constant(2.0))) == 2.0
    assert sorted(calls) == ["f", "t"]
