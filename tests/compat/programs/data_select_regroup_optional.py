"""tf.data selection and regrouping: take_while, unique, ignore_errors, rebatch,
get_single_element, get_next_as_optional, and tf.data.experimental's functional forms."""

import numpy as np
import tensorflow as tf

ds = tf.data.Dataset.range(10).take_while(lambda x: x < 4)
assert list(ds.as_numpy_iterator()) == [0, 1, 2, 3]

words = tf.data.Dataset.from_tensor_slices(["to", "be", "or", "not", "to", "be"]).unique()
assert list(words.as_numpy_iterator()) == [b"to", b"be", b"or", b"not"]


def reciprocal(x):
    return tf.debugging.check_numerics(1.0 / x, "division by zero")


safe = tf.data.Dataset.from_tensor_slices([1.0, 0.0, 4.0]).map(reciprocal).ignore_errors()
np.testing.assert_allclose(list(safe.as_numpy_iterator()), [1.0, 0.25])

regrouped = tf.data.Dataset.range(10).batch(4).rebatch(3)
assert [b.tolist() for b in regrouped.as_numpy_iterator()] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]

total = tf.data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)
single = tf.data.Dataset.from_tensors(total).get_single_element()
assert int(single) == 10

iterator = iter(tf.data.Dataset.range(2))
values = []
while True:
    optional = iterator.get_next_as_optional()
    if not optional.has_value():
        break
    values.append(int(optional.get_value()))
assert values == [0, 1]

exp = tf.data.experimental
evens = tf.data.Dataset.range(8).apply(exp.take_while(lambda x: x < 6)).filter(lambda x: x % 2 == 0)
assert list(evens.as_numpy_iterator()) == [0, 2, 4]
batched = tf.data.Dataset.range(5).apply(exp.map_and_batch(lambda x: x * 10, 2))
assert [b.tolist() for b in batched.as_numpy_iterator()] == [[0, 10], [20, 30], [40]]
assert int(exp.cardinality(tf.data.Dataset.range(7))) == 7
assert int(exp.get_single_element(tf.data.Dataset.from_tensors(3))) == 3
print("ok")
