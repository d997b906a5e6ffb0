# The "better performance with the tf.data API" guide: a Dataset subclass whose __new__
# returns from_generator(args=...), prefetch, interleave (sequential and parallel),
# parallel map, cache, vectorized map after batch, Options, and the experimental forms.
import time

import numpy as np
import tensorflow as tf


class ArtificialDataset(tf.data.Dataset):
    def _generator(num_samples):
        time.sleep(0.001)
        for sample_idx in range(num_samples):
            time.sleep(0.001)
            yield (sample_idx,)

    def __new__(cls, num_samples=3):
        return tf.data.Dataset.from_generator(
            cls._generator,
            output_signature=tf.TensorSpec(shape=(1,), dtype=tf.int64),
            args=(num_samples,),
        )


def run(dataset, num_epochs=2):
    seen = []
    for _ in range(num_epochs):
        for sample in dataset:
            seen.append(int(sample[0]))
    return seen


assert run(ArtificialDataset()) == [0, 1, 2, 0, 1, 2]
assert run(ArtificialDataset().prefetch(tf.data.AUTOTUNE)) == [0, 1, 2, 0, 1, 2]
# interleave with the default cycle length takes one element from each input in turn
assert run(tf.data.Dataset.range(2).interleave(lambda _: ArtificialDataset()), 1) == [
    0,
    0,
    1,
    1,
    2,
    2,
]
parallel = tf.data.Dataset.range(2).interleave(
    lambda _: ArtificialDataset(), num_parallel_calls=tf.data.AUTOTUNE
)
assert sorted(run(parallel, 1)) == [0, 0, 1, 1, 2, 2]


def mapped_function(s):
    tf.py_function(lambda: time.sleep(0.001), [], ())
    return s


assert run(ArtificialDataset().map(mapped_function)) == [0, 1, 2, 0, 1, 2]
assert run(ArtificialDataset().map(mapped_function, num_parallel_calls=tf.data.AUTOTUNE)) == [
    0,
    1,
    2,
    0,
    1,
    2,
]
calls = []


def counted(s):
    tf.py_function(lambda: calls.append(1), [], ())
    return s


cached = ArtificialDataset().map(counted).cache()
assert run(cached, 5) == [0, 1, 2] * 5
assert len(calls) == 3  # the map ran on the first pass only

fast = tf.data.Dataset.range(1000)
total = 0
for batch in fast.batch(256).map(lambda x: x + 1):
    total += int(tf.reduce_sum(batch))
assert total == sum(range(1, 1001))

options = tf.data.Options()
options.deterministic = False
options.experimental_optimization.map_parallelization = True
assert fast.with_options(options).options().deterministic is False
unordered = tf.data.Dataset.range(10).map(
    lambda x: x * 2, num_parallel_calls=tf.data.AUTOTUNE, deterministic=False
)
assert sorted(int(v) for v in unordered.as_numpy_iterator()) == list(range(0, 20, 2))
windows = tf.data.Dataset.range(8).window(3, shift=2, drop_remainder=True)
assert [w.tolist() for w in windows.flat_map(lambda w: w.batch(3)).as_numpy_iterator()] == [
    [0, 1, 2],
    [2, 3, 4],
    [4, 5, 6],
]
asserted = tf.data.Dataset.range(10).apply(tf.data.experimental.assert_cardinality(10))
assert int(asserted.cardinality()) == 10
endless = tf.data.Dataset.range(5).repeat()
assert int(tf.data.experimental.cardinality(endless)) == int(tf.data.INFINITE_CARDINALITY)
doubled = tf.data.Dataset.from_tensor_slices([1, 2, 3]).map(
    lambda x: tf.numpy_function(lambda v: v * 2, [x], tf.int32)
)
assert [int(v) for v in doubled.as_numpy_iterator()] == [2, 4, 6]
assert doubled.element_spec.dtype == tf.int32
chosen = tf.data.Dataset.choose_from_datasets(
    [tf.data.Dataset.from_tensors(1).repeat(), tf.data.Dataset.from_tensors(2).repeat()],
    tf.data.Dataset.range(2).repeat(3),
)
assert [int(v) for v in chosen.as_numpy_iterator()] == [1, 2, 1, 2, 1, 2]
mixed = tf.data.Dataset.sample_from_datasets(
    [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 13)], weights=[0.5, 0.5], seed=1
)
assert sorted(int(v) for v in mixed.as_numpy_iterator()) == [0, 1, 2, 10, 11, 12]
running = tf.data.Dataset.range(5).scan(
    tf.constant(0, tf.int64), lambda state, x: (state + x, state + x)
)
assert [int(v) for v in running.as_numpy_iterator()] == [0, 1, 3, 6, 10]
assert [int(v) for v in tf.data.Dataset.counter(start=2, step=3).take(3)] == [2, 5, 8]
assert np.array_equal(next(iter(ArtificialDataset().batch(3))).numpy(), [[0], [1], [2]])
print("ok")
