"""Autograph: ``break`` in loops on tensor values (lowered to a flag), and user functions
called from a gpuflow.function converted too (TensorFlow's converted_call)."""

import warnings

import numpy as np
import pytest

import gpuflow as tf


def _strict():
    """No eager fallback may happen (it warns)."""
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("error", RuntimeWarning)
    return ctx


def test_break_in_a_tensor_range_loop_compiles_to_one_loop():
    @tf.function
    def running_sum_until(x, limit):
        total = tf.constant(0.0)
        for i in tf.range(tf.shape(x)[0]):
            total += x[i]
            if total > limit:
                break
        return total

    ctx = _strict()
    try:
        x = tf.constant([1.0, 2.0, 3.0, 4.0])
        assert float(running_sum_until(x, tf.constant(2.5))) == 3.0
        assert float(running_sum_until(x, tf.constant(100.0))) == 10.0
        assert float(running_sum_until(x, tf.constant(-1.0))) == 1.0
    finally:
        ctx.__exit__(None, None, None)
    assert running_sum_until.experimental_get_tracing_count() == 1


def test_statements_after_a_break_are_skipped_once_it_is_taken():
    @tf.function
    def count_before_negative(x):
        count = tf.constant(0)
        seen = tf.constant(0.0)
        for i in tf.range(5):
            value = x[i]
            if value < 0:
                break
            count += 1
            seen += value
        return count, seen

    count, seen = count_before_negative(tf.constant([1.0, 2.0, -1.0, 5.0, 6.0]))
    assert int(count) == 2 and float(seen) == 3.0
    count, seen = count_before_negative(tf.constant([1.0, 1.0, 1.0, 1.0, 1.0]))
    assert int(count) == 5 and float(seen) == 5.0


def test_while_loop_with_a_tensor_break():
    @tf.function
    def steps_to_one(n):
        steps = tf.constant(0)
        while n > 0:
            if n == 1:
                break
            n = tf.where(n % 2 == 0, n // 2, 3 * n + 1)
            steps += 1
        return steps

    assert [int(steps_to_one(tf.constant(v))) for v in (1, 2, 6, 7)] == [0, 1, 8, 16]
    assert steps_to_one.experimental_get_tracing_count() == 1


def test_python_break_in_a_python_loop_keeps_python_semantics():
    @tf.function
    def first_three(x):
        out = []
        for i in range(10):
            if i == 3:
                break
            out.append(x * i)
        return tf.stack(out)

    np.testing.assert_allclose(first_three(tf.constant(2.0)).numpy(), [0.0, 2.0, 4.0])


def test_called_user_functions_are_converted():
    def clipped(v, limit):  # a helper with tensor control flow, not decorated
        if v > limit:
            v = limit
        return v

    def accumulate(x):
        total = tf.constant(0.0)
        for i in tf.range(tf.shape(x)[0]):
            total += clipped(x[i], 2.0)
        return total

    @tf.function
    def outer(x):
        return accumulate(x)

    ctx = _strict()
    try:
        assert float(outer(tf.constant([1.0, 5.0, 0.5]))) == 3.5
        assert float(outer(tf.constant([3.0, 3.0, 3.0]))) == 6.0
    finally:
        ctx.__exit__(None, None, None)
    assert outer.experimental_get_tracing_count() == 1


def test_library_functions_and_lambdas_are_called_as_they_are():
    @tf.function
    def f(x):
        double = lambda v: v * 2  # noqa: E731
        return np.float32(2.0) * tf.reduce_sum(double(x)) + len([x])

    assert float(f(tf.constant([1.0, 2.0]))) == 13.0


def test_a_tensor_bool_in_a_lambda_still_names_cond():
    @tf.function
    def f(x):
        pick = lambda v: v if v > 0 else -v  # noqa: E731 (lambdas are not converted)
        return pick(x)

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="gpuflow.cond"):
        f(tf.constant(1.0))
