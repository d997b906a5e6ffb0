"""Better performance with tf.function: what makes a function trace again. Python numbers
trace by value (equal values share a trace), NumPy values and tensors by dtype and shape,
input_signature with None sizes traces once and converts NumPy arrays to its dtype,
reduce_retracing generalizes shapes, Variables are created on the first trace only, and
Python side effects run only while tracing."""

import numpy as np
import tensorflow as tf

traced = []


@tf.function
def double(x):
    traced.append(type(x).__name__)
    return x * 2


# Python numbers: one trace per distinct value; 1, 1.0 and True are equal values.
assert int(double(1)) == 2
double(1.0)
double(True)
assert double.experimental_get_tracing_count() == 1
double(2)
assert double.experimental_get_tracing_count() == 2
# NumPy scalars and arrays are tensors: traced by dtype and shape.
r1 = double(np.int64(3))
r2 = double(np.int64(4))
assert r1.dtype == tf.int64 and int(r2) == 8
assert double.experimental_get_tracing_count() == 3
double(np.float32(1.5))
assert double.experimental_get_tracing_count() == 4
# Tensors: a new dtype or shape traces again, a new value does not.
double(tf.constant([1.0, 2.0]))
double(tf.constant([3.0, 4.0]))
assert double.experimental_get_tracing_count() == 5
double(tf.constant([1.0, 2.0, 3.0]))
double(tf.constant([1, 2]))
assert double.experimental_get_tracing_count() == 7
assert len(traced) == 7  # the Python side effect ran once per trace


# input_signature with None: one trace for every length; NumPy arrays take its dtype.
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def total(v):
    return tf.reduce_sum(v)


assert float(total(tf.constant([1.0, 2.0]))) == 3.0
assert float(total(np.array([1.5, 2.5, 3.0]))) == 7.0  # float64 array, float32 signature
assert total(np.array([1, 2])).dtype == tf.float32
assert total.experimental_get_tracing_count() == 1
for wrong in (tf.constant([1, 2]), tf.constant([[1.0]])):
    try:
        total(wrong)
        raise AssertionError("expected a signature mismatch")
    except (TypeError, ValueError):
        pass


# reduce_retracing: the second shape generalizes, later shapes reuse that trace.
@tf.function(reduce_retracing=True)
def length(v):
    return tf.shape(v)[0]


for n in (1, 2, 3, 4, 5):
    assert int(length(tf.zeros([n]))) == n
assert length.experimental_get_tracing_count() == 2


# Variables: created on the first call only; creating one on every call is an error.
class Counter(tf.Module):
    def __init__(self):
        self.count = None

    @tf.function
    def __call__(self, step):
        if self.count is None:
            self.count = tf.Variable(0)
        self.count.assign_add(step)
        return self.count.read_value()


counter = Counter()
counter(tf.constant(2))
assert int(counter(tf.constant(3))) == 5


@tf.function
def leaky(x):
    v = tf.Variable(1.0)
    return v * x


try:
    leaky(tf.constant(1.0))  # the body would make a new Variable on every call
    raise AssertionError("expected the variable-creation error")
except ValueError as exc:
    assert "tf.Variable" in str(exc)

# A Python value read inside is frozen into the trace; a Variable is read each call.
scale = 2.0
weight = tf.Variable(2.0)


@tf.function
def scaled(x):
    return x * scale * weight


assert float(scaled(tf.constant(1.0))) == 4.0
scale = 10.0
weight.assign(3.0)
assert float(scaled(tf.constant(1.0))) == 6.0  # the old scale, the new weight
print("tga_function_retracing_rules OK")
