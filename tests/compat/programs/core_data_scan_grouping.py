# tf.data: scan (running state), group_by_window, bucket_by_sequence_length, Options.
import numpy as np
import tensorflow as tf

# running sum and running mean with Dataset.scan
running = tf.data.Dataset.range(1, 6).scan(
    initial_state=tf.constant(0, tf.int64), scan_func=lambda total, x: (total + x, total + x)
)
assert list(running.as_numpy_iterator()) == [1, 3, 6, 10, 15]
means = tf.data.Dataset.from_tensor_slices([2.0, 4.0, 6.0]).scan(
    (tf.constant(0.0), tf.constant(0.0)),
    lambda state, x: ((state[0] + x, state[1] + 1.0), (state[0] + x) / (state[1] + 1.0)),
)
np.testing.assert_allclose(list(means.as_numpy_iterator()), [2.0, 3.0, 4.0])

# group_by_window: even and odd numbers batched separately
grouped = tf.data.Dataset.range(10).group_by_window(
    key_func=lambda x: x % 2, reduce_func=lambda key, window: window.batch(3), window_size=3
)
assert [b.tolist() for b in grouped.as_numpy_iterator()] == [
    [0, 2, 4],
    [1, 3, 5],
    [6, 8],
    [7, 9],
]

# bucket_by_sequence_length: sentences of similar length padded together
lengths = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]


def sentences():
    for n in lengths:
        yield np.arange(1, n + 1, dtype=np.int32)


ds = tf.data.Dataset.from_generator(sentences, output_signature=tf.TensorSpec([None], tf.int32))
buckets = ds.bucket_by_sequence_length(
    element_length_func=lambda s: tf.shape(s)[0],
    bucket_boundaries=[3, 6],
    bucket_batch_sizes=[2, 2, 2],
)
batches = [b.numpy() for b in buckets]
assert sum(b.shape[0] for b in batches) == len(lengths)
for b in batches:
    real = (b > 0).sum(axis=1)
    bucket = np.searchsorted([3, 6], real, side="right")
    assert len(set(bucket.tolist())) == 1  # one bucket per batch
    assert b.shape[1] == real.max()  # padded to the longest in the batch
assert [b.shape for b in batches][:2] == [(2, 4), (2, 1)]

# options are kept along the pipeline
options = tf.data.Options()
options.deterministic = True
options.experimental_optimization.map_parallelization = True
piped = tf.data.Dataset.range(3).with_options(options).map(lambda x: x + 1)
assert piped.options().deterministic is True
assert piped.options().experimental_optimization.map_parallelization is True
assert list(piped.as_numpy_iterator()) == [1, 2, 3]

# Dataset.random with a seed repeats
first = list(tf.data.Dataset.random(seed=7).take(4).as_numpy_iterator())
assert first == list(tf.data.Dataset.random(seed=7).take(4).as_numpy_iterator())
assert tf.data.Dataset.random(seed=7).element_spec == tf.TensorSpec([], tf.int64)
print("scan and grouping ok")
