"""tf.gradients inside tf.function (a graph), as TensorFlow 2.21; eagerly an error."""

import numpy as np
import pytest

import gpuflow as tf


def test_gradients_of_a_traced_computation_match_the_tape():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])

    @tf.function
    def f(x):
        h = tf.nn.relu(tf.matmul(x, w))
        loss = tf.reduce_sum(h * h)
        return loss, tf.gradients(loss, [w, x])

    for xv in ([[1.0, -1.0]], [[0.5, 2.0]], [[-2.0, 3.0]]):  # replays on new values
        x = tf.constant(xv)
        _, (gw, gx) = f(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            h = tf.nn.relu(tf.matmul(x, w))
            loss = tf.reduce_sum(h * h)
        ew, ex = tape.gradient(loss, [w, x])
        np.testing.assert_allclose(gw.numpy(), ew.numpy())
        np.testing.assert_allclose(gx.numpy(), ex.numpy())
    assert f.experimental_get_tracing_count() == 1


def test_gradients_options():
    @tf.function
    def g(a, b):
        c = a * b
        d = c + a
        ga, gb = tf.gradients(d, [a, b], stop_gradients=[c])
        (gz,) = tf.gradients(a, [b], unconnected_gradients="zero")
        (gn,) = tf.gradients(a, b)
        (gy,) = tf.gradients([c, d], a, grad_ys=[tf.constant(2.0), tf.constant(3.0)])
        return ga, gb, gz, gn, gy

    ga, gb, gz, gn, gy = g(tf.constant(3.0), tf.constant(7.0))
    assert float(ga) == 1.0 and gb is None and gn is None
    assert float(gz) == 0.0
    assert float(gy) == 2.0 * 7.0 + 3.0 * 8.0


def test_gradients_for_an_intermediate_and_its_input_as_tensorflow():
    @tf.function
    def f(a):
        b = 2.0 * a
        whole = tf.gradients(a + b, [a, b])
        stopped = tf.gradients(a + b, [a, b], stop_gradients=[a, b])
        return whole, stopped

    (ga, gb), (sa, sb) = f(tf.constant(1.0))
    assert (float(ga), float(gb)) == (3.0, 1.0)  # d/da goes through b too
    assert (float(sa), float(sb)) == (1.0, 1.0)


def test_gradients_of_constants_made_inside_the_function():
    # tf.constant and the ops on it are constants of the trace: TF 2.21 still gives
    # [3.0, 1.0] (through b), [1.0, 1.0] with stop_gradients, and stops at tf.stop_gradient
    @tf.function
    def f():
        a = tf.constant(0.0)
        b = 2 * a
        whole = tf.gradients(a + b, [a, b])
        stopped = tf.gradients(a + b, [a, b], stop_gradients=[a, b])
        c = tf.stop_gradient(tf.constant(0.0))
        d = tf.stop_gradient(2 * c)
        return whole, stopped, tf.gradients(c + d, [c, d])

    whole, stopped, through_stop = f()
    assert [float(g) for g in whole] == [3.0, 1.0]
    assert [float(g) for g in stopped] == [1.0, 1.0]
    assert [float(g) for g in through_stop] == [1.0, 1.0]


def test_stop_gradient_of_a_traced_tensor_stops_tf_gradients():
    @tf.function
    def f(x):
        b = tf.stop_gradient(3.0 * x)
        (g,) = tf.gradients(x * b, x)
        return b, g

    for v in (2.0, 5.0):  # replays: b follows x, the gradient stays b
        b, g = f(tf.constant(v))
        assert float(b) == 3.0 * v
        assert float(g) == 3.0 * v


def test_gradients_eagerly_and_bad_arguments():
    with pytest.raises(RuntimeError, match="tf.gradients is not supported when eager"):
        tf.gradients(tf.constant(1.0), tf.constant(2.0))

    @tf.function
    def bad(a):
        return tf.gradients(a, [a], unconnected_gradients="sometimes")

    with pytest.raises(ValueError, match="tf.gradients: unconnected_gradients must be"):
        bad(tf.constant(1.0))
