# tf.py_function and tf.numpy_function: Python code inside Dataset.map and tf.function.
import numpy as np
import tensorflow as tf


def python_tokenize(sentence_id):
    # arbitrary Python on the eager value
    n = int(sentence_id.numpy())
    return np.array([n, n * n, n + 100], dtype=np.int64)


ds = tf.data.Dataset.range(4).map(lambda i: tf.py_function(python_tokenize, [i], Tout=tf.int64))
assert [list(x) for x in ds.as_numpy_iterator()] == [
    [0, 0, 100],
    [1, 1, 101],
    [2, 4, 102],
    [3, 9, 103],
]


# numpy_function gets NumPy arrays, several outputs
def stats(values):
    return values.mean().astype(np.float32), values.max().astype(np.float32)


pairs = tf.data.Dataset.from_tensor_slices(np.array([[1.0, 3.0], [2.0, 8.0]], np.float32)).map(
    lambda row: tf.numpy_function(stats, [row], Tout=[tf.float32, tf.float32])
)
assert [(float(a), float(b)) for a, b in pairs.as_numpy_iterator()] == [(2.0, 3.0), (5.0, 8.0)]

# inside tf.function the Python function runs on every call
calls = []


def record(x):
    calls.append(float(x.numpy()))
    return x * 2


@tf.function
def doubled_plus_one(x):
    return tf.py_function(record, [x], tf.float32) + 1.0


assert float(doubled_plus_one(tf.constant(1.0))) == 3.0
assert float(doubled_plus_one(tf.constant(4.0))) == 9.0
assert calls == [1.0, 4.0], calls

# gradients flow through py_function eagerly
v = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = tf.py_function(lambda a: a * a, [v], tf.float32)
assert float(tape.gradient(y, v)) == 6.0
print("py_function ok")
