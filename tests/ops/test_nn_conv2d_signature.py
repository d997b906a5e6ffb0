"""tf.nn.conv2d with TensorFlow's whole signature: dilations, NCHW, explicit padding, name."""

import numpy as np
import pytest

import gpuflow as tf

RNG = np.random.default_rng(0)


def _reference(x, k, stride, dilation):
    """NHWC valid cross-correlation by loops."""
    n, h, w, c = x.shape
    kh, kw, _, f = k.shape
    eh, ew = (kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1
    oh, ow = (h - eh) // stride[0] + 1, (w - ew) // stride[1] + 1
    out = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = x[
                :,
                i * stride[0] : i * stride[0] + eh : dilation[0],
                j * stride[1] : j * stride[1] + ew : dilation[1],
                :,
            ]
            out[:, i, j, :] = np.einsum("nhwc,hwcf->nf", patch, k)
    return out


X = RNG.normal(size=(2, 9, 8, 3))
K = RNG.normal(size=(3, 2, 3, 4))


def test_dilations_match_a_loop_reference():
    got = tf.nn.conv2d(X, K, strides=1, padding="VALID", dilations=[1, 2, 2, 1], name="c")
    np.testing.assert_allclose(got.numpy(), _reference(X, K, (1, 1), (2, 2)), rtol=1e-10)
    got = tf.nn.conv2d(X, K, strides=[1, 2, 1, 1], padding="VALID", dilations=2)
    np.testing.assert_allclose(got.numpy(), _reference(X, K, (2, 1), (2, 2)), rtol=1e-10)


def test_explicit_padding_and_nchw():
    pads = [[0, 0], [1, 2], [0, 1], [0, 0]]
    got = tf.nn.conv2d(X, K, 1, pads)
    np.testing.assert_allclose(
        got.numpy(), _reference(np.pad(X, pads), K, (1, 1), (1, 1)), rtol=1e-10
    )
    x_nchw = X.transpose(0, 3, 1, 2)
    got = tf.nn.conv2d(x_nchw, K, [1, 1, 2, 1], [[0, 0], [0, 0], [1, 2], [0, 1]], "NCHW")
    want = _reference(np.pad(X, pads), K, (2, 1), (1, 1)).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10)


def test_bad_padding_and_layout_say_what_was_expected():
    with pytest.raises(ValueError, match="data_format must be 'NHWC' or 'NCHW'"):
        tf.nn.conv2d(X, K, 1, "VALID", data_format="NWC")
    with pytest.raises(tf.errors.InvalidArgumentError, match="batch and channel"):
        tf.nn.conv2d(X, K, 1, [[1, 0], [0, 0], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match="only fused into undilated"):
        tf.nn.conv2d(X, K, 1, "VALID", dilations=2, activation="relu")
