"""Nearest-neighbour resize and resize_with_crop_or_pad as ops that derive their indices
and offsets from the input's size on each call (so a saved trace serves every size):
values as TensorFlow's, gradients by finite differences, one op reused at a new size."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.ops.image import NearestAxis
from gpuflow.ops.image_geometry import CropOrPadAxis
from gpuflow.testing import gradcheck

RNG = np.random.default_rng(7)


@pytest.mark.parametrize("shape", [(1, 5, 7, 2), (2, 3, 3, 1)])
def test_nearest_values_and_gradient(shape):
    x = RNG.random(shape)
    got = tf.image.resize(tf.constant(x), (4, 6), method="nearest").numpy()
    rows = np.minimum(np.floor((np.arange(4) + 0.5) * shape[1] / 4).astype(int), shape[1] - 1)
    cols = np.minimum(np.floor((np.arange(6) + 0.5) * shape[2] / 6).astype(int), shape[2] - 1)
    np.testing.assert_array_equal(got, x[:, rows][:, :, cols])
    gradcheck(lambda t: tf.image.resize(t, (4, 6), method="nearest") * 3.0, [x])


def test_nearest_keeps_integer_dtype():
    x = tf.constant(np.arange(16, dtype=np.uint8).reshape(1, 4, 4, 1))
    out = tf.image.resize(x, (2, 2), method="nearest")
    assert out.dtype == tf.uint8
    np.testing.assert_array_equal(out.numpy()[0, :, :, 0], [[5, 7], [13, 15]])  # as TF 2.21


@pytest.mark.parametrize("shape", [(1, 6, 3, 2), (2, 2, 9, 1), (1, 4, 5, 1)])
def test_crop_or_pad_values_and_gradient(shape):
    x = RNG.random(shape)
    got = tf.image.resize_with_crop_or_pad(tf.constant(x), 4, 5).numpy()
    h, w = shape[1], shape[2]
    canvas = np.zeros((shape[0], 4, 5, shape[3]))
    ch, cw = min(h, 4), min(w, 5)
    top, left = max((h - 4) // 2, 0), max((w - 5) // 2, 0)
    ptop, pleft = max((4 - h) // 2, 0), max((5 - w) // 2, 0)
    canvas[:, ptop : ptop + ch, pleft : pleft + cw] = x[:, top : top + ch, left : left + cw]
    np.testing.assert_array_equal(got, canvas)
    gradcheck(lambda t: tf.image.resize_with_crop_or_pad(t, 4, 5) * 2.0, [x])


def test_one_op_follows_a_new_input_size():
    # what a replay of a saved trace does: the same op object at another size
    nearest, crop = NearestAxis(1, 5, 3), CropOrPadAxis(1, 3)
    for size in (5, 2, 8):
        x = np.arange(size, dtype=np.float32).reshape(1, size, 1, 1)
        want_n = tf.image.resize(tf.constant(x), (3, 1), method="nearest").numpy()
        np.testing.assert_array_equal(nearest(tf.constant(x)).numpy(), want_n)
        want_c = tf.image.resize_with_crop_or_pad(tf.constant(x), 3, 1).numpy()
        np.testing.assert_array_equal(crop(tf.constant(x)).numpy(), want_c)
