"""Finite-difference checks (float64) of the ops the layers of issue 15 added: general and
transposed convolution, pad, repeat, image resize; plus their bad-input errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.ops.conv_general import conv2d_general, conv2d_transpose
from gpuflow.ops.image import resize
from gpuflow.ops.spatial import pad, repeat
from gpuflow.testing import gradcheck


def _r(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize(
    "strides,dilation,groups,padding",
    [((1, 1), (2, 2), 1, "same"), ((2, 1), (1, 1), 2, "valid"), ((1, 2), (1, 2), 4, "same")],
)
def test_conv2d_general_gradcheck(device, strides, dilation, groups, padding):
    x, k = _r((1, 5, 6, 4)), _r((2, 3, 4 // groups, 4), 1)
    assert gradcheck(
        lambda a, b: conv2d_general(a, b, strides, padding, dilation, groups), [x, k], device=device
    )


@pytest.mark.parametrize(
    "out_hw,strides,padding", [((6, 5), (2, 2), "same"), ((7, 4), (2, 1), "valid")]
)
def test_conv2d_transpose_gradcheck(device, out_hw, strides, padding):
    x, k = _r((1, 3, 3, 2)), _r((3, 2, 3, 2), 1)
    assert gradcheck(
        lambda a, b: conv2d_transpose(a, b, out_hw, strides, padding), [x, k], device=device
    )


def test_pad_repeat_resize_gradcheck(device):
    x = _r((1, 3, 4, 2))
    assert gradcheck(lambda a: pad(a, ((0, 0), (1, 2), (0, 1), (0, 0)), 0.5), [x], device=device)
    assert gradcheck(lambda a: repeat(a, 3, axis=2), [x], device=device)
    assert gradcheck(lambda a: resize(a, (5, 3), "bilinear"), [x], device=device)
    assert gradcheck(lambda a: resize(a, (2, 7), "nearest"), [x], device=device)


def test_bad_inputs_are_named():
    with pytest.raises(
        ValueError,
        match=r"conv2d: input channels 3 and filters 4 must both divide "
        r"into groups=2",
    ):
        conv2d_general(np.zeros((1, 4, 4, 3)), np.zeros((2, 2, 1, 4)), groups=2)
    with pytest.raises(
        ValueError,
        match=r"conv2d_transpose: kernel \[KH, KW, F_out, C_in\] needs "
        r"C_in = 3",
    ):
        conv2d_transpose(np.zeros((1, 2, 2, 3)), np.zeros((2, 2, 4, 2)), (4, 4), (2, 2))
    with pytest.raises(ValueError, match=r"pad: expected 2 pairs of non-negative ints"):
        pad(np.zeros((2, 2)), ((1, 1),))
    with pytest.raises(ValueError, match=r"resize: method must be 'bilinear' or 'nearest'"):
        resize(np.zeros((1, 2, 2, 1)), (3, 3), "bicubic")
    with pytest.raises(ValueError, match=r"resize: expected images"):
        resize(gf.zeros((2, 2)), (3, 3))


def test_matmul_2d_gradcheck_and_errors(device):
    from gpuflow.ops.recurrent import matmul_2d

    a, b = _r((3, 4)), _r((4, 5), 1)
    assert gradcheck(matmul_2d, [a, b], device=device)
    assert gradcheck(lambda x, y: matmul_2d(x, y.T), [a, _r((5, 4), 2)], device=device)
    with pytest.raises(
        ValueError,
        match=r"matmul_2d: expected \[M, K\] @ \[K, N\], received "
        r"shapes \(3, 4\) and \(5, 4\)",
    ):
        matmul_2d(a, _r((5, 4)))
