"""tf.nn.conv3d / max_pool3d / avg_pool3d / depthwise_conv2d / separable_conv2d /
conv2d_transpose: values from TensorFlow 2.21 and NumPy references, finite-difference
gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.testing import gradcheck

X = (np.arange(2 * 4 * 5 * 3 * 2).reshape(2, 4, 5, 3, 2) % 7 - 3).astype(np.float32)
K = (np.arange(2 * 2 * 3 * 2 * 3).reshape(2, 2, 3, 2, 3) % 5 - 2).astype(np.float32)


def _conv3d_reference(x, k):
    """VALID, stride 1: a direct sum over the kernel's taps."""
    kd, kh, kw = k.shape[:3]
    od, oh, ow = (x.shape[i + 1] - k.shape[i] + 1 for i in range(3))
    out = np.zeros((x.shape[0], od, oh, ow, k.shape[4]))
    for a in range(kd):
        for b in range(kh):
            for c in range(kw):
                out += x[:, a : a + od, b : b + oh, c : c + ow] @ k[a, b, c]
    return out


def test_conv3d_matches_tensorflow_and_reference():
    y = gf.nn.conv3d(X, K, [1, 1, 2, 1, 1], "SAME").numpy()
    # TensorFlow 2.21: shape (2, 4, 3, 3, 3), sum -62, and these two rows
    assert y.shape == (2, 4, 3, 3, 3) and y.sum() == -62.0
    np.testing.assert_array_equal(y[0, 1, 2], [[11, -10, -11], [-4, 12, -12], [2, -2, 4]])
    np.testing.assert_array_equal(y[1, 3, 0], [[8, -6, -10], [4, 9, -6], [4, -6, 4]])
    np.testing.assert_allclose(
        gf.nn.conv3d(X, K, [1, 1, 1, 1, 1], "VALID").numpy(), _conv3d_reference(X, K), rtol=1e-6
    )


def test_pool3d_matches_tensorflow():
    m = gf.nn.max_pool3d(X, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], "SAME").numpy()
    assert m.shape == (2, 4, 3, 2, 2) and m.sum() == 191.0  # TensorFlow 2.21
    a = gf.nn.avg_pool3d(X, [1, 3, 2, 2, 1], [1, 2, 2, 1, 1], "SAME").numpy()
    assert a.shape == (2, 2, 3, 3, 2)
    assert a.sum() == pytest.approx(0.16667, abs=1e-4)  # TensorFlow 2.21
    np.testing.assert_allclose(a[1, 1, 1], [[0.625, 0.75], [0.0, -0.75], [-0.75, -1.5]], atol=1e-6)
    valid = gf.nn.max_pool3d(X, 2, 2, "VALID").numpy()
    ref = X[:, :4, :4, :2].reshape(2, 2, 2, 2, 2, 1, 2, 2).max(axis=(2, 4, 6))
    np.testing.assert_array_equal(valid, ref)


def test_depthwise_separable_and_transpose():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 5, 6, 2)).astype(np.float32)
    k = rng.standard_normal((3, 3, 2, 2)).astype(np.float32)
    out = gf.nn.depthwise_conv2d(x, k, [1, 1, 1, 1], "VALID").numpy()
    # channel c * M + m is input channel c convolved with k[..., c, m]
    for c in range(2):
        for m in range(2):
            ref = np.zeros((3, 4))
            for i in range(3):
                for j in range(3):
                    ref += x[0, i : i + 3, j : j + 4, c] * k[i, j, c, m]
            np.testing.assert_allclose(out[0, :, :, c * 2 + m], ref, rtol=1e-5, atol=1e-6)
    p = rng.standard_normal((1, 1, 4, 3)).astype(np.float32)
    sep = gf.nn.separable_conv2d(x, k, p, [1, 1, 1, 1], "VALID").numpy()
    np.testing.assert_allclose(sep, out @ p[0, 0], rtol=1e-5, atol=1e-5)
    t = rng.standard_normal((3, 3, 4, 2)).astype(np.float32)
    up = gf.nn.conv2d_transpose(x, t, [1, 10, 12, 4], 2, "SAME")
    assert up.shape == (1, 10, 12, 4)
    # the transpose is the adjoint of conv2d: <conv(y), x> == <y, conv_transpose(x)>
    y = rng.standard_normal((1, 10, 12, 4)).astype(np.float32)
    conv = gf.nn.conv2d(y, t, strides=2, padding="SAME").numpy()
    assert float((conv * x).sum()) == pytest.approx(float((y * up.numpy()).sum()), rel=1e-4)


def test_nn_conv_errors():
    with pytest.raises(gf.errors.InvalidArgumentError, match="in-channels"):
        gf.nn.conv3d(X, K[:, :, :, :1], 1, "SAME")
    with pytest.raises(ValueError, match=r"\[batch, depth, height, width, channels\]"):
        gf.nn.conv3d(X[0], K, 1, "SAME")
    with pytest.raises(gf.errors.InvalidArgumentError, match="padding"):
        gf.nn.max_pool3d(X, 2, 2, "FULL")
    with pytest.raises(TypeError, match=r"\[1, stride_h, stride_w, 1\]"):
        gf.nn.depthwise_conv2d(X[:, 0], np.zeros((2, 2, 2, 1), np.float32), 1, "SAME")
    with pytest.raises(ValueError, match="output_shape"):
        gf.nn.conv2d_transpose(X[:, 0], np.zeros((2, 2, 4, 2), np.float32), [2, 8, 10, 3], 2)


def test_conv3d_and_pool3d_gradcheck(device):
    rng = np.random.default_rng(1)
    x, k = rng.standard_normal((1, 4, 3, 4, 2)), rng.standard_normal((2, 2, 3, 2, 2))
    assert gradcheck(
        lambda a, b: gf.nn.conv3d(a, b, [1, 2, 1, 1, 1], "SAME"), [x, k], device=device
    )
    assert gradcheck(
        lambda a, b: gf.nn.conv3d(a, b, 1, "VALID", dilations=[1, 2, 1, 1, 1]),
        [x, k],
        device=device,
    )
    assert gradcheck(lambda a: gf.nn.avg_pool3d(a, 2, 1, "SAME"), [x], device=device)
    assert gradcheck(lambda a: gf.nn.max_pool3d(a, [1, 2, 2, 3, 1], 2, "SAME"), [x], device=device)
    d = rng.standard_normal((2, 2, 2, 2))
    assert gradcheck(
        lambda a, b: gf.nn.depthwise_conv2d(a, b, [1, 1, 1, 1], "SAME"), [x[:, 0], d], device=device
    )


def test_dilated_conv3d_equals_the_conv_with_a_spread_kernel():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 6, 5, 6, 2)).astype(np.float32)
    k = rng.standard_normal((2, 2, 2, 2, 3)).astype(np.float32)
    spread = np.zeros((3, 2, 3, 2, 3), np.float32)  # dilations (2, 1, 2): zeros between taps
    spread[::2, :, ::2] = k
    np.testing.assert_allclose(
        gf.nn.conv3d(x, k, 1, "VALID", dilations=[1, 2, 1, 2, 1]).numpy(),
        _conv3d_reference(x, spread),
        rtol=1e-5,
        atol=1e-5,
    )
