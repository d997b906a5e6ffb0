"""tf.nn.conv1d, conv1d_transpose, avg_pool1d, max_pool1d, convolution and pool. Expected
values were printed from TensorFlow 2.21 on the same inputs and pasted in."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def _inputs():
    return tf.reshape(tf.range(10.0), [1, 5, 2]), tf.reshape(tf.range(12.0) / 10, [3, 2, 2])


def test_conv1d_matches_tensorflow():
    x, k = _inputs()
    np.testing.assert_allclose(  # TF: tf.nn.conv1d(x, k, 2, "SAME")
        tf.nn.conv1d(x, k, 2, "SAME").numpy(),
        [[[5.2, 5.8], [17.0, 19.7], [10.0, 13.0]]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(  # TF: tf.nn.conv1d(x, k, 1, "SAME", dilations=2)
        tf.nn.conv1d(x, k, 1, "SAME", dilations=2).numpy(),
        [[[8.8, 9.8], [14.4, 16.2], [20.2, 22.9], [7.2, 9.0], [9.6, 12.2]]],
        rtol=1e-6,
    )


def test_conv1d_valid_against_numpy_and_gradient():
    rng = np.random.default_rng(0)
    xv, kv = rng.normal(size=(2, 7, 3)), rng.normal(size=(2, 3, 4))
    want = np.stack([xv[:, i : i + 2].reshape(2, -1) @ kv.reshape(-1, 4) for i in (0, 3)], 1)
    x, k = tf.constant(xv), tf.constant(kv)
    with tf.GradientTape() as tape:
        tape.watch([x, k])
        out = tf.nn.conv1d(x, k, stride=[1, 3, 1], padding="VALID")
        loss = tf.reduce_sum(out)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-10)
    gx, gk = tape.gradient(loss, [x, k])
    # each output sums its window: d/dx counts the (kernel position) uses of each element
    want_gx = np.zeros_like(xv)
    for i in (0, 3):
        want_gx[:, i : i + 2] += kv.sum(axis=2)
    np.testing.assert_allclose(gx.numpy(), want_gx, rtol=1e-10)
    assert gk.shape == (2, 3, 4)
    with pytest.raises(ValueError, match="conv1d"):
        tf.nn.conv1d(x, tf.ones([2, 5, 4], "float64"), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="conv1d"):
        tf.nn.conv1d(x, k, 1, "FULL")


def test_conv1d_transpose_matches_tensorflow():
    x, k = _inputs()
    same = [0.1, 0.3, 0.5, 0.7, 1.2, 2.4, 2.3, 3.3, 4.8, 7.6, 4.1, 5.9, 8.4, 12.8, 5.9, 8.5]
    same += [12.0, 18.0, 7.7, 11.1]
    out = tf.nn.conv1d_transpose(x, k, [1, 10, 2], 2, "SAME")
    np.testing.assert_allclose(out.numpy().reshape(-1), same, rtol=1e-5)
    valid = tf.nn.conv1d_transpose(x, k, [1, 11, 2], 2, "VALID")
    np.testing.assert_allclose(valid.numpy().reshape(-1), same + [14.5, 17.9], rtol=1e-5)
    with pytest.raises(ValueError, match="conv1d_transpose"):
        tf.nn.conv1d_transpose(x, k, [1, 13, 2], 2, "SAME")


def test_pool1d_and_pool_match_tensorflow():
    x, _ = _inputs()
    want_avg = [[[1.0, 2.0], [5.0, 6.0], [8.0, 9.0]]]  # TF: avg_pool1d(x, 2, 2, "SAME")
    np.testing.assert_allclose(tf.nn.avg_pool1d(x, 2, 2, "SAME").numpy(), want_avg)
    want_max = [[[2.0, 3.0], [6.0, 7.0], [8.0, 9.0]]]  # TF: max_pool1d(x, 3, 2, "SAME")
    np.testing.assert_allclose(tf.nn.max_pool1d(x, 3, 2, "SAME").numpy(), want_max)
    np.testing.assert_allclose(
        tf.nn.pool(x, [2], "AVG", strides=[2], padding="SAME").numpy(), want_avg
    )
    images = tf.reshape(tf.range(32.0), [1, 4, 4, 2])
    np.testing.assert_allclose(
        tf.nn.pool(images, [2, 2], "MAX", strides=[2, 2]).numpy(),
        tf.nn.max_pool2d(images, 2, 2, "VALID").numpy(),
    )
    # strides default to 1 (not to the window), as TensorFlow: 4 - 2 + 1 = 3 per axis
    assert tf.nn.pool(tf.ones([1, 4, 4, 4, 2]), [2, 2, 2], "AVG").shape == (1, 3, 3, 3, 2)
    np.testing.assert_allclose(
        tf.nn.pool(x, [3], "AVG", padding="SAME").numpy(), tf.nn.avg_pool1d(x, 3, 1, "SAME")
    )
    with pytest.raises(ValueError, match="pool"):
        tf.nn.pool(x, [2], "MIN")
    with pytest.raises(ValueError, match="pool"):
        tf.nn.pool(x, [2, 2], "MAX")


def test_convolution_dispatches_on_rank():
    x, k = _inputs()
    np.testing.assert_allclose(
        tf.nn.convolution(x, k, strides=2, padding="SAME").numpy(),
        tf.nn.conv1d(x, k, 2, "SAME").numpy(),
    )
    images, kernel = tf.ones([1, 5, 5, 2]), tf.ones([2, 2, 2, 3])
    out = tf.nn.convolution(images, kernel, dilations=[2, 2])
    assert out.shape == (1, 3, 3, 3) and np.all(out.numpy() == 8.0)
    volume = tf.nn.convolution(tf.ones([1, 4, 4, 4, 2]), tf.ones([2, 2, 2, 2, 3]))
    assert volume.shape == (1, 3, 3, 3, 3) and np.all(volume.numpy() == 16.0)
    with pytest.raises(ValueError, match="convolution"):
        tf.nn.convolution(tf.ones([2, 3]), k)
