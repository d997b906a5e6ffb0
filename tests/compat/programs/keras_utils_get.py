"""keras.*.get by name and the small keras.utils helpers tutorials use."""

import numpy as np
from tensorflow import keras

# a function's name gives the function: per-sample values, not a reduced loss
mse = keras.losses.get("mse")
per_sample = mse(np.zeros((3, 2)), np.ones((3, 2)))
assert tuple(per_sample.shape) == (3,), per_sample.shape
np.testing.assert_allclose(np.asarray(per_sample), [1.0, 1.0, 1.0])
# a class name gives an instance, which reduces
assert isinstance(keras.losses.get("MeanSquaredError"), keras.losses.MeanSquaredError)
assert float(keras.losses.get("MeanSquaredError")(np.zeros((3, 2)), np.ones((3, 2)))) == 1.0

assert isinstance(keras.optimizers.get("adam"), keras.optimizers.Adam)
assert keras.activations.get("relu") is keras.activations.relu
assert isinstance(keras.initializers.get("glorot_uniform"), keras.initializers.GlorotUniform)

assert keras.utils.to_categorical([0, 2, 1], 3).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
np.testing.assert_allclose(keras.utils.normalize(np.array([[3.0, 4.0]])), [[0.6, 0.8]])
assert keras.utils.pad_sequences([[1, 2], [3]], maxlen=3).tolist() == [[0, 1, 2], [0, 0, 3]]
assert keras.utils.pad_sequences([[1, 2, 3, 4]], maxlen=2, truncating="post").tolist() == [[1, 2]]
assert keras.backend.floatx() == "float32"
assert keras.backend.image_data_format() == "channels_last"
assert keras.backend.epsilon() == 1e-7
left, right = keras.utils.split_dataset(np.arange(10), left_size=0.8)
assert int(left.cardinality()) == 8 and int(right.cardinality()) == 2
windows = keras.utils.timeseries_dataset_from_array(
    np.arange(10), None, sequence_length=3, batch_size=4
)
assert [tuple(b.shape) for b in windows] == [(4, 3), (4, 3)]
print("ok")
