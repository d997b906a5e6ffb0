"""A map / cache / shuffle / batch / prefetch input pipeline, as in the tf.data guide."""

import numpy as np
import tensorflow as tf

calls = []


def preprocess(image, label):
    calls.append(1)  # runs eagerly in gpuflow, traced once in TensorFlow
    image = tf.cast(image, tf.float32) / 255.0
    return tf.reshape(image, [-1]), label


images = np.arange(10 * 4 * 4, dtype="uint8").reshape(10, 4, 4)
labels = np.arange(10, dtype="int32") % 3

ds = tf.data.Dataset.from_tensor_slices((images, labels))
ds = ds.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE).cache()
ds = ds.shuffle(10, seed=5).batch(4).prefetch(tf.data.AUTOTUNE)

assert ds.element_spec[0].dtype == tf.float32
assert ds.element_spec[0].shape.as_list() == [None, 16]
assert int(ds.cardinality()) == 3 and len(ds) == 3

epoch1 = [(x.numpy(), y.numpy()) for x, y in ds]
epoch2 = [(x.numpy(), y.numpy()) for x, y in ds]
assert [len(y) for _, y in epoch1] == [4, 4, 2]
seen1 = np.sort(np.concatenate([y for _, y in epoch1]))
np.testing.assert_array_equal(seen1, np.sort(labels))
all_x = np.concatenate([x for x, _ in epoch2])
expected = np.sort(images.reshape(10, -1).sum(axis=1) / 255.0)
np.testing.assert_allclose(np.sort(all_x.sum(axis=1)), expected, rtol=1e-5)
assert np.max(all_x) <= 1.0

# The cache is read on the second epoch: the map function ran at most once per element.
assert len(calls) <= 10 + 2

# Same seed, same order.
again = tf.data.Dataset.range(20).shuffle(20, seed=42)
assert list(again.as_numpy_iterator()) == list(
    tf.data.Dataset.range(20).shuffle(20, seed=42).as_numpy_iterator()
)
assert sorted(again.as_numpy_iterator()) == list(range(20))

# filter, take, skip, repeat.
ds = tf.data.Dataset.range(10).filter(lambda v: v > 4).skip(1).take(3).repeat(2)
assert list(ds.as_numpy_iterator()) == [6, 7, 8, 6, 7, 8]
