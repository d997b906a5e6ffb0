"""tf.image.extract_glimpse: window placement as TensorFlow 2.21's ExtractGlimpseV2 (its
outputs for a 6 x 6 image with noise="zero"), and the noise fills."""

import numpy as np
import pytest

import gpuflow as tf

IMAGE = tf.reshape(tf.range(36.0), [1, 6, 6, 1])


def _glimpse(size, offset, centered, normalized, noise="zero"):
    out = tf.image.extract_glimpse(
        IMAGE, size=size, offsets=[offset], centered=centered, normalized=normalized, noise=noise
    )
    return out[0, :, :, 0].numpy().tolist()


def test_window_placement_equals_tensorflow():
    x = [[[[0.0], [1.0], [2.0]], [[3.0], [4.0], [5.0]], [[6.0], [7.0], [8.0]]]]
    doc = tf.image.extract_glimpse(
        x, size=(2, 2), offsets=[[1, 1]], centered=False, normalized=False
    )
    assert doc.shape == (1, 2, 2, 1) and doc.numpy()[0, :, :, 0].tolist() == [[4, 5], [7, 8]]
    assert _glimpse((2, 3), [2.6, 1.4], False, False) == [[13, 14, 15], [19, 20, 21]]
    assert _glimpse((3, 3), [0, 0], True, False) == [[21, 22, 23], [27, 28, 29], [33, 34, 35]]
    assert _glimpse((2, 2), [0, 0], True, True) == [[14, 15], [20, 21]]
    assert _glimpse((3, 3), [0.5, 0.5], False, True) == [[21, 22, 23], [27, 28, 29], [33, 34, 35]]
    assert _glimpse((3, 3), [-0.5, 0.5], True, True) == [[3, 4, 5], [9, 10, 11], [15, 16, 17]]
    assert _glimpse((3, 3), [5, 5], False, False) == [[35, 0, 0], [0, 0, 0], [0, 0, 0]]


def test_noise_fills_the_outside():
    out = np.asarray(_glimpse((4, 4), [4, 4], False, False, noise="uniform"))
    assert out[:2, :2].tolist() == [[28, 29], [34, 35]]
    outside = np.concatenate([out[2:].ravel(), out[:2, 2:].ravel()])
    assert ((outside >= 0) & (outside <= 35)).all() and len(set(outside.tolist())) > 1
    with pytest.raises(ValueError, match="image.extract_glimpse: noise must be one of"):
        tf.image.extract_glimpse(IMAGE, [2, 2], [[0, 0]], noise="pink")
    with pytest.raises(ValueError, match="offsets must have shape \\[1, 2\\]"):
        tf.image.extract_glimpse(IMAGE, [2, 2], [[0, 0], [1, 1]])
