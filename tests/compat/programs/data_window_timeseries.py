"""Windows over a series: Dataset.window + flat_map, and timeseries_dataset_from_array."""

import numpy as np
import tensorflow as tf

series = tf.data.Dataset.range(10)
windows = series.window(4, shift=2, drop_remainder=True).flat_map(lambda w: w.batch(4))
assert [w.tolist() for w in windows.as_numpy_iterator()] == [
    [0, 1, 2, 3],
    [2, 3, 4, 5],
    [4, 5, 6, 7],
    [6, 7, 8, 9],
]

# Inputs and the next value as the target.
pairs = windows.map(lambda w: (w[:-1], w[-1]))
features, target = next(iter(pairs))
assert features.numpy().tolist() == [0, 1, 2] and int(target) == 3

data = np.arange(100, dtype="float32")
ds = tf.keras.utils.timeseries_dataset_from_array(
    data[:-5], targets=data[5:], sequence_length=5, sequence_stride=1, batch_size=8
)
inputs, targets = next(iter(ds))
assert inputs.shape == (8, 5) and targets.shape == (8,)
np.testing.assert_array_equal(inputs.numpy()[0], [0, 1, 2, 3, 4])
assert float(targets.numpy()[0]) == 5.0
assert sum(int(x.shape[0]) for x, _ in ds) == 91

sampled = tf.keras.utils.timeseries_dataset_from_array(
    data, None, sequence_length=3, sampling_rate=2, sequence_stride=10, batch_size=None
)
assert [w.numpy().tolist() for w in sampled][:2] == [[0.0, 2.0, 4.0], [10.0, 12.0, 14.0]]
