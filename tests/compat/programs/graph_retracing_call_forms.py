"""Retracing rules from "Better performance with tf.function": what makes a new trace and
what does not (argument forms, Python values, shapes and dtypes, reduce_retracing)."""

import tensorflow as tf

traces = []


@tf.function
def layer(x, training=True, scale=1.0):
    traces.append((tuple(x.shape), training, scale))
    y = x * scale
    return y if training else tf.stop_gradient(y)


x = tf.constant([1.0, 2.0, 3.0])
# The same call written four ways binds to the same arguments: one trace.
layer(x)
layer(x, True)
layer(x, training=True)
layer(training=True, x=x, scale=1.0)
assert layer.experimental_get_tracing_count() == 1, layer.experimental_get_tracing_count()
assert len(traces) == 1

# Python values are part of the signature: each new value traces again.
assert layer(x, False).numpy().tolist() == [1.0, 2.0, 3.0]
assert layer(x, scale=2.0).numpy().tolist() == [2.0, 4.0, 6.0]
assert layer(x, True, 2.0).numpy().tolist() == [2.0, 4.0, 6.0]  # same as the one above
assert layer.experimental_get_tracing_count() == 3

# Tensors: a new shape or dtype traces again, a new value does not.
layer(tf.constant([4.0, 5.0, 6.0]))
assert layer.experimental_get_tracing_count() == 3
layer(tf.constant([1.0, 2.0]))
layer(tf.constant([1.0, 2.0], dtype=tf.float64))
assert layer.experimental_get_tracing_count() == 5


# reduce_retracing: after a second shape, one trace with an unknown size serves the rest.
@tf.function(reduce_retracing=True)
def total(v):
    return tf.reduce_sum(v)


for n in range(1, 6):
    assert float(total(tf.ones([n]))) == n
assert total.experimental_get_tracing_count() == 2, total.experimental_get_tracing_count()


# input_signature: one trace for every fitting call, and a clear error otherwise.
@tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.int32)])
def next_collatz(v):
    return tf.where(v % 2 == 0, v // 2, 3 * v + 1)


assert next_collatz(tf.constant([1, 2])).numpy().tolist() == [4, 1]
assert next_collatz(tf.constant([3, 4, 5, 6])).numpy().tolist() == [10, 2, 16, 3]
assert next_collatz.experimental_get_tracing_count() == 1
try:
    next_collatz(tf.constant([[1, 2]]))
    raise AssertionError("a rank-2 tensor must not fit TensorSpec([None])")
except (TypeError, ValueError):
    pass

# Python side effects run only while tracing; tf.print runs on every call.
calls = []


@tf.function
def counted(v):
    calls.append(1)
    return v + 1


for i in range(3):
    counted(tf.constant(i))
assert len(calls) == 1 and counted.experimental_get_tracing_count() == 1


# A bound method traces per instance; a concrete function keeps one signature.
class Scaler(tf.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = tf.Variable(factor)

    @tf.function
    def __call__(self, v, offset=0.0):
        return v * self.factor + offset


double, triple = Scaler(2.0), Scaler(3.0)
assert double(tf.constant(1.0)).numpy() == 2.0
assert double(tf.constant(1.0), offset=0.0).numpy() == 2.0
assert triple(tf.constant(1.0)).numpy() == 3.0
concrete = layer.get_concrete_function(tf.TensorSpec([None], tf.float32))
assert concrete(tf.constant([1.0, 2.0, 3.0, 4.0])).shape == (4,)

print("graph_retracing_call_forms OK")
