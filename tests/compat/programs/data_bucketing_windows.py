# The tf.data guide's bucketing and "time series windowing" sections:
# bucket_by_sequence_length groups sequences by length (padded per batch), and
# window / flat_map make sliding windows with shift and stride.
import numpy as np
import tensorflow as tf


# bucket_by_sequence_length: batches of similar lengths, padded within the batch
def gen():
    for n in [1, 2, 7, 3, 8, 2, 9, 1]:
        yield np.arange(n, dtype=np.int64)


ds = tf.data.Dataset.from_generator(
    gen, output_signature=tf.TensorSpec(shape=(None,), dtype=tf.int64)
)
buckets = ds.bucket_by_sequence_length(
    element_length_func=lambda elem: tf.shape(elem)[0],
    bucket_boundaries=[3, 5],
    bucket_batch_sizes=[2, 2, 2],
)
shapes = sorted(tuple(b.shape) for b in buckets)
assert shapes == [(1, 3), (1, 9), (2, 2), (2, 2), (2, 8)], shapes

# sliding windows with window + flat_map
windows = tf.data.Dataset.range(10).window(4, shift=2, drop_remainder=True)
windows = windows.flat_map(lambda window: window.batch(4))
assert [w.numpy().tolist() for w in windows] == [
    [0, 1, 2, 3],
    [2, 3, 4, 5],
    [4, 5, 6, 7],
    [6, 7, 8, 9],
]


def make_window_dataset(ds, window_size=5, shift=1, stride=1):
    windows = ds.window(window_size, shift=shift, stride=stride)

    def sub_to_batch(sub):
        return sub.batch(window_size, drop_remainder=True)

    return windows.flat_map(sub_to_batch)


ds = make_window_dataset(tf.data.Dataset.range(20), window_size=3, shift=5, stride=2)
assert [x.numpy().tolist() for x in ds] == [[0, 2, 4], [5, 7, 9], [10, 12, 14], [15, 17, 19]]

dense_labels_ds = tf.data.Dataset.range(10).batch(5).map(lambda b: (b[:-1], b[1:]))
for inputs, labels in dense_labels_ds.take(1):
    assert inputs.numpy().tolist() == [0, 1, 2, 3] and labels.numpy().tolist() == [1, 2, 3, 4]
