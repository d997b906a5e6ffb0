# Stateful and source transformations of tf.data: scan (running state, tuple state),
# unique, Dataset.counter, Dataset.random with seeds, get_single_element, reduce, and
# take_while, as the tf.data API documents them.
import numpy as np
import tensorflow as tf

# scan: a running sum and a running product as a tuple state.
running = tf.data.Dataset.range(1, 6).scan(
    (tf.constant(0, tf.int64), tf.constant(1, tf.int64)),
    lambda state, x: ((state[0] + x, state[1] * x), (state[0] + x, state[1] * x)),
)
assert [(int(s), int(p)) for s, p in running] == [(1, 1), (3, 2), (6, 6), (10, 24), (15, 120)]
# the state's dtype must stay the same.
try:
    list(tf.data.Dataset.range(3).scan(tf.constant(0, tf.int32), lambda s, x: (x, x)))
    raise AssertionError("expected TypeError")
except TypeError:
    pass

# A cumulative moving average with scan, as a pipeline stage.
values = tf.data.Dataset.from_tensor_slices([2.0, 4.0, 6.0, 8.0])
averages = values.enumerate().scan(
    tf.constant(0.0), lambda mean, e: (mean + (e[1] - mean) / tf.cast(e[0] + 1, tf.float32),) * 2
)
np.testing.assert_allclose(list(averages.as_numpy_iterator()), [2.0, 3.0, 4.0, 5.0])

# unique keeps first appearances in order; only single int/string components.
assert list(tf.data.Dataset.from_tensor_slices([3, 1, 3, 2, 1]).unique().as_numpy_iterator()) == [
    3,
    1,
    2,
]
words = tf.data.Dataset.from_tensor_slices(["b", "a", "b", "c"]).unique()
assert list(words.as_numpy_iterator()) == [b"b", b"a", b"c"]
try:
    tf.data.Dataset.from_tensor_slices([1.0, 2.0]).unique()
    raise AssertionError("expected TypeError")
except TypeError:
    pass

# counter: an infinite count from start by step, of the dtype asked for.
counts = tf.data.Dataset.counter(start=10, step=-3, dtype=tf.int32)
assert counts.element_spec == tf.TensorSpec((), tf.int32)
assert int(counts.cardinality()) == tf.data.INFINITE_CARDINALITY
assert list(counts.take(4).as_numpy_iterator()) == [10, 7, 4, 1]
labelled = tf.data.Dataset.zip(
    (tf.data.Dataset.counter(), tf.data.Dataset.from_tensor_slices(["x", "y"]))
)
assert [(int(i), s.numpy()) for i, s in labelled] == [(0, b"x"), (1, b"y")]

# random: int64 values; the same seed gives the same values on each pass.
rand = tf.data.Dataset.random(seed=7).take(5)
assert rand.element_spec == tf.TensorSpec((), tf.int64)
first, second = list(rand.as_numpy_iterator()), list(rand.as_numpy_iterator())
assert first == second and len(set(first)) == 5
coin = tf.data.Dataset.random(seed=1).map(lambda r: r % 2).take(1000)
heads = int(coin.reduce(np.int64(0), lambda a, b: a + b))
assert 400 < heads < 600, heads

# get_single_element, reduce and take_while.
pair = tf.data.Dataset.from_tensors((1, "one")).get_single_element()
assert int(pair[0]) == 1 and pair[1].numpy() == b"one"
try:
    tf.data.Dataset.range(2).get_single_element()
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass
total = tf.data.Dataset.range(1, 5).reduce(tf.constant(0, tf.int64), lambda a, x: a + x * x)
assert int(total) == 30
assert list(tf.data.Dataset.range(10).take_while(lambda x: x * x < 20).as_numpy_iterator()) == [
    0,
    1,
    2,
    3,
    4,
]
print("random heads:", heads)
