"""tf.autograph: to_code shows the converted source, to_graph the converted function,
experimental.do_not_convert keeps a function unconverted inside gpuflow.function."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph.trace import OperatorNotAllowedInGraphError


def double_if_positive(x):
    if x > 0:
        x = x * 2
    return x


def test_to_code_and_to_graph():
    code = tf.autograph.to_code(double_if_positive)
    assert isinstance(code, str) and "ag__.if_stmt" in code
    assert "def tf__double_if_positive(" in code
    converted = tf.autograph.to_graph(double_if_positive)
    assert int(converted(tf.constant(3))) == 6 and int(converted(tf.constant(-3))) == -3
    with pytest.raises(ValueError, match="unable to locate the source"):
        tf.autograph.to_code(len)


def test_do_not_convert_keeps_python_semantics():
    @tf.autograph.experimental.do_not_convert
    def plain(x):
        if x > 0:
            x = x * 2
        return x

    assert tf.autograph.to_graph(plain) is plain
    with pytest.raises(OperatorNotAllowedInGraphError):
        tf.function(plain)(tf.constant(3))
    assert int(tf.function(double_if_positive)(tf.constant(3))) == 6
    tf.autograph.set_verbosity(3)  # accepted


def test_autograph_loops_as_tensorflow():
    @tf.function
    def odd_sum(n):
        s = tf.constant(0)
        for i in tf.range(n):
            if i % 2 == 0:
                continue
            if i > 7 and n > 0:
                break
            s += i
        return s

    assert int(odd_sum(tf.constant(20))) == 1 + 3 + 5 + 7
    assert int(odd_sum(tf.constant(4))) == 1 + 3

    @tf.function
    def count(x):
        i = tf.constant(0)
        total = tf.constant(0.0)
        while i < x and not total >= 100.0:
            total += tf.cast(i, tf.float32) * 2.0
            i += 1
        return i, total

    i, total = count(tf.constant(50))
    assert int(i) == 11 and float(total) == 110.0

    @tf.function
    def early(x):
        for i in tf.range(10):
            if i == x:
                return i
        return tf.constant(-1)

    with pytest.raises(NotImplementedError, match="a return statement cannot be placed inside"):
        early(tf.constant(3))

    @tf.function
    def collect(n):
        out = []
        for i in tf.range(n):
            out.append(i)
        return out

    with pytest.raises(ValueError, match="tf.TensorArray") as info:
        collect(tf.constant(3))
    assert type(info.value).__name__ == "InaccessibleTensorError"


def test_continue_in_a_loop_over_a_tensor_or_a_list():
    @tf.function
    def positive_rows(t):
        s = tf.constant(0.0)
        for row in t:  # unrolled over the rows; the continue becomes a cond
            if tf.reduce_sum(row) < 0:
                continue
            s += tf.reduce_sum(row)
        return s

    assert float(positive_rows(tf.constant([[1.0, 2.0], [-5.0, 1.0], [3.0, 0.0]]))) == 6.0

    @tf.function
    def skip_two(x):
        out = 0
        for v in [1, 2, 3, 4]:
            if v == 2:
                continue
            out += v
        return out + x

    assert int(skip_two(tf.constant(0))) == 8


def test_break_in_a_loop_over_a_tensor_or_a_list():
    @tf.function
    def until_large(t):
        s = tf.constant(0.0)
        for row in t:  # rows by index: a while_loop once the break is a tensor
            if tf.reduce_sum(row) > 5:
                break
            s += tf.reduce_sum(row)
        return s

    assert float(until_large(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))) == 3.0
    assert float(until_large(tf.constant([[1.0, 1.0], [1.0, 1.0], [9.0, 1.0]]))) == 4.0
    assert float(until_large(tf.constant([[9.0, 0.0], [1.0, 1.0], [1.0, 1.0]]))) == 0.0
    assert until_large.experimental_get_tracing_count() == 1

    @tf.function
    def first_two(x):
        out = 0
        for v in [1, 2, 3, 4]:  # a Python break in a Python loop
            if v == 3:
                break
            out += v
        return out + x

    assert int(first_two(tf.constant(0))) == 3


def test_function_of_a_wrapped_callable_keeps_its_own_code():
    # tf.function(tf.ones): gpuflow's op wrapper has functools.wraps; its defaults and body
    # are its own, not those of the function it wraps
    assert tuple(tf.function(tf.ones)(shape=(2, 3)).shape) == (2, 3)
    seeded = tf.function(tf.random.stateless_normal)(shape=(2, 2), seed=(1, 2))
    np.testing.assert_array_equal(
        seeded.numpy(), tf.random.stateless_normal((2, 2), seed=(1, 2)).numpy()
    )

    def times_ten(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            return f(*args, **kwargs) * 10.0

        return wrapper

    @tf.function
    @times_ten
    def branch(x):
        if tf.reduce_sum(x) > 0:  # converted inside the wrapper's call, as TF's autograph
            return x + 1.0
        return x - 1.0

    assert branch(tf.constant([1.0])).numpy().tolist() == [20.0]
    assert branch(tf.constant([-1.0])).numpy().tolist() == [-20.0]
