# tf.function basics: tracing once per signature, Python side effects at trace time only,
# retracing on new shapes, dtypes and Python values, and concrete functions.
import numpy as np
import tensorflow as tf

trace_log = []


@tf.function
def add_scaled(a, b, scale):
    trace_log.append((tuple(a.shape), scale))  # Python side effect: runs while tracing
    return (a + b) * scale


x = tf.constant([1.0, 2.0])
y = tf.constant([3.0, 4.0])
np.testing.assert_allclose(add_scaled(x, y, 2).numpy(), [8.0, 12.0])
np.testing.assert_allclose(add_scaled(y, x, 2).numpy(), [8.0, 12.0])
assert add_scaled.experimental_get_tracing_count() == 1
assert len(trace_log) == 1

add_scaled(x, y, 3)  # a new Python value retraces
add_scaled(tf.constant([1.0, 2.0, 3.0]), 1.0, 2)  # a new shape retraces
add_scaled(tf.constant([1, 2]), tf.constant([3, 4]), 2)  # a new dtype retraces
assert add_scaled.experimental_get_tracing_count() == 4
assert len(trace_log) == 4
add_scaled(x, y, 3)
assert add_scaled.experimental_get_tracing_count() == 4


# A function used as a plain call rather than a decorator.
def square_sum(v):
    return tf.reduce_sum(v * v)


compiled = tf.function(square_sum)
assert float(compiled(tf.constant([1.0, 2.0, 2.0]))) == 9.0

# Concrete functions serve calls of their signature.
concrete = compiled.get_concrete_function(tf.TensorSpec(shape=[3], dtype=tf.float32))
assert float(concrete(tf.constant([2.0, 0.0, 1.0]))) == 5.0
assert compiled.experimental_get_tracing_count() == 1

# Variables live outside the function and are updated on every call.
counter = tf.Variable(0)


@tf.function
def increment(by):
    counter.assign_add(by)
    return counter.read_value()


for _ in range(3):
    increment(tf.constant(2))
assert int(counter.numpy()) == 6
assert increment.experimental_get_tracing_count() == 1

# Eager debugging mode runs the Python body on every call.
tf.config.run_functions_eagerly(True)
calls = []


@tf.function
def noisy(v):
    calls.append(1)
    return v + 1


noisy(tf.constant(1.0))
noisy(tf.constant(1.0))
tf.config.run_functions_eagerly(False)
assert len(calls) == 2
print("ok")
