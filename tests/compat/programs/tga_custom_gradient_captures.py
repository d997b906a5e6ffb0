"""Advanced autodiff guide, custom gradients: several inputs with a None gradient, several
outputs, variables read inside (the ``variables`` keyword), second derivatives through a
custom gradient, and which tensors a custom gradient covers when its input is not watched."""

import numpy as np
import tensorflow as tf


# Several inputs: one gradient per input, None where an input should get none.
@tf.custom_gradient
def scaled_product(a, b):
    def grad(upstream):
        return upstream * b * 2.0, None

    return a * b, grad


a = tf.constant(3.0)
b = tf.constant(4.0)
with tf.GradientTape() as tape:
    tape.watch([a, b])
    out = scaled_product(a, b)
ga, gb = tape.gradient(out, [a, b])
assert float(out) == 12.0 and float(ga) == 8.0 and gb is None


# Several outputs: grad_fn takes one upstream gradient per output.
@tf.custom_gradient
def split_sum(x):
    def grad(d_first, d_second):
        return d_first + 10.0 * d_second

    return (x * 2.0, x * 3.0), grad


x = tf.constant([1.0, 2.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    first, second = split_sum(x)
    total = tf.reduce_sum(first) + tf.reduce_sum(second)
assert tape.gradient(total, x).numpy().tolist() == [11.0, 11.0]

# Variables read inside: grad_fn receives them and returns their gradients separately.
weight = tf.Variable(2.0)


@tf.custom_gradient
def weighted(x):
    def grad(upstream, variables):
        assert len(variables) == 1
        return upstream * weight, [upstream * x * 0.5]  # a deliberately scaled variable grad

    return x * weight, grad


x = tf.constant(5.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = weighted(x)
gx, gw = tape.gradient(y, [x, weight])
assert float(gx) == 2.0 and float(gw) == 2.5


# Second derivatives: grad_fn is made of differentiable ops.
@tf.custom_gradient
def cube(x):
    def grad(upstream):
        return upstream * 3.0 * x**2

    return x**3, grad


x = tf.constant(2.0)
with tf.GradientTape() as outer:
    outer.watch(x)
    with tf.GradientTape() as inner:
        inner.watch(x)
        y = cube(x)
    dy = inner.gradient(y, x)
d2y = outer.gradient(dy, x)
assert float(dy) == 12.0 and float(d2y) == 12.0

# The custom gradient covers the function's inputs. When no input is watched, the op is
# not recorded at all and the tensors it captured keep their ordinary gradients.
scale = tf.constant(3.0)


@tf.custom_gradient
def times_scale(x):
    return x * scale, lambda upstream: upstream * 100.0


x = tf.constant(2.0)
with tf.GradientTape() as tape:
    tape.watch(scale)
    y = times_scale(x)
assert float(tape.gradient(y, scale)) == 2.0
with tf.GradientTape() as tape:
    tape.watch([x, scale])
    y = times_scale(x)
gx, gs = tape.gradient(y, [x, scale])
assert float(gx) == 100.0 and gs is None


# A custom gradient inside grad_fn: the outer tape still sees the captured x.
@tf.custom_gradient
def my_sin(x):
    def grad(upstream):
        @tf.custom_gradient
        def times_cos(u):
            return u * tf.cos(x), lambda uu: uu * tf.cos(x)

        return times_cos(upstream)

    return tf.sin(x), grad


x = tf.constant(0.7)
with tf.GradientTape() as outer:
    outer.watch(x)
    with tf.GradientTape() as inner:
        inner.watch(x)
        y = my_sin(x)
    first = inner.gradient(y, x)
second = outer.gradient(first, x)
np.testing.assert_allclose(float(first), np.cos(0.7), rtol=1e-6)
np.testing.assert_allclose(float(second), -np.sin(0.7), rtol=1e-6)

# A wrong number of gradients is an error.
with tf.GradientTape() as tape:
    tape.watch([a, b])
    bad = tf.custom_gradient(lambda p, q: (p * q, lambda up: up))(a, b)
try:
    tape.gradient(bad, [a, b])
    raise AssertionError("expected an error for a missing gradient")
except ValueError:
    pass
print("tga_custom_gradient_captures OK")
