"""Ops whose gradient TensorFlow leaves out: None (not differentiable) or LookupError (no
gradient registered), as TensorFlow's tape gives them."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_unique_has_no_registered_gradient():
    x = tf.Variable([3.0, 1.0, 3.0, 2.0])
    with tf.GradientTape() as tape:
        y, idx = tf.unique(x)
    np.testing.assert_array_equal(y.numpy(), [3.0, 1.0, 2.0])
    np.testing.assert_array_equal(idx.numpy(), [0, 1, 0, 2])
    with pytest.raises(LookupError, match="no entry for: Unique"):
        tape.gradient(y, x)


def test_random_shuffle_is_not_differentiable():
    x = tf.Variable([[1.0], [2.0], [3.0]])
    with tf.GradientTape() as tape:
        y = tf.random.shuffle(x, seed=4)
    assert sorted(y.numpy().ravel().tolist()) == [1.0, 2.0, 3.0]
    assert tape.gradient(y, x) is None
