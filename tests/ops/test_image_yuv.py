"""tf.image YUV / YIQ conversions; expected values printed by tensorflow-cpu 2.21."""

import numpy as np
import pytest

import gpuflow as tf


def test_values_equal_tensorflow_and_round_trip():
    np.testing.assert_allclose(
        tf.image.rgb_to_yuv([[[0.2, 0.4, 0.6]]]).numpy(),
        [[[0.363, 0.11663031, -0.14299713]]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        tf.image.yuv_to_rgb([[[0.5, 0.1, -0.1]]]).numpy(),
        [[[0.3860117, 0.51859796, 0.7032062]]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        tf.image.rgb_to_yiq([[[0.2, 0.4, 0.6]]]).numpy(),
        [[[0.363, -0.18344891, 0.01992526]]],
        rtol=1e-5,
    )
    x = np.random.default_rng(0).random((2, 4, 4, 3))
    np.testing.assert_allclose(tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(x)).numpy(), x, atol=1e-6)


def test_gradient_and_bad_input():
    x = tf.constant(np.ones((1, 1, 3), "float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.image.rgb_to_yuv(x)[..., 0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [[[0.299, 0.587, 0.114]]], rtol=1e-6)
    with pytest.raises(ValueError, match="rgb_to_yuv: expected images with 3 channels"):
        tf.image.rgb_to_yuv(np.ones((2, 2)))
    with pytest.raises(TypeError, match="expected float images"):
        tf.image.rgb_to_yuv(np.ones((2, 3), "uint8"))
