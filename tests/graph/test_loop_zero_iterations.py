"""A name first assigned inside a ``tf.range`` / tensor ``while`` loop that ran no step:
using it after the loop raises TensorFlow's InvalidArgumentError; not using it is fine."""

import pytest

import gpuflow as tf


def _last_square():
    @tf.function
    def f(n):
        for i in tf.range(n):
            sq = i * i
        return sq

    return f


def test_zero_steps_after_a_trace_that_iterated():
    f = _last_square()
    assert int(f(tf.constant(3))) == 4
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="iterate at least once to initialize sq"
    ):
        f(tf.constant(0))
    assert int(f(tf.constant(5))) == 16


def test_zero_steps_on_the_first_call():
    f = _last_square()
    with pytest.raises(tf.errors.InvalidArgumentError, match="initialize sq"):
        f(tf.constant(0))
    assert int(f(tf.constant(2))) == 1


def test_while_loop_names_the_variable():
    @tf.function
    def f(n):
        i = tf.constant(0)
        while i < n:
            last = i * 3
            i += 1
        return last

    assert int(f(tf.constant(2))) == 3
    with pytest.raises(tf.errors.InvalidArgumentError, match="initialize last"):
        f(tf.constant(0))


def test_unused_after_the_loop_is_fine():
    @tf.function
    def f(n):
        s = tf.constant(0)
        for i in tf.range(n):
            sq = i * i
            s += sq
        return s

    assert int(f(tf.constant(0))) == 0
    assert int(f(tf.constant(3))) == 5
    assert int(f(tf.constant(0))) == 0
