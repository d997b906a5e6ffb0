# Autograph: Python `if` and `while` on tensor values inside tf.function run as graph
# control flow, chosen on every call; Python conditions unroll while tracing.
import numpy as np
import tensorflow as tf


@tf.function
def collatz_steps(n):
    steps = tf.constant(0)
    while n > 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


assert int(collatz_steps(tf.constant(6))) == 8
assert int(collatz_steps(tf.constant(27))) == 111
assert collatz_steps.experimental_get_tracing_count() == 1


@tf.function
def leaky(x, alpha):
    if tf.reduce_mean(x) > 0:
        y = x
    else:
        y = alpha * x
    for _ in range(2):  # a Python loop: unrolled
        y = y + 1.0
    return y


np.testing.assert_allclose(leaky(tf.constant([1.0, 3.0]), 0.1).numpy(), [3.0, 5.0])
np.testing.assert_allclose(leaky(tf.constant([-1.0, -3.0]), 0.1).numpy(), [1.9, 1.7], rtol=1e-6)
assert leaky.experimental_get_tracing_count() == 1


@tf.function
def scale(x, double):
    if double:  # a Python bool: decided while tracing, one trace per value
        x = x * 2.0
    return x


assert float(scale(tf.constant(1.5), True)) == 3.0
assert float(scale(tf.constant(1.5), False)) == 1.5
assert scale.experimental_get_tracing_count() == 2
print("ok")
