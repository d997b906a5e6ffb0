"""tf.autograph.experimental.set_loop_options: maximum_iterations stops TensorFlow loops
(tf.range, a tensor, a tensor condition) in a tf.function; Python loops ignore it."""

from __future__ import annotations

import numpy as np

import gpuflow as tf


def test_a_range_over_a_traced_bound_stops_after_maximum_iterations():
    @tf.function
    def total(n):
        s = 0
        for i in tf.range(n):
            tf.autograph.experimental.set_loop_options(
                parallel_iterations=4, swap_memory=True, maximum_iterations=2
            )
            s += i
        return s

    assert int(total(tf.constant(10))) == 1
    assert int(total(tf.constant(1))) == 0


def test_a_range_over_a_constant_bound_stops_too_and_leaves_the_last_index():
    @tf.function
    def total():
        s = tf.constant(0)
        for i in tf.range(10):
            tf.autograph.experimental.set_loop_options(maximum_iterations=3)
            s += i
        return s, i

    s, i = total()
    assert (int(s), int(i)) == (3, 2)


def test_python_range_and_python_conditions_ignore_it():
    @tf.function
    def total():
        s = tf.constant(0)
        for i in range(10):
            tf.autograph.experimental.set_loop_options(maximum_iterations=3)
            s += i
        return s

    assert int(total()) == 45


def test_while_on_a_tensor_condition():
    @tf.function
    def doubled(x):
        while x < 100:
            tf.autograph.experimental.set_loop_options(maximum_iterations=4)
            x = x * 2
        return x

    assert int(doubled(tf.constant(1))) == 16
    assert int(doubled(tf.constant(30))) == 120


def test_a_loop_over_a_tensor_and_one_with_a_break():
    @tf.function
    def row_sums(t):
        s = tf.constant(0.0)
        for row in t:
            tf.autograph.experimental.set_loop_options(maximum_iterations=2)
            s += tf.reduce_sum(row)
        return s

    np.testing.assert_allclose(row_sums(tf.ones([5, 3])).numpy(), 6.0)

    @tf.function
    def until(n):
        s = 0
        for i in tf.range(n):
            tf.autograph.experimental.set_loop_options(maximum_iterations=5)
            if s > 3:
                break
            s += i
        return s

    assert int(until(tf.constant(50))) == 6  # 0+1+2+3, then the break
    assert int(until(tf.constant(3))) == 3


def test_zero_iterations_and_the_converted_code():
    @tf.function
    def count(n):
        s = 0
        for _ in tf.range(n):
            tf.autograph.experimental.set_loop_options(maximum_iterations=0)
            s += 1
        return s

    assert int(count(tf.constant(5))) == 0
    code = tf.autograph.to_code(count.python_function)
    assert "loop_options=dict(maximum_iterations=0)" in code, code


def test_eagerly_the_call_does_nothing():
    assert tf.autograph.experimental.set_loop_options(maximum_iterations=1) is None
    s = 0
    for i in range(4):
        tf.autograph.experimental.set_loop_options(maximum_iterations=1)
        s += i
    assert s == 6
