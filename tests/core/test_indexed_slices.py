"""tf.IndexedSlices: attributes, conversion to the dense tensor (repeated rows summed),
use in ops, gradients through the conversion."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_attributes_and_dense_conversion():
    values = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    s = tf.IndexedSlices(values, tf.constant([0, 2, 0]), tf.constant([4, 2]))
    assert s.values is values and s.indices.numpy().tolist() == [0, 2, 0]
    assert s.dense_shape.numpy().tolist() == [4, 2] and s.dtype == tf.float32
    assert s.shape.as_list() == [4, 2]
    dense = tf.convert_to_tensor(s)
    np.testing.assert_array_equal(dense.numpy(), [[6, 8], [0, 0], [3, 4], [0, 0]])
    assert float(tf.reduce_sum(s)) == 21.0  # ops convert it too
    np.testing.assert_array_equal(tf.convert_to_tensor(-s).numpy(), -dense.numpy())
    assert tf.IndexedSlices(values, [0, 1, 2]).shape.as_list() == [None, 2]


def test_gradient_through_conversion():
    values = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        dense = tf.convert_to_tensor(tf.IndexedSlices(values, [1, 1], [3, 2]))
        loss = tf.reduce_sum(dense * tf.constant([[1.0, 1.0], [2.0, 3.0], [5.0, 5.0]]))
    np.testing.assert_array_equal(tape.gradient(loss, values).numpy(), [[2, 3], [2, 3]])


def test_errors():
    with pytest.raises(ValueError, match="one row per index"):
        tf.IndexedSlices(tf.ones([2, 2]), [0, 1, 2], [3, 2])
    with pytest.raises(ValueError, match="without dense_shape"):
        tf.convert_to_tensor(tf.IndexedSlices(tf.ones([1, 2]), [0]))
