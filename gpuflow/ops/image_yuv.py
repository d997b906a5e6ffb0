"""``tf.image.rgb_to_yuv`` / ``yuv_to_rgb`` / ``rgb_to_yiq`` / ``yiq_to_rgb``: the last axis
times TensorFlow's 3x3 colour matrices (differentiable, float images)."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._common import as_tensor
from .linalg import tensordot

# TensorFlow's kernels (tensorflow/python/ops/image_ops_impl.py), rows: input channels
_RGB_TO_YUV = [
    [0.299, -0.14714119, 0.61497538],
    [0.587, -0.28886916, -0.51496512],
    [0.114, 0.43601035, -0.10001026],
]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]
_RGB_TO_YIQ = [
    [0.299, 0.59590059, 0.2115],
    [0.587, -0.27455667, -0.52273617],
    [0.114, -0.32134392, 0.31119955],
]
_YIQ_TO_RGB = [
    [1, 1, 1],
    [0.95598634, -0.27201283, -1.10674021],
    [0.6208248, -0.64720424, 1.70423049],
]


def _convert(images, kernel, op: str) -> Tensor:
    x = as_tensor(images)
    if x.ndim < 1 or x.shape[-1] != 3:
        raise ValueError(
            f"{op}: expected images with 3 channels in the last axis, received shape "
            f"{tuple(x.shape)}"
        )
    if not x.dtype.is_floating:
        raise TypeError(f"{op}: expected float images, received dtype {x.dtype.name}")
    matrix = Tensor(np.asarray(kernel, dtype=x.dtype.as_numpy_dtype), device=x.device)
    return tensordot(x, matrix, axes=[[x.ndim - 1], [0]])


def rgb_to_yuv(images) -> Tensor:
    """RGB (values in [0, 1]) to YUV: Y in [0, 1], U and V in about [-0.5, 0.5]."""
    return _convert(images, _RGB_TO_YUV, "rgb_to_yuv")


def yuv_to_rgb(images) -> Tensor:
    """YUV back to RGB (the inverse of ``rgb_to_yuv``)."""
    return _convert(images, _YUV_TO_RGB, "yuv_to_rgb")


def rgb_to_yiq(images) -> Tensor:
    """RGB to YIQ (NTSC)."""
    return _convert(images, _RGB_TO_YIQ, "rgb_to_yiq")


def yiq_to_rgb(images) -> Tensor:
    """YIQ back to RGB."""
    return _convert(images, _YIQ_TO_RGB, "yiq_to_rgb")
