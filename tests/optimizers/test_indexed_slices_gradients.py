"""apply_gradients with tf.IndexedSlices gradients (values checked against TF 2.21)."""

import numpy as np
import pytest

import gpuflow as tf

START = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
DISTINCT = ([[1.0, 2.0], [3.0, -1.0]], [2, 0])


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9), [-0.683, 2.561, 3, 4, 4.439, 4.878]),
        (lambda: tf.keras.optimizers.Adam(0.1), [0.7, 2.3, 3, 4, 4.7, 5.7]),
        (lambda: tf.keras.optimizers.RMSprop(0.1), [0.26226, 2.73774, 3, 4, 4.26226, 5.26226]),
        (lambda: tf.keras.optimizers.Adagrad(0.1), [0.77241, 2.22115, 3, 4, 4.77885, 5.77346]),
    ],
)
def test_distinct_indices_update_as_tensorflow(make, expected):
    values, indices = DISTINCT
    grad = tf.IndexedSlices(tf.constant(values), tf.constant(indices), tf.constant([3, 2]))
    var = tf.Variable(START)
    opt = make()
    for _ in range(3):
        opt.apply_gradients([(grad, var)])
    np.testing.assert_allclose(var.numpy().ravel(), expected, atol=1e-4)


def test_repeated_indices_sum_for_sgd_and_dense_shape_may_be_missing():
    grad = tf.IndexedSlices(tf.ones([3, 2]), tf.constant([0, 2, 0]))  # no dense_shape
    var = tf.Variable(START)
    opt = tf.keras.optimizers.SGD(0.1)
    opt.apply_gradients([(grad, var)])
    opt.apply_gradients([(grad, var)])
    np.testing.assert_allclose(var.numpy(), [[0.6, 1.6], [3.0, 4.0], [4.8, 5.8]], atol=1e-6)
    dense = tf.convert_to_tensor(tf.IndexedSlices(tf.ones([3, 2]), [0, 2, 0], [3, 2]))
    assert dense.numpy().tolist() == [[2.0, 2.0], [0.0, 0.0], [1.0, 1.0]]
