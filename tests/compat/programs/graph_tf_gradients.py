"""tf.gradients inside tf.function (graph mode), as in the "Introduction to graphs" era
code: the same values as GradientTape; eagerly it is an error (TensorFlow 2.21)."""

import numpy as np
import tensorflow as tf

w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])


@tf.function
def loss_and_grads(x):
    h = tf.nn.relu(tf.matmul(x, w))
    loss = tf.reduce_sum(h * h)
    gw, gx = tf.gradients(loss, [w, x])
    return loss, gw, gx


for xv in ([[1.0, -1.0]], [[0.5, 2.0]], [[-2.0, 3.0]]):
    x = tf.constant(xv)
    loss, gw, gx = loss_and_grads(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        h = tf.nn.relu(tf.matmul(x, w))
        expected = tf.reduce_sum(h * h)
    ew, ex = tape.gradient(expected, [w, x])
    np.testing.assert_allclose(loss.numpy(), expected.numpy())
    np.testing.assert_allclose(gw.numpy(), ew.numpy())
    np.testing.assert_allclose(gx.numpy(), ex.numpy())
assert loss_and_grads.experimental_get_tracing_count() == 1


@tf.function
def options(a, b):
    c = a * b
    d = c + a
    ga, gb = tf.gradients(d, [a, b], stop_gradients=[c])
    gz = tf.gradients(a, [b], unconnected_gradients="zero")
    gn = tf.gradients(a, [b])
    gy = tf.gradients([c, d], a, grad_ys=[tf.constant(2.0), tf.constant(3.0)])
    return ga, gb, gz, gn, gy


ga, gb, gz, gn, gy = options(tf.constant(3.0), tf.constant(7.0))
assert float(ga) == 1.0 and gb is None and gn == [None]
assert float(gz[0]) == 0.0 and len(gy) == 1 and float(gy[0]) == 2.0 * 7.0 + 3.0 * 8.0

try:
    tf.gradients(tf.constant(1.0), tf.constant(2.0))
    raise AssertionError("tf.gradients must fail eagerly")
except RuntimeError as exc:
    assert "eager execution is enabled" in str(exc)
print("tf.gradients ok")
