# Windows and grouping (the tf.data guide's "Time series windowing" and "Bucketing"):
# window with shift/stride over dict and tuple elements, flat_map to batches,
# group_by_window with window_size_func, group_by_reducer, and bucket_by_sequence_length
# with pad_to_bucket_boundary and its error for an element past the last boundary.
import numpy as np
import tensorflow as tf

series = tf.data.Dataset.range(10)
windows = series.window(4, shift=3, stride=2, drop_remainder=True)
assert isinstance(windows.element_spec, tf.data.DatasetSpec)
rows = [w.numpy().tolist() for w in windows.flat_map(lambda w: w.batch(4))]
assert rows == [[0, 2, 4, 6], [3, 5, 7, 9]], rows

# Windows of structured elements are structures of datasets.
features = tf.data.Dataset.from_tensor_slices({"t": tf.range(6), "v": tf.range(6) * 10})
pairs = features.window(3, shift=3).flat_map(
    lambda w: tf.data.Dataset.zip((w["t"].batch(3), w["v"].batch(3)))
)
assert [(t.numpy().tolist(), v.numpy().tolist()) for t, v in pairs] == [
    ([0, 1, 2], [0, 10, 20]),
    ([3, 4, 5], [30, 40, 50]),
]
# Each window reduced to one value (a sum per window).
sums = series.window(5).map(lambda w: w.reduce(np.int64(0), lambda a, x: a + x))
assert list(sums.as_numpy_iterator()) == [10, 35]

# group_by_window: keys choose groups, window_size_func the size per key.
grouped = series.group_by_window(
    key_func=lambda x: x % 3,
    reduce_func=lambda key, w: w.batch(4),
    window_size_func=lambda key: key + 2,
)
by_key = {}
for b in grouped:
    values = b.numpy().tolist()
    by_key.setdefault(values[0] % 3, []).append(values)
assert by_key == {0: [[0, 3], [6, 9]], 1: [[1, 4, 7]], 2: [[2, 5, 8]]}, by_key

# group_by_reducer: one reduced value per key.
reducer = tf.data.experimental.Reducer(
    init_func=lambda key: (tf.constant(0, tf.int64), tf.constant(0, tf.int64)),
    reduce_func=lambda state, x: (state[0] + x, state[1] + 1),
    finalize_func=lambda total, count: tf.cast(total, tf.float64) / tf.cast(count, tf.float64),
)
means = series.apply(tf.data.experimental.group_by_reducer(lambda x: x % 2, reducer))
assert sorted(float(m) for m in means) == [4.0, 5.0]

# bucket_by_sequence_length: sequences of similar length batched together, padded.
sequences = tf.data.Dataset.range(1, 9).map(lambda n: tf.fill([n], n))
buckets = sequences.bucket_by_sequence_length(
    element_length_func=lambda s: tf.shape(s)[0],
    bucket_boundaries=[3, 6],
    bucket_batch_sizes=[2, 2, 2],
    padding_values=tf.constant(-1, tf.int64),
)
shapes = sorted(b.shape.as_list() for b in buckets)
# lengths 1-2, 3-5 and 6-8 fall in three buckets; each batch pads to its longest element
assert shapes == [[1, 5], [1, 8], [2, 2], [2, 4], [2, 7]], shapes
first = next(iter(buckets))
assert first.numpy().tolist() == [[1, -1], [2, 2]]

# pad_to_bucket_boundary pads to the bucket's boundary - 1; longer elements are an error.
boundary = (
    tf.data.Dataset.range(1, 6)
    .map(lambda n: tf.fill([n], n))
    .bucket_by_sequence_length(
        lambda s: tf.shape(s)[0], [4, 7], [3, 3, 3], pad_to_bucket_boundary=True
    )
)
assert sorted(b.shape.as_list() for b in boundary) == [[2, 6], [3, 3]]
too_long = sequences.bucket_by_sequence_length(
    lambda s: tf.shape(s)[0], [4, 7], [3, 3, 3], pad_to_bucket_boundary=True
)
try:
    list(too_long)
    raise AssertionError("expected an error for an element past the last boundary")
except (tf.errors.InvalidArgumentError, tf.errors.InternalError):
    pass
try:
    sequences.bucket_by_sequence_length(lambda s: tf.shape(s)[0], [3, 6], [2, 2])
    raise AssertionError("expected ValueError")
except ValueError:
    pass
print("bucket shapes:", shapes)
