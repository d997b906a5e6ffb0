"""psnr, ssim, total_variation, image_gradients, sobel_edges, non_max_suppression against
values from TensorFlow 2.21 and NumPy references; gradients; errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.testing import gradcheck as _gradcheck


def gradcheck(fn, inputs, device):
    """The ops compute in float32 (as TensorFlow): finite differences with a float32 step."""
    return _gradcheck(fn, inputs, eps=1e-3, atol=2e-3, rtol=1e-2, device=device)


A = (np.sin(np.arange(2 * 12 * 13 * 3) * 0.37).reshape(2, 12, 13, 3) * 0.5 + 0.5).astype(np.float32)
B = (np.cos(np.arange(2 * 12 * 13 * 3) * 0.11).reshape(2, 12, 13, 3) * 0.2 + A * 0.8).astype(
    np.float32
)


def test_ssim_and_psnr_match_tensorflow():
    # tf.image.ssim / psnr of A and B printed by TensorFlow 2.21
    np.testing.assert_allclose(gf.image.ssim(A, B, 1.0).numpy(), [0.87096024, 0.8699746], rtol=1e-5)
    np.testing.assert_allclose(
        gf.image.ssim(A, B, 1.0, filter_size=3, filter_sigma=0.7, k1=0.02, k2=0.05).numpy(),
        [0.8596964, 0.8556812],
        rtol=1e-5,
    )
    np.testing.assert_allclose(gf.image.psnr(A, B, 1.0).numpy(), [14.651788, 14.6092005], rtol=1e-5)
    mse = ((A - B) ** 2).mean(axis=(1, 2, 3))
    np.testing.assert_allclose(gf.image.psnr(A, B, 1.0).numpy(), -10 * np.log10(mse), rtol=1e-5)
    np.testing.assert_allclose(gf.image.ssim(A, A, 1.0).numpy(), 1.0, rtol=1e-5)


def test_ssim_errors():
    with pytest.raises(ValueError, match="filter_size=11"):
        gf.image.ssim(A[:, :8], B[:, :8], 1.0)
    with pytest.raises(ValueError, match="same"):
        gf.image.ssim(A, B[:, :, :12], 1.0)


def test_total_variation_and_gradients():
    x = A[:, :5, :6]
    tv = np.abs(np.diff(x, axis=1)).sum((1, 2, 3)) + np.abs(np.diff(x, axis=2)).sum((1, 2, 3))
    np.testing.assert_allclose(gf.image.total_variation(x).numpy(), tv, rtol=1e-5)
    assert gf.image.total_variation(x[0]).shape == ()
    dy, dx = gf.image.image_gradients(x)
    np.testing.assert_allclose(dy.numpy()[:, :-1], np.diff(x, axis=1), rtol=1e-6)
    np.testing.assert_array_equal(dy.numpy()[:, -1], 0)
    np.testing.assert_allclose(dx.numpy()[:, :, :-1], np.diff(x, axis=2), rtol=1e-6)
    with pytest.raises(ValueError, match="4D tensor"):
        gf.image.image_gradients(x[0])


def test_sobel_edges_reference():
    x = A[:1, :5, :6, :1]
    padded = np.pad(x[0, :, :, 0], 1, mode="reflect")
    ky = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    ref = np.array(
        [[(padded[i : i + 3, j : j + 3] * ky).sum() for j in range(6)] for i in range(5)]
    )
    out = gf.image.sobel_edges(x).numpy()
    assert out.shape == (1, 5, 6, 1, 2)
    np.testing.assert_allclose(out[0, :, :, 0, 0], ref, rtol=1e-5, atol=1e-6)
    ref_x = np.array(
        [[(padded[i : i + 3, j : j + 3] * ky.T).sum() for j in range(6)] for i in range(5)]
    )
    np.testing.assert_allclose(out[0, :, :, 0, 1], ref_x, rtol=1e-5, atol=1e-6)


def test_metrics_gradcheck(device):
    rng = np.random.default_rng(3)
    a, b = rng.random((1, 6, 6, 2)), rng.random((1, 6, 6, 2))
    assert gradcheck(lambda p, q: gf.image.ssim(p, q, 1.0, filter_size=3), [a, b], device=device)
    assert gradcheck(lambda p, q: gf.image.psnr(p, q, 1.0), [a, b], device=device)
    assert gradcheck(gf.image.sobel_edges, [a], device=device)


def test_non_max_suppression_matches_tensorflow():
    boxes = np.array(
        [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 0, 0.5, 0.5], [2, 2, 3, 3], [0, 0, 0, 0]], np.float32
    )
    scores = np.array([0.9, 0.95, 0.5, 0.3, 0.99], np.float32)
    # TensorFlow 2.21 selects [4, 1, 2, 3], and [4, 1] with max 2 and score_threshold 0.2
    out = gf.image.non_max_suppression(boxes, scores, 10, 0.5)
    assert out.dtype == gf.int32 and out.numpy().tolist() == [4, 1, 2, 3]
    assert gf.image.non_max_suppression(boxes, scores, 2, 0.5, 0.2).numpy().tolist() == [4, 1]
    assert gf.image.non_max_suppression(boxes, scores, 10, 0.5, 0.92).numpy().tolist() == [4, 1]
    with pytest.raises(ValueError, match=r"\[num_boxes, 4\]"):
        gf.image.non_max_suppression(boxes[:, :3], scores, 3)
