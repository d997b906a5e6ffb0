"""A ``tf.cond`` (or autograph ``if``) whose branch not taken fails on the traced values:
TensorFlow runs the taken branch only, so that error is not raised; later calls take
their own branch and raise only when it fails."""

import warnings

import pytest

import gpuflow as tf


def _guarded_gather():
    @tf.function
    def f(x, i):
        return tf.cond(i < tf.shape(x)[0], lambda: tf.gather(x, i), lambda: tf.constant(-1.0))

    return f


def test_untaken_failing_branch_is_not_raised():
    f = _guarded_gather()
    x = tf.constant([1.0, 2.0, 3.0])
    with pytest.warns(RuntimeWarning, match="branch of tf.cond not taken"):
        assert float(f(x, tf.constant(5))) == -1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the warning comes once
        assert float(f(x, tf.constant(1))) == 2.0  # the other branch, its own value
        assert float(f(x, tf.constant(9))) == -1.0
    assert f.experimental_get_tracing_count() == 1


def test_replay_picks_branch_when_first_trace_took_the_safe_one():
    f = _guarded_gather()
    x = tf.constant([1.0, 2.0, 3.0])
    assert float(f(x, tf.constant(0))) == 1.0
    assert float(f(x, tf.constant(7))) == -1.0
    assert float(f(x, tf.constant(2))) == 3.0


def test_taken_branch_failure_is_raised():
    @tf.function
    def f(x, i):
        return tf.cond(i >= 0, lambda: tf.gather(x, i), lambda: tf.constant(0.0))

    x = tf.constant([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        f(x, tf.constant(4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert float(f(x, tf.constant(-3))) == 0.0
        with pytest.raises(tf.errors.InvalidArgumentError):
            f(x, tf.constant(4))


def test_autograph_if_on_a_tensor():
    @tf.function
    def f(x, i):
        if i < tf.shape(x)[0]:
            r = tf.gather(x, i) * 10.0
        else:
            r = tf.constant(-1.0)
        return r

    x = tf.constant([1.0, 2.0, 3.0])
    with pytest.warns(RuntimeWarning):
        assert float(f(x, tf.constant(3))) == -1.0
    assert float(f(x, tf.constant(2))) == 30.0


def test_effects_of_the_first_call_run_once():
    v = tf.Variable(0.0)

    @tf.function
    def f(x, i):
        v.assign_add(1.0)
        return tf.cond(i < 3, lambda: tf.gather(x, i), lambda: tf.constant(-1.0))

    x = tf.constant([1.0, 2.0, 3.0])
    with pytest.warns(RuntimeWarning):
        f(x, tf.constant(8))
    assert float(v) == 1.0
    f(x, tf.constant(0))
    assert float(v) == 2.0


def test_gradient_through_the_taken_branch():
    w = tf.Variable([1.0, 2.0, 3.0])

    @tf.function
    def f(i):
        with tf.GradientTape() as tape:
            y = tf.cond(i < 3, lambda: tf.gather(w, i) * 2.0, lambda: tf.reduce_sum(w))
        return y, tf.convert_to_tensor(tape.gradient(y, w))

    with pytest.warns(RuntimeWarning):
        y, g = f(tf.constant(5))
    assert float(y) == 6.0 and g.numpy().tolist() == [1.0, 1.0, 1.0]
    y, g = f(tf.constant(1))
    assert float(y) == 4.0 and g.numpy().tolist() == [0.0, 2.0, 0.0]


def test_inside_a_loop_body_each_step_takes_its_branch():
    @tf.function
    def f(x, n):
        total = tf.constant(0.0)
        for k in tf.range(n):
            total += tf.cond(k > 0, lambda: tf.gather(x, k - 1), lambda: tf.constant(0.5))
        return total

    x = tf.constant([1.0, 2.0, 4.0])
    with pytest.warns(RuntimeWarning, match="branch of tf.cond not taken"):
        assert float(f(x, tf.constant(3))) == 3.5  # not 1.5: every step's own branch
    assert float(f(x, tf.constant(4))) == 7.5
    assert float(f(x, tf.constant(0))) == 0.0
