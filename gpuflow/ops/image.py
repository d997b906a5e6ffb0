"""Image resizing as ``tf.image.resize`` computes it (half-pixel centres, no antialiasing).

Bilinear resizing is linear in the image: it is two small interpolation matrices, one per
axis, applied with ``matmul``, so gradients come from the matmul op. Nearest-neighbour
resizing is a gather of rows and columns.
"""

from __future__ import annotations

import numpy as np

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor
from .math import cast
from .shape import reshape


def _bilinear_matrix(low, high, frac, size_in: int) -> np.ndarray:
    """``[size_out, size_in]`` weights: output i mixes input pixels ``low[i]`` and
    ``high[i]`` (the adjoint of :class:`BilinearAxis`)."""
    rows = np.arange(len(low))
    matrix = np.zeros((len(low), size_in))
    np.add.at(matrix, (rows, low), 1 - frac)
    np.add.at(matrix, (rows, high), frac)
    return matrix


class BilinearAxis(Function):
    """Bilinear resampling of one axis of ``[N, H, W, C]``: each output row (or column)
    mixes the two input ones around its centre, read in place with two takes. The backward
    pass is the transposed interpolation matrix, applied with one matrix product."""

    # What a SavedModel keeps: the taps follow the input's size on each call, so one saved
    # trace resizes images of every size (an input_signature with None height and width).
    _saved_keys = ("axis", "size_out")

    def __init__(self, axis: int, size_in: int, size_out: int) -> None:
        self.axis, self.size_out = axis, size_out
        self._taps(size_in)

    def _taps(self, size_in: int) -> None:
        # TensorFlow's weights, in float32 as its kernel computes them (half-pixel centres)
        size_out = self.size_out
        scale = np.float32(size_in) / np.float32(size_out)
        src = (np.arange(size_out, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)
        floor = np.floor(src)
        self.size_in = size_in
        self.low = np.clip(floor.astype(np.int64), 0, size_in - 1)
        self.high = np.clip(np.ceil(src).astype(np.int64), 0, size_in - 1)
        self.frac = src - floor

    def forward(self, x):
        xp, axis = self.xp, self.axis
        if getattr(self, "size_in", None) != x.shape[axis]:  # a replay at another size
            self._taps(int(x.shape[axis]))
        shape = [1] * x.ndim
        shape[axis] = self.size_out
        frac = xp.asarray(self.frac.reshape(shape), dtype=x.dtype)
        low = xp.take(x, xp.asarray(self.low), axis=axis)
        high = xp.take(x, xp.asarray(self.high), axis=axis)
        return low + (high - low) * frac

    def backward(self, g):
        xp, axis = self.xp, self.axis
        matrix = _bilinear_matrix(self.low, self.high, self.frac, self.size_in)
        matrix = xp.asarray(matrix, dtype=g.dtype)
        moved = xp.moveaxis(g, axis, -1)  # [..., size_out]
        return (xp.moveaxis(moved @ matrix, -1, axis),)


def _nearest_index(size_in: int, size_out: int) -> np.ndarray:
    scale = size_in / size_out
    return np.minimum(np.floor((np.arange(size_out) + 0.5) * scale).astype(np.int64), size_in - 1)


class NearestAxis(Function):
    """Nearest-neighbour resampling of one axis of ``[N, H, W, C]``: a take of the input
    rows (or columns) at the output's centres. The backward pass adds each output's
    gradient to the row it took (a scatter-add, as a gather's)."""

    # What a SavedModel keeps: the indices follow the input's size on each call, so one
    # saved trace resizes images of every size (as BilinearAxis).
    _saved_keys = ("axis", "size_out")

    def __init__(self, axis: int, size_in: int, size_out: int) -> None:
        self.axis, self.size_out = axis, size_out
        self._index(size_in)

    def _index(self, size_in: int) -> None:
        self.size_in = size_in
        self.index = _nearest_index(size_in, self.size_out)

    def forward(self, x):
        if getattr(self, "size_in", None) != x.shape[self.axis]:  # a replay at another size
            self._index(int(x.shape[self.axis]))
        return self.xp.take(x, self.xp.asarray(self.index), axis=self.axis)

    def backward(self, F, g):
        index = (slice(None),) * self.axis + (self.xp.asarray(self.index),)
        return (F.scatter_add(g, index, self._xs[0].shape),)


def resize(images, size, method: str = "bilinear") -> Tensor:
    """Resize ``images [N, H, W, C]`` (or ``[H, W, C]``) to ``size = (height, width)``.

    Args:
        method: ``"bilinear"`` or ``"nearest"``.

    Integer images come back as float32 for bilinear (as TensorFlow).

    Raises:
        ValueError: for another rank, a non-positive size or an unknown method.
    """
    x = as_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"resize: expected images [N, H, W, C] or [H, W, C], received shape {tuple(x.shape)}"
        )
    oh, ow = (int(s) for s in size)
    if oh < 1 or ow < 1:
        raise ValueError(f"resize: size must be two positive ints, received {size!r}")
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"resize: method must be 'bilinear' or 'nearest', received {method!r}")
    single = x.ndim == 3
    if single:
        x = reshape(x, (1,) + tuple(x.shape))
    n, h, w, c = x.shape
    if method == "nearest":
        y = NearestAxis(2, w, ow)(NearestAxis(1, h, oh)(x))
    else:
        if not x.dtype.kind == "f":
            x = cast(x, "float32")
        y = x  # across each row first, then down the columns: TensorFlow's order
        if ow != w:
            y = BilinearAxis(2, w, ow)(y)
        if oh != h:
            y = BilinearAxis(1, h, oh)(y)
    return reshape(y, tuple(y.shape[1:])) if single else y
