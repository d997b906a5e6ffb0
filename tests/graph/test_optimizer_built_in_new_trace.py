"""An optimizer first applied in a trace that is not the function's first builds its
variables there: TensorFlow with Keras 3 raises ValueError (guide/function)."""

import pytest

import gpuflow as tf


def _step():
    @tf.function
    def step(w, x, y, optimizer):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(w * x - y))
        optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))

    return step


def test_second_optimizer_in_a_new_trace_raises():
    step = _step()
    w = tf.Variable(2.0)
    x, y = tf.constant([-1.0]), tf.constant([2.0])
    step(w, x, y, tf.keras.optimizers.Adam(0.01))
    with pytest.raises(ValueError, match="singleton tf.Variables"):
        step(w, x, y, tf.keras.optimizers.Adam(0.001))


def test_optimizer_built_before_is_fine_in_any_trace():
    step = _step()
    w = tf.Variable(2.0)
    first, second = tf.keras.optimizers.SGD(0.1), tf.keras.optimizers.SGD(0.1)
    second.build([w])
    step(w, tf.constant([-1.0]), tf.constant([2.0]), first)
    step(w, tf.constant([-1.0]), tf.constant([2.0]), second)  # built outside: no error
    step(w, tf.constant([-1.0, 1.0]), tf.constant([2.0, 0.0]), first)  # a new shape, built
    assert int(first.iterations.numpy()) == 2 and int(second.iterations.numpy()) == 1
