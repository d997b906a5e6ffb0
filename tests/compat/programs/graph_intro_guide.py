"""The "Introduction to graphs and tf.function" guide: a Python function and its graph
agree, autograph turns `if` with returns into a conditional, Python side effects run once
per trace, and print() of an argument while tracing shows a symbolic tensor."""

import tensorflow as tf


def a_regular_function(x, y, b):
    x = tf.matmul(x, y)
    x = x + b
    return x


a_function_that_uses_a_graph = tf.function(a_regular_function)
x1 = tf.constant([[1.0, 2.0]])
y1 = tf.constant([[2.0], [3.0]])
b1 = tf.constant(4.0)
assert a_regular_function(x1, y1, b1).numpy() == a_function_that_uses_a_graph(x1, y1, b1).numpy()


def simple_relu(x):
    if tf.greater(x, 0):
        return x
    else:
        return 0


tf_simple_relu = tf.function(simple_relu)
assert tf_simple_relu(tf.constant(1)).numpy() == 1
assert tf_simple_relu(tf.constant(-1)).numpy() == 0
assert tf_simple_relu.experimental_get_tracing_count() == 1

traces = []


@tf.function
def get_MSE(y_true, y_pred):
    traces.append("Calculating MSE!")  # a Python side effect: once per trace
    sq_diff = tf.pow(y_true - y_pred, 2)
    return tf.reduce_mean(sq_diff)


y_true = tf.constant([1, 2, 3])
y_pred = tf.constant([2, 2, 5])
for _ in range(3):
    error = get_MSE(y_true, y_pred)
assert error.numpy() == 1 and len(traces) == 1


@tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
def next_collatz(x):
    print("Tracing with", x)
    return tf.where(x % 2 == 0, x // 2, 3 * x + 1)


assert next_collatz(tf.constant([1, 2])).numpy().tolist() == [4, 1]


@tf.function
def my_relu(x):
    return tf.maximum(0.0, x)


assert my_relu(tf.constant(5.5)).numpy() == 5.5
assert my_relu([1, -1]).numpy().tolist() == [1.0, 0.0]
assert "Input Parameters" in my_relu.pretty_printed_concrete_signatures()
print("intro to graphs ok")
