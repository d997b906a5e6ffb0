# Loops and control flow inside tf.function (tf.while_loop, tf.cond, tf.range with a
# Python bound) and tf.print running on every call.
import numpy as np
import tensorflow as tf


@tf.function
def fibonacci(n):
    a, b = tf.constant(0), tf.constant(1)
    i = tf.constant(0)
    _, a, b = tf.while_loop(lambda i, a, b: i < n, lambda i, a, b: (i + 1, b, a + b), [i, a, b])
    return a


assert int(fibonacci(tf.constant(10))) == 55
assert int(fibonacci(tf.constant(20))) == 6765
assert fibonacci.experimental_get_tracing_count() == 1


@tf.function
def clipped_relu_sum(x):
    total = tf.reduce_sum(x)
    return tf.cond(total > 10.0, lambda: tf.constant(10.0), lambda: tf.nn.relu(total))


assert float(clipped_relu_sum(tf.constant([5.0, 7.0]))) == 10.0
assert float(clipped_relu_sum(tf.constant([-5.0, 1.0]))) == 0.0
assert float(clipped_relu_sum(tf.constant([2.0, 1.0]))) == 3.0


@tf.function
def polynomial(x):
    result = tf.zeros_like(x)
    for power in tf.range(4):  # a Python-known bound
        result += x ** tf.cast(power, x.dtype)
    return result


np.testing.assert_allclose(polynomial(tf.constant([2.0])).numpy(), [15.0])


@tf.function
def running_mean(values):
    total = tf.constant(0.0)
    count = tf.constant(0.0)
    for v in values:  # iterating a tensor of known length unrolls
        total += v
        count += 1.0
    return total / count


assert float(running_mean(tf.constant([1.0, 2.0, 6.0]))) == 3.0

printed = []


@tf.function
def announce(step):
    printed.append("trace")
    tf.print("step", step, output_stream="file://printed.txt")
    return step + 1


for s in range(3):
    announce(tf.constant(s))
with open("printed.txt") as handle:
    lines = handle.read().splitlines()
assert lines == ["step 0", "step 1", "step 2"], lines
assert printed == ["trace"]
print("ok")
