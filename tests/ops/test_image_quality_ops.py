"""tf.image JPEG-quality augmentation and multi-scale SSIM (values from TF 2.21)."""

import numpy as np
import pytest

import gpuflow as tf


def _image():
    rng = np.random.default_rng(0)
    return np.clip(rng.normal(0.5, 0.2, (16, 16, 3)), 0, 1).astype(np.float32)


def test_jpeg_quality_round_trip_keeps_dtype_and_loses_more_at_low_quality():
    img = _image()
    low, high = tf.image.adjust_jpeg_quality(img, 10), tf.image.adjust_jpeg_quality(img, 95)
    assert low.dtype == tf.float32 and low.shape == img.shape
    high_error = float(np.abs(high.numpy() - img).mean())
    low_error = float(np.abs(low.numpy() - img).mean())
    assert high_error < low_error
    assert abs(high_error - 0.124) < 0.01 and abs(low_error - 0.153) < 0.01  # TF: 0.124, 0.153
    assert tf.image.adjust_jpeg_quality((img * 255).astype(np.uint8), 75).dtype == tf.uint8
    with pytest.raises(ValueError, match="jpeg_quality must be in \\[0, 100\\]"):
        tf.image.adjust_jpeg_quality(img, 101)
    with pytest.raises(ValueError, match="expected an image"):
        tf.image.adjust_jpeg_quality(img[..., :2], 50)


def test_random_jpeg_quality_draws_and_stateless_repeats():
    img = _image()
    first = tf.image.stateless_random_jpeg_quality(img, 20, 80, seed=(1, 2))
    again = tf.image.stateless_random_jpeg_quality(img, 20, 80, seed=(1, 2))
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    assert tf.image.random_jpeg_quality(img, 20, 80, seed=1).shape == img.shape
    with pytest.raises(ValueError, match="min_jpeg_quality must be < max_jpeg_quality"):
        tf.image.random_jpeg_quality(img, 80, 20)

    @tf.function
    def augment(x):
        return tf.image.random_jpeg_quality(x, 1, 100)

    outs = {augment(img).numpy().tobytes() for _ in range(6)}
    assert len(outs) > 1  # a new quality on each call of the compiled function


def test_ssim_multiscale_matches_tensorflow():
    rng = np.random.default_rng(0)
    a = rng.random((2, 180, 190, 3)).astype(np.float32)
    b = np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1).astype(np.float32)
    np.testing.assert_allclose(
        tf.image.ssim_multiscale(a, b, 1.0).numpy(), [0.95401, 0.95312], atol=2e-5
    )
    np.testing.assert_allclose(tf.image.ssim_multiscale(a, a, 1.0).numpy(), [1.0, 1.0], atol=1e-6)
    small = tf.image.ssim_multiscale(
        a[:, :60, :60], b[:, :60, :60], 1.0, power_factors=(0.5, 0.5), filter_size=7
    )
    np.testing.assert_allclose(small.numpy(), [0.94605, 0.94751], atol=2e-5)
    with pytest.raises(ValueError, match="smaller than filter_size=11"):
        tf.image.ssim_multiscale(a[:, :60, :60], b[:, :60, :60], 1.0)
