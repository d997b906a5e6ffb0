"""``for i in tf.range(n)`` inside gpuflow.function: a while_loop when n is a traced
tensor (one trace serves every n), a Python loop (unrolled) otherwise."""

import warnings

import numpy as np
import pytest

import gpuflow as tf


def test_a_tensor_bound_becomes_one_compiled_loop():
    @tf.function
    def total(n):
        acc = tf.constant(0)
        for i in tf.range(n):
            acc += i * i
        return acc

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no eager fallback
        assert [int(total(tf.constant(n))) for n in (0, 1, 4, 7)] == [0, 0, 14, 91]
    assert total.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("start, limit, delta", [(2, 11, 3), (10, 0, -2), (5, 5, 1), (0, 4, -1)])
def test_start_limit_and_delta_as_python_range(start, limit, delta):
    @tf.function
    def visited(a, b, d):
        acc = tf.constant(0)
        count = tf.constant(0)
        for i in tf.range(a, b, d):
            acc += i
            count += 1
        return acc, count

    acc, count = visited(tf.constant(start), tf.constant(limit), tf.constant(delta))
    expected = list(range(start, limit, delta))
    assert (int(acc), int(count)) == (sum(expected), len(expected))


def test_python_bounds_unroll_and_builtin_range_works_too():
    trace_count = []

    @tf.function
    def f(x):
        trace_count.append(1)
        for i in range(3):
            x = x * 2.0 + i
        for j in tf.range(2):
            x += tf.cast(j, tf.float32)
        return x

    np.testing.assert_allclose(f(tf.constant(1.0)).numpy(), ((1 * 2 + 0) * 2 + 1) * 2 + 2 + 1)
    assert len(trace_count) == 1


@pytest.mark.filterwarnings("ignore:gpuflow.function 'step' runs eagerly")
def test_gradients_through_a_tensor_bounded_loop_are_right():
    # (a gradient through a compiled while_loop is not recorded yet: the step runs eagerly)
    w = tf.Variable(2.0)

    @tf.function
    def step(n):
        with tf.GradientTape() as tape:
            y = tf.constant(1.0)
            for _ in tf.range(n):
                y = y * w
        return tape.gradient(y, w)

    assert float(step(tf.constant(3))) == pytest.approx(3 * 2.0**2)


def test_a_tensor_first_assigned_in_the_loop_keeps_the_last_steps_value():
    # TensorFlow's autograph starts it as zeros of the body's shape and dtype
    @tf.function
    def f(n):
        for i in tf.range(n):
            last = i * 2
        return last

    out = f(tf.constant(3))
    assert int(out) == 4 and out.dtype == tf.int32


def test_a_tape_made_in_each_step_of_a_tensor_loop_is_local_to_the_step():
    # the deepdream tutorial's loop: `tape` and `grads` are not defined before the loop
    @tf.function(input_signature=(tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.int32)))
    def ascend(x, steps):
        loss = tf.constant(0.0)
        for _ in tf.range(steps):
            with tf.GradientTape() as tape:
                tape.watch(x)
                loss = tf.reduce_sum(x * x)
            grads = tape.gradient(loss, x)
            x = x + 0.1 * grads
        return loss, x

    loss, x = ascend(tf.constant([1.0, -2.0]), tf.constant(2))
    np.testing.assert_allclose(x.numpy(), [1.44, -2.88], rtol=1e-6)
    assert float(loss) == pytest.approx(1.2**2 + 2.4**2)
    loss, x = ascend(tf.constant([1.0]), tf.constant(0))
    assert float(loss) == 0.0 and x.numpy().tolist() == [1.0]


def test_a_while_loop_on_a_tensor_with_a_step_local_tensor():
    @tf.function
    def f(n):
        x = tf.constant(0)
        while x < n:
            t = x + 2
            x = t - 1
        return x, t

    x, t = f(tf.constant(3))
    assert int(x) == 3 and int(t) == 4


def test_the_loop_variable_keeps_its_last_value_after_the_loop():
    @tf.function
    def last_python(x):
        for i in range(4):
            x = x + 1.0
        return x, i

    x, i = last_python(tf.constant(0.0))
    assert float(x) == 4.0 and i == 3

    @tf.function
    def last_traced(n):
        acc = tf.constant(0)
        for i in tf.range(n):
            acc += 1
        return acc, i

    acc, i = last_traced(tf.constant(5))
    assert int(acc) == 5 and int(i) == 4


def test_range_tensor_of_a_traced_bound_runs_eagerly_with_a_warning():
    # the DeepDream tutorial's tile offsets: tf.range(0, size, tile)[:-1] on arguments,
    # len() of it and a loop over it; a data-dependent length runs eagerly, as TF's values
    @tf.function(
        input_signature=(
            tf.TensorSpec(shape=[2], dtype=tf.int32),
            tf.TensorSpec(shape=[], dtype=tf.int32),
        )
    )
    def offsets(size, tile):
        xs = tf.range(0, size[1], tile)[:-1]
        if not tf.cast(len(xs), bool):
            xs = tf.constant([0])
        total = tf.constant(0)
        for x in xs:
            total += x
        return xs, total

    with pytest.warns(RuntimeWarning, match="range: a bound computed inside"):
        xs, total = offsets(tf.constant([30, 36]), tf.constant(16))
    assert xs.numpy().tolist() == [0, 16] and int(total) == 16
    xs, total = offsets(tf.constant([30, 10]), tf.constant(16))  # one tile: [0]
    assert xs.numpy().tolist() == [0] and int(total) == 0
