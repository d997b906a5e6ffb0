"""zip, enumerate, concatenate, interleave, shard, unbatch and reduce on Datasets."""

import tensorflow as tf

a = tf.data.Dataset.range(5)
b = tf.data.Dataset.range(100, 103)
pairs = tf.data.Dataset.zip((a, b))
assert [(int(x), int(y)) for x, y in pairs] == [(0, 100), (1, 101), (2, 102)]
assert int(pairs.cardinality()) == 3

named = tf.data.Dataset.zip({"left": a, "right": b})
first = next(iter(named))
assert int(first["left"]) == 0 and int(first["right"]) == 100

for i, value in a.enumerate(start=10):
    assert int(i) == int(value) + 10

assert list(a.concatenate(b).as_numpy_iterator()) == [0, 1, 2, 3, 4, 100, 101, 102]
assert list(tf.data.Dataset.range(10).shard(num_shards=3, index=1).as_numpy_iterator()) == [1, 4, 7]

mixed = tf.data.Dataset.range(3).interleave(
    lambda v: tf.data.Dataset.from_tensors(v).repeat(2), cycle_length=2, block_length=1
)
assert list(mixed.as_numpy_iterator()) == [0, 1, 0, 1, 2, 2]

unbatched = tf.data.Dataset.range(7).batch(3).unbatch()
assert list(unbatched.as_numpy_iterator()) == list(range(7))

total = tf.data.Dataset.range(1, 5).reduce(tf.constant(0, tf.int64), lambda s, v: s + v)
assert int(total) == 10

try:
    a.concatenate(tf.data.Dataset.from_tensor_slices([1.0]))
except TypeError as error:
    assert "int64" in str(error) and "float32" in str(error)
else:
    raise AssertionError("concatenating int64 and float32 elements must fail")
