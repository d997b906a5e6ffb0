"""AutoGraph reference: loops over tf.range, datasets and tensors, break / continue,
while with a tensor condition and several loop variables, tf.TensorArray, nested functions
and lambdas, return in a TensorFlow loop, Python lists in loops (TensorFlow 2.21)."""

import numpy as np
import tensorflow as tf


@tf.function
def odd_sum(n):
    s = tf.constant(0)
    for i in tf.range(n):
        if i % 2 == 0:
            continue
        if i > 7 and n > 0:
            break
        s += i
    return s


assert int(odd_sum(tf.constant(20))) == 1 + 3 + 5 + 7
assert int(odd_sum(tf.constant(4))) == 1 + 3


@tf.function
def count(x):
    i = tf.constant(0)
    total = tf.constant(0.0)
    while i < x and not total >= 100.0:
        total += tf.cast(i, tf.float32) * 2.0
        i += 1
    return i, total


i, total = count(tf.constant(50))
assert int(i) == 11 and float(total) == 110.0
i, total = count(tf.constant(3))
assert int(i) == 3 and float(total) == 6.0


@tf.function
def dataset_sum(ds):
    s = tf.constant(0, tf.int64)
    for x in ds:
        s += x
    return s


assert int(dataset_sum(tf.data.Dataset.range(5))) == 10


@tf.function
def row_sums(t):
    s = tf.constant(0.0)
    for row in t:
        s += tf.reduce_sum(row)
    return s


assert float(row_sums(tf.ones([3, 2]))) == 6.0


@tf.function
def until_large(t):
    s = tf.constant(0.0)
    for row in t:
        if tf.reduce_sum(row) > 5:
            break
        s += tf.reduce_sum(row)
    return s


assert float(until_large(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))) == 3.0
assert float(until_large(tf.constant([[9.0, 0.0], [1.0, 1.0], [1.0, 1.0]]))) == 0.0


@tf.function
def squares(n):
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in tf.range(n):
        ta = ta.write(i, tf.cast(i, tf.float32) ** 2)
    return ta.stack()


np.testing.assert_allclose(squares(tf.constant(4)).numpy(), [0.0, 1.0, 4.0, 9.0])


@tf.function
def nested(x):
    def inner(y):
        if y > 0:
            return y * 2
        return -y

    plus_one = lambda z: z + 1  # noqa: E731
    return plus_one(inner(x))


assert int(nested(tf.constant(3))) == 7 and int(nested(tf.constant(-3))) == 4


@tf.function
def python_list(n):
    out = []
    for i in range(3):  # a Python loop: unrolled, the list holds each step's tensor
        out.append(i * n)
    return tf.stack(out)


assert python_list(tf.constant(2)).numpy().tolist() == [0, 2, 4]


@tf.function
def early(x):
    for i in tf.range(10):
        if i == x:
            return i
    return tf.constant(-1)


try:
    early(tf.constant(3))
    raise AssertionError("return inside a tf.range loop must fail")
except NotImplementedError as exc:
    assert "a return statement cannot be placed inside this TensorFlow loop" in str(exc)


@tf.function
def tensor_list(n):
    out = []
    for i in tf.range(n):  # a TensorFlow loop: use tf.TensorArray instead
        out.append(i)
    return out


try:
    tensor_list(tf.constant(3))
    raise AssertionError("a list of loop tensors must fail")
except ValueError as exc:
    assert type(exc).__name__ == "InaccessibleTensorError", type(exc)


def sq(x):
    if x > 0:
        x = x * x
    return x


code = tf.autograph.to_code(sq)
assert isinstance(code, str) and "def tf__sq(" in code and "ag__" in code
assert int(tf.autograph.to_graph(sq)(tf.constant(3))) == 9
tf.autograph.set_verbosity(0)


@tf.autograph.experimental.do_not_convert
def plain(x):
    return x + 1


assert int(tf.function(lambda x: plain(x))(tf.constant(1))) == 2


@tf.function(
    experimental_autograph_options=tf.autograph.experimental.Feature.EQUALITY_OPERATORS,
    experimental_implements="add_one",
    experimental_attributes={"api_implements": "add_one"},
    experimental_compile=True,
)
def add_one(x):
    return x + 1


assert float(add_one(tf.constant(1.0))) == 2.0
try:
    tf.function(lambda x: x, experimental_attributes={"not_an_attribute": 1})
    raise AssertionError("an unknown attribute must fail")
except ValueError as exc:
    assert "is not supported by tf.function as an attribute" in str(exc)
print("autograph loops ok")
