"""Resizing's output dtype where Keras builds a graph: integer images stay integer
eagerly, and come out in the compute dtype inside a tf.data function or a tf.function
(Keras' preprocessing layers cast their inputs there)."""

import numpy as np

import gpuflow as tf

IMAGES = np.arange(2 * 4 * 4 * 3, dtype="uint8").reshape(2, 4, 4, 3)


def test_eager_call_keeps_integer_images_integer():
    out = tf.keras.layers.Resizing(3, 3)(IMAGES)
    assert out.dtype == tf.uint8


def test_dataset_map_gives_the_compute_dtype_with_the_float_resize():
    layer = tf.keras.layers.Resizing(3, 3)
    for parallel in (None, 2):
        ds = tf.data.Dataset.from_tensor_slices(IMAGES).map(layer, num_parallel_calls=parallel)
        first = next(iter(ds))
        assert first.dtype == tf.float32
        expected = tf.image.resize(IMAGES[0].astype("float32"), (3, 3)).numpy()
        np.testing.assert_allclose(first.numpy(), expected, rtol=1e-6)
    # the flag is gone once the function returns
    assert layer(IMAGES).dtype == tf.uint8


def test_tf_function_gives_the_compute_dtype():
    layer = tf.keras.layers.Resizing(3, 3)
    assert tf.function(lambda t: layer(t))(IMAGES).dtype == tf.float32


def test_mixed_precision_policy_gives_float16_in_a_dataset():
    tf.keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        layer = tf.keras.layers.Resizing(3, 3)
        ds = tf.data.Dataset.from_tensors(IMAGES).map(lambda t: layer(t))
        assert next(iter(ds)).dtype == tf.float16
    finally:
        tf.keras.mixed_precision.set_global_policy("float32")
