# "Better performance with the tf.data API" as a user applies it: parallel interleave of
# file readers, parallel map, cache (in memory and to a file), vectorized map after batch,
# prefetch, and tf.data.Options; each optimized pipeline must give the same elements as
# the plain one, and the cache must stop re-running the expensive function.
import numpy as np
import tensorflow as tf

# Four small "shards" as text files of numbers.
for shard in range(4):
    with open(f"shard{shard}.txt", "w") as f:
        f.write("\n".join(str(shard * 100 + i) for i in range(5)))

files = tf.data.Dataset.list_files("shard*.txt", shuffle=False)
plain = files.flat_map(tf.data.TextLineDataset).map(lambda s: tf.strings.to_number(s, tf.int64))
fast = files.interleave(
    tf.data.TextLineDataset,
    cycle_length=4,
    num_parallel_calls=tf.data.AUTOTUNE,
    deterministic=True,
).map(lambda s: tf.strings.to_number(s, tf.int64), num_parallel_calls=tf.data.AUTOTUNE)
assert sorted(plain.as_numpy_iterator()) == sorted(fast.as_numpy_iterator())
# interleave with cycle_length=4 takes one line of each file in turn
assert list(fast.take(4).as_numpy_iterator()) == [0, 100, 200, 300]

# Vectorizing: map after batch does one call per batch instead of per element.
calls = {"scalar": 0, "batch": 0}


def count(kind):
    def f(x):
        calls[kind] += 1
        return x

    return lambda x: tf.py_function(f, [x], tf.int64)


scalar = plain.map(count("scalar")).map(lambda x: x * 2).batch(5)
vectorized = plain.batch(5).map(count("batch")).map(lambda x: x * 2)
a = [b.numpy().tolist() for b in scalar]
b = [b.numpy().tolist() for b in vectorized]
assert a == b and len(a) == 4
assert calls["batch"] < calls["scalar"], calls

# cache(): the expensive map runs once; later epochs read the cache.
work = {"n": 0}


def expensive(x):
    work["n"] += 1
    return x * x


cached = plain.map(lambda x: tf.py_function(expensive, [x], tf.int64)).cache()
first = list(cached.as_numpy_iterator())
runs_after_first = work["n"]
second = list(cached.as_numpy_iterator())
assert first == second and work["n"] == runs_after_first, work

# cache(filename) writes the elements to files and reads them back in later epochs.
on_disk = plain.map(lambda x: x + 1).cache("pipeline_cache")
assert list(on_disk.as_numpy_iterator()) == list(on_disk.as_numpy_iterator())
assert tf.io.gfile.glob("pipeline_cache*")

# The full pipeline with shuffling, batching and prefetching, under Options.
options = tf.data.Options()
options.deterministic = True
options.experimental_optimization.map_parallelization = True
options.threading.private_threadpool_size = 2
pipeline = (
    fast.cache()
    .shuffle(20, seed=5, reshuffle_each_iteration=True)
    .batch(4, drop_remainder=True)
    .map(lambda x: tf.cast(x, tf.float32) / 100.0, num_parallel_calls=tf.data.AUTOTUNE)
    .prefetch(tf.data.AUTOTUNE)
    .with_options(options)
)
assert pipeline.options().threading.private_threadpool_size == 2
assert pipeline.element_spec == tf.TensorSpec([4], tf.float32)
epochs = [np.concatenate(list(pipeline.as_numpy_iterator())) for _ in range(2)]
assert all(len(e) == 20 for e in epochs)
np.testing.assert_allclose(np.sort(epochs[0]), np.sort(epochs[1]))
assert not np.array_equal(epochs[0], epochs[1])  # reshuffled each epoch
print("epochs of", len(epochs[0]), "elements; calls", calls)
