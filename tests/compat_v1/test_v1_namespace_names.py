"""TF 1 names inside tf.compat.v1's namespaces that TF 2's lack (v1.random.multinomial,
v1.sets.set_union, v1.image.transpose_image, ...): the functions of the same meaning."""

import numpy as np

import gpuflow as tf

v1 = tf.compat.v1


def test_extra_names_are_the_functions_of_that_meaning():
    assert v1.random.multinomial is v1.multinomial and v1.random.set_random_seed is not None
    assert "multinomial" in dir(v1.random) and "set_union" in dir(v1.sets)
    assert v1.debugging.is_inf(tf.constant([np.inf, 0.0])).numpy().tolist() == [True, False]
    assert not bool(v1.debugging.is_non_decreasing([2, 1]))
    assert v1.linalg.transpose(tf.zeros([2, 3])).shape == (3, 2)
    assert v1.sets.set_difference([[1, 2]], [[1]]).values.numpy().tolist() == [2]
    image = tf.zeros([1, 2, 3, 1])
    assert v1.image.transpose_image(image).shape == (1, 3, 2, 1)
    assert v1.image.resize_image_with_crop_or_pad(image, 4, 1).shape == (1, 4, 1, 1)
    ones = [1, 1, 1, 1]
    patches = v1.image.extract_image_patches(image, [1, 2, 1, 1], ones, ones, "VALID")
    assert patches.shape == (1, 1, 3, 2)
