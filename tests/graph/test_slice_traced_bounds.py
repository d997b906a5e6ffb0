"""Slices bounded by values computed inside tf.function (``x[:, :tf.shape(x)[1] // 2]``,
a bound from an argument) take each call's bounds, as TensorFlow 2.21's strided slice."""

import numpy as np
import pytest

import gpuflow as tf

# the slices are recorded: no call falls back to running eagerly
pytestmark = pytest.mark.filterwarnings("error")


def test_a_bound_passed_as_a_tensor_follows_each_call():
    @tf.function
    def head(x, n):
        return x[: n + 1]

    x = tf.range(10)
    assert head(x, tf.constant(2)).numpy().tolist() == [0, 1, 2]
    assert head(x, tf.constant(5)).numpy().tolist() == [0, 1, 2, 3, 4, 5]
    assert head.experimental_get_tracing_count() == 1


def test_bounds_from_the_shape_with_unknown_sizes_and_their_gradient():
    @tf.function(input_signature=[tf.TensorSpec([None, None])])
    def second_half(x):
        n = tf.shape(x)[1]
        return x[:, n // 2 :], x[1:, n - 1 :: -2]

    for shape in [(2, 6), (3, 5), (1, 2)]:
        x = np.arange(np.prod(shape), dtype="float32").reshape(shape)
        a, b = second_half(tf.constant(x))
        np.testing.assert_array_equal(a.numpy(), x[:, shape[1] // 2 :])
        np.testing.assert_array_equal(b.numpy(), x[1:, shape[1] - 1 :: -2])

    @tf.function
    def grad(x, k):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x[k:] ** 2)
        return tape.gradient(y, x)

    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(grad(x, tf.constant(1)).numpy(), [0.0, 4.0, 6.0, 8.0])
    np.testing.assert_allclose(grad(x, tf.constant(3)).numpy(), [0.0, 0.0, 0.0, 8.0])
