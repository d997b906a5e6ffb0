"""tf.tensor_scatter_nd_max / _min: values and TensorFlow's gradient rule (ties split),
expected values from TensorFlow 2.21; gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.testing import gradcheck

W = tf.constant([1.0, 2.0, 3.0, 4.0])


def test_values_and_tied_gradients_match_tensorflow():
    t = tf.Variable([1.0, 5.0, 3.0, 2.0])
    u = tf.Variable([4.0, 3.0, 1.0, 2.0])
    idx = tf.constant([[0], [2], [2], [3]])
    with tf.GradientTape(persistent=True) as tape:
        mx = tf.tensor_scatter_nd_max(t, idx, u)
        mn = tf.tensor_scatter_nd_min(t, idx, u)
        l_max, l_min = tf.reduce_sum(mx * W), tf.reduce_sum(mn * W)
    assert mx.numpy().tolist() == [4.0, 5.0, 3.0, 2.0]
    assert mn.numpy().tolist() == [1.0, 5.0, 1.0, 2.0]
    # TensorFlow 2.21
    gt, gu = tape.gradient(l_max, [t, u])
    assert gt.numpy().tolist() == [0.0, 2.0, 1.5, 2.0] and gu.numpy().tolist() == [
        1.0,
        1.5,
        0.0,
        2.0,
    ]
    gt, gu = tape.gradient(l_min, [t, u])
    assert gt.numpy().tolist() == [1.0, 2.0, 0.0, 2.0] and gu.numpy().tolist() == [
        0.0,
        0.0,
        3.0,
        2.0,
    ]


@pytest.mark.parametrize("fn", [tf.tensor_scatter_nd_max, tf.tensor_scatter_nd_min])
def test_gradients_without_ties(fn):
    rng = np.random.default_rng(0)
    tensor = rng.standard_normal((4, 3))
    updates = rng.standard_normal((2, 3))
    gradcheck(lambda a, b: fn(a, [[1], [3]], b), [tensor, updates])


def test_shape_errors_name_the_op():
    with pytest.raises(tf.errors.InvalidArgumentError, match="tensor_scatter_nd_max: updates"):
        tf.tensor_scatter_nd_max(tf.zeros([4]), [[0]], tf.ones([2]))


def test_updates_convert_to_the_tensor_dtype_or_raise():
    base = tf.zeros([3])
    assert tf.tensor_scatter_nd_update(base, [[0]], [1]).numpy().tolist() == [1.0, 0.0, 0.0]
    assert tf.tensor_scatter_nd_add(base, [[1]], np.array([1.5])).numpy()[1] == 1.5
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype float32, received float64"):
        tf.tensor_scatter_nd_update(base, [[0]], tf.constant([1.5], tf.float64))
    with pytest.raises(TypeError):  # never a silent truncation to 1
        tf.tensor_scatter_nd_update(tf.zeros([3], tf.int32), [[0]], [1.5])
    assert tf.scatter_nd([[0]], [1.5], [2]).numpy().tolist() == [1.5, 0.0]
