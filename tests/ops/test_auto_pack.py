"""TensorFlow's auto-packing: lists holding tensors, given to ops, are stacked by a recorded,
differentiable op (DeepDream's ``tf.reduce_sum(losses)`` over a list of layer losses)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_gradients_reach_each_element_of_a_list():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum([x * 3.0, x * x])
    assert float(loss) == 10.0
    assert float(tape.gradient(loss, x)) == 7.0  # 3 + 2x
    with tf.GradientTape() as tape:
        mean = tf.reduce_mean([[x, 1.0], [2.0, x]])  # nested, with Python numbers
    assert float(mean) == 1.75 and float(tape.gradient(mean, x)) == 0.5


def test_lists_of_traced_tensors_inside_a_function():
    @tf.function
    def f(a):
        losses = [tf.reduce_mean(a), tf.reduce_max(a)]
        return tf.reduce_sum(losses), tf.concat([[a[0]], [1.0]], 0)

    for values in ([1.0, 3.0], [2.0, 6.0]):
        total, joined = f(tf.constant(values))
        assert float(total) == np.mean(values) + max(values)
        np.testing.assert_array_equal(joined.numpy(), [values[0], 1.0])


def test_python_numbers_take_the_tensors_dtype():
    assert tf.reduce_sum([tf.constant(1), 2]).dtype == tf.int32
    packed = tf.reduce_sum([tf.constant(1.0, dtype="float64"), 2.0])
    assert packed.dtype == tf.float64 and float(packed) == 3.0


def test_mismatched_elements_are_clear_errors():
    with pytest.raises(ValueError, match="pack: .*different shapes.*\\(2,\\) and \\(3,\\)"):
        tf.reduce_sum([tf.ones([2]), tf.ones([3])])
    with pytest.raises(TypeError, match="pack: .*different dtypes.*float32 and int32"):
        tf.reduce_sum([tf.constant(1.0), tf.constant(1)])
