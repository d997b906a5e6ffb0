# The tf.function guide: a concrete function for TensorSpec([None]) called with several
# lengths, its graph's operations, `for i in tf.range(n)` over a tensor n (one trace for
# every n), and Python range loops that unroll.
import numpy as np
import tensorflow as tf


@tf.function
def square(x):
    return x**2


cf = square.get_concrete_function(tf.TensorSpec(shape=[None], dtype=tf.float32))
np.testing.assert_allclose(cf(tf.constant([1.0, 2.0])).numpy(), [1.0, 4.0])
np.testing.assert_allclose(cf(tf.constant([3.0, 1.0, 2.0])).numpy(), [9.0, 1.0, 4.0])
try:
    cf(tf.constant([1, 2]))
    raise AssertionError("an int32 tensor should not fit a float32 concrete function")
except (TypeError, ValueError, tf.errors.InvalidArgumentError):
    pass


@tf.function
def dense_relu(x, w):
    return tf.nn.relu(tf.matmul(x, w))


graph = dense_relu.get_concrete_function(tf.ones([2, 3]), tf.ones([3, 4])).graph
types = [op.type for op in graph.get_operations()]
assert "MatMul" in types and "Relu" in types and "Placeholder" in types, types


@tf.function
def sum_of_squares(n):
    total = tf.constant(0)
    for i in tf.range(n):
        total += i * i
    return total


assert [int(sum_of_squares(tf.constant(n))) for n in (0, 3, 5)] == [0, 5, 30]
assert sum_of_squares.experimental_get_tracing_count() == 1


@tf.function
def count_down(start):
    steps = tf.constant(0)
    for _ in tf.range(start, 0, -2):
        steps += 1
    return steps


assert int(count_down(tf.constant(9))) == 5

traces = []


@tf.function
def unrolled(x):
    traces.append(1)
    for i in range(3):
        x = x * 2.0 + i
    return x


assert float(unrolled(tf.constant(1.0))) == ((1 * 2 + 0) * 2 + 1) * 2 + 2
assert float(unrolled(tf.constant(2.0))) == ((2 * 2 + 0) * 2 + 1) * 2 + 2
assert len(traces) == 1
print("ok")
