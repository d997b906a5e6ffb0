"""``tf.image.resize`` methods that are separable weighted sums, done as two matrix products
(differentiable, on the images' device): ``bicubic`` without antialias (TensorFlow 2's
ResizeBicubic with half-pixel centres: Keys cubic, a = -0.5, its 1024-entry coefficient
table, taps outside the image dropped and the rest renormalised) and ``area`` (ResizeArea:
each output pixel the mean of the input area it covers)."""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from .linalg import einsum
from .math import cast

_TABLE_SIZE = 1024


def _keys_table(a: float = -0.5) -> np.ndarray:
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float64) / _TABLE_SIZE
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    x1 = x + 1.0
    far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return np.stack([near, far], axis=1).astype(np.float32)


_KEYS = _keys_table()


def bicubic_matrix(in_size: int, out_size: int) -> np.ndarray:
    """``[out_size, in_size]`` float32 weights of TensorFlow's half-pixel bicubic resize."""
    scale = np.float32(in_size / out_size)
    weights = np.zeros((out_size, in_size), np.float32)
    for out in range(out_size):
        loc = (np.float32(out) + np.float32(0.5)) * scale - np.float32(0.5)
        base = math.floor(loc)
        offset = int(np.rint((loc - np.float32(base)) * np.float32(_TABLE_SIZE)))
        taps = (
            (base - 1, _KEYS[offset, 1]),
            (base, _KEYS[offset, 0]),
            (base + 1, _KEYS[_TABLE_SIZE - offset, 0]),
            (base + 2, _KEYS[_TABLE_SIZE - offset, 1]),
        )
        inside = [(i, w) for i, w in taps if 0 <= i < in_size]
        total = np.float32(sum(w for _, w in inside))
        norm = np.float32(1.0) / total if abs(total) >= 1000.0 * np.finfo(np.float32).tiny else 1
        for i, w in inside:
            weights[out, i] += w * norm
    return weights


def area_matrix(in_size: int, out_size: int) -> np.ndarray:
    """``[out_size, in_size]`` weights of TensorFlow's area resize: the overlap of each input
    pixel with the output pixel's span, over the span's length."""
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), np.float64)
    for out in range(out_size):
        start, end = out * scale, (out + 1) * scale
        for i in range(math.floor(start), math.ceil(end)):
            overlap = min(i + 1, end) - max(i, start)
            weights[out, min(i, in_size - 1)] += overlap / scale
    return weights.astype(np.float32)


def resize_separable(images: Tensor, size, method: str) -> Tensor:
    """``images [N, H, W, C]`` or ``[H, W, C]`` resized to ``size`` by ``method``
    (``"bicubic"`` or ``"area"``), float32 as TensorFlow."""
    make = bicubic_matrix if method == "bicubic" else area_matrix
    x = images if images.dtype == dtypes.float32 else cast(images, dtypes.float32)
    h, w = x.shape[-3], x.shape[-2]
    rows = Tensor(make(h, int(size[0])), device=x._device)
    cols = Tensor(make(w, int(size[1])), device=x._device)
    if x.ndim == 4:
        return einsum("ia,nabc,jb->nijc", rows, x, cols)
    return einsum("ia,abc,jb->ijc", rows, x, cols)
