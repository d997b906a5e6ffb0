"""Autograph: `if` / `while` on tensors in a gpuflow.function's source."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph import OperatorNotAllowedInGraphError


@tf.function
def sign_and_count(x):
    if tf.reduce_sum(x) > 0:
        y = x * 2.0
    else:
        y = -x
    n = 0
    while n < 3:  # a Python condition: unrolled while tracing
        y = y + 1.0
        n += 1
    i = tf.constant(0)
    while i < tf.cast(tf.reduce_sum(x), tf.int32):  # a tensor condition: a while_loop
        y = y + 10.0
        i += 1
    return y


def test_if_and_while_on_tensors_follow_each_call():
    np.testing.assert_allclose(sign_and_count(tf.constant([1.0, 2.0])).numpy(), [35, 37])
    np.testing.assert_allclose(sign_and_count(tf.constant([-1.0, -2.0])).numpy(), [4, 5])
    np.testing.assert_allclose(sign_and_count(tf.constant([0.5, 0.0])).numpy(), [4, 3])
    assert sign_and_count.experimental_get_tracing_count() == 1
    assert "cond" in str(sign_and_count.get_concrete_function(tf.constant([1.0, 2.0])).graph)


def test_same_results_eagerly():
    tf.config.run_functions_eagerly(True)
    try:
        np.testing.assert_allclose(sign_and_count(tf.constant([1.0, 2.0])).numpy(), [35, 37])
    finally:
        tf.config.run_functions_eagerly(False)


def test_methods_and_closures_are_converted():
    offset = tf.constant(100.0)

    class Clip(tf.Module):
        @tf.function
        def __call__(self, x):
            if x > 1.0:
                x = x * 0.0 + 1.0
            return x + offset

    clip = Clip()
    assert float(clip(tf.constant(5.0))) == 101.0
    assert float(clip(tf.constant(0.5))) == 100.5


def test_python_if_on_python_values_keeps_python_semantics():
    @tf.function
    def f(x, training):
        if training:
            x = x * 2.0
        return x

    assert float(f(tf.constant(1.0), True)) == 2.0
    assert float(f(tf.constant(1.0), False)) == 1.0
    assert f.experimental_get_tracing_count() == 2


def test_continue_on_a_tensor_condition_is_converted():
    @tf.function
    def f(x):
        for _ in range(2):
            if x > 0:
                continue  # what follows moves into the else branch
            x = x + 1.0
        return x

    assert float(f(tf.constant(1.0))) == 1.0
    assert float(f(tf.constant(-1.5))) == 0.5  # as TensorFlow


def test_unconvertible_statement_raises_a_clear_error():
    @tf.function
    def f(x):
        for _ in range(2):
            try:
                if x > 0:
                    continue  # a continue inside try: not converted
            finally:
                pass
            x = x + 1.0
        return x

    with pytest.raises(OperatorNotAllowedInGraphError, match="gpuflow.cond"):
        f(tf.constant(1.0))


def test_tensor_break_in_a_python_range_loop_continues_as_a_while_loop():
    @tf.function
    def f(x):
        for _ in range(3):
            if x > 2.0:
                break  # lowered to a flag; from the first tensor break on, a while_loop
            x = x + 1.0
        return x

    assert [float(f(tf.constant(v))) for v in (0.0, 2.5, 1.5)] == [3.0, 2.5, 2.5]


def test_if_whose_branches_return_follows_each_call():
    # the "Introduction to graphs" guide's simple_relu, and an early return
    @tf.function
    def simple_relu(x):
        if tf.greater(x, 0):
            return x
        else:
            return 0

    @tf.function
    def clipped(x, limit):
        if tf.reduce_max(x) > limit:
            scale = limit / tf.reduce_max(x)
            return x * scale
        return x

    assert simple_relu(tf.constant(3)).numpy() == 3
    assert simple_relu(tf.constant(-3)).numpy() == 0
    assert simple_relu.experimental_get_tracing_count() == 1
    np.testing.assert_allclose(clipped(tf.constant([1.0, 4.0]), 2.0).numpy(), [0.5, 2.0])
    np.testing.assert_allclose(clipped(tf.constant([1.0, 1.5]), 2.0).numpy(), [1.0, 1.5])
    assert clipped.experimental_get_tracing_count() == 1

    @tf.function
    def python_flag(x, flag):  # a Python condition keeps Python semantics
        if flag:
            return x + 1
        return x - 1

    assert python_flag(tf.constant(1), True).numpy() == 2
    assert python_flag(tf.constant(1), False).numpy() == 0


def test_autograph_false_keeps_the_source():
    @tf.function(autograph=False)
    def f(x):
        if x > 0:
            x = x + 1.0
        return x

    with pytest.raises(OperatorNotAllowedInGraphError):
        f(tf.constant(1.0))


def test_nested_function_is_converted_inside_the_outer_trace():
    # the actor-critic tutorial with run_episode decorated too: the inner function's `if`
    # on a tensor is a cond in the outer trace, also while a tape records inside it
    @tf.function
    def inner(x):
        if tf.reduce_sum(x) > 0:
            y = x * 2.0
        else:
            y = -x
        return y

    @tf.function
    def outer(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(inner(x))
        return y, tape.gradient(y, x)

    for value, grad in (([1.0, 2.0], 2.0), ([-1.0, -2.0], -1.0)):
        y, g = outer(tf.constant(value))
        assert float(y) == (6.0 if grad > 0 else 3.0)
        np.testing.assert_allclose(g.numpy(), [grad, grad])
    assert outer.experimental_get_tracing_count() == 1


_generator = None


def test_global_name_assigned_in_converted_if_stays_global():
    @tf.function
    def draw():
        global _generator
        if _generator is None:
            _generator = tf.random.Generator.from_seed(1)
        return _generator.normal([])

    first, second = draw(), draw()
    assert isinstance(_generator, tf.random.Generator)
    assert float(first) != float(second)


def test_nonlocal_name_assigned_in_converted_if_and_while():
    def make():
        total = None

        @tf.function
        def add(x):
            nonlocal total
            if total is None:
                total = tf.Variable(0.0)
            total.assign_add(x)
            i = 0
            while i < 2:
                total.assign_add(1.0)
                i += 1
            return total.read_value()

        return add

    add = make()
    assert float(add(tf.constant(2.0))) == 4.0
    assert float(add(tf.constant(3.0))) == 9.0


def test_conditional_expression_on_a_tensor_becomes_cond():
    @tf.function
    def f(x, flag):
        n = 5 if flag else 7
        return x + tf.cast(n, x.dtype)

    x = tf.constant([1.0, 2.0])
    assert f(x, tf.constant(True)).numpy().tolist() == [6.0, 7.0]
    assert f(x, tf.constant(False)).numpy().tolist() == [8.0, 9.0]  # one trace, both ways
    assert f(x, True).numpy().tolist() == [6.0, 7.0]  # a Python bool: plain Python
