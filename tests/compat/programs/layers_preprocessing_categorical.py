# Structured-data preprocessing with Keras layers: IntegerLookup learns a vocabulary,
# CategoryEncoding one-hot/multi-hot encodes ids, Discretization buckets a numeric column,
# and Rescaling / Resizing / CenterCrop prepare images.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)

lookup = keras.layers.IntegerLookup()
lookup.adapt(np.array([[12, 36, 12], [42, 12, 36]]))
assert lookup.get_vocabulary() == [-1, 12, 36, 42]  # OOV first, then by frequency
ids = lookup(np.array([[12, 42, 7]]))
np.testing.assert_array_equal(ids.numpy(), [[1, 3, 0]])
one_hot = keras.layers.IntegerLookup(vocabulary=[12, 36, 42], output_mode="one_hot")
np.testing.assert_array_equal(one_hot(np.array([36, 99])).numpy(), [[0, 0, 1, 0], [1, 0, 0, 0]])
inverse = keras.layers.IntegerLookup(vocabulary=[12, 36, 42], invert=True)
np.testing.assert_array_equal(inverse(np.array([[1, 3, 0]])).numpy(), [[12, 42, -1]])

encoder = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
np.testing.assert_array_equal(
    encoder(np.array([[0, 1], [2, 2]])).numpy(), [[1, 1, 0, 0], [0, 0, 1, 0]]
)
counts = keras.layers.CategoryEncoding(num_tokens=3, output_mode="count")
np.testing.assert_array_equal(counts(np.array([[0, 2, 2, 2]])).numpy(), [[1, 0, 3]])

ages = rng.uniform(0, 100, size=1000).astype("float32")
buckets = keras.layers.Discretization(num_bins=4)
buckets.adapt(ages)
assert len(buckets.bin_boundaries) == 3
np.testing.assert_allclose(buckets.bin_boundaries, np.percentile(ages, [25, 50, 75]), atol=3)
ids = buckets(np.array([1.0, 99.0])).numpy()
np.testing.assert_array_equal(ids, [0, 3])
fixed = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
np.testing.assert_array_equal(fixed(np.array([[-0.5, 0.0, 1.5, 7.0]])).numpy(), [[0, 1, 2, 3]])

images = rng.integers(0, 256, size=(2, 8, 10, 3)).astype("uint8")
pipeline = keras.Sequential(
    [
        keras.layers.Rescaling(1.0 / 255),
        keras.layers.CenterCrop(6, 6),
        keras.layers.Resizing(3, 3),
    ]
)
out = pipeline(images)
assert out.shape == (2, 3, 3, 3) and out.dtype == tf.float32
assert 0.0 <= float(tf.reduce_min(out)) and float(tf.reduce_max(out)) <= 1.0
crop = keras.layers.CenterCrop(6, 6)(images.astype("float32"))
np.testing.assert_allclose(crop.numpy(), images[:, 1:7, 2:8].astype("float32"))
nearest = keras.layers.Resizing(4, 4, interpolation="nearest")(np.arange(4.0).reshape(1, 2, 2, 1))
np.testing.assert_allclose(
    nearest.numpy()[0, :, :, 0], [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]
)
