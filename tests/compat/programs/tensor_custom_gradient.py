# tf.custom_gradient: numerically stable gradients, gradient clipping in the backward pass.
import numpy as np
import tensorflow as tf


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


x = tf.constant(50.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = log1pexp(x)
assert float(tape.gradient(y, x)) == 1.0


@tf.custom_gradient
def clip_gradient(x):
    def grad(upstream):
        return tf.clip_by_norm(upstream, 1.0)

    return tf.identity(x), grad


v = tf.Variable([3.0, 4.0])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(clip_gradient(v) * tf.constant([30.0, 40.0]))
np.testing.assert_allclose(tape.gradient(loss, v).numpy(), [0.6, 0.8], rtol=1e-6)


@tf.custom_gradient
def cube(x):
    return x**3, lambda dy: dy * 3 * x**2


x = tf.constant(2.0)
with tf.GradientTape() as outer:
    outer.watch(x)
    with tf.GradientTape() as inner:
        inner.watch(x)
        y = cube(x)
    g = inner.gradient(y, x)
assert float(g) == 12.0 and float(outer.gradient(g, x)) == 12.0
print("ok")
