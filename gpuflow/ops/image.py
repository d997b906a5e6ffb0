"""Image resizing as ``tf.image.resize`` computes it (half-pixel centres, no antialiasing).

Bilinear resizing is linear in the image: it is two small interpolation matrices, one per
axis, applied with ``matmul``, so gradients come from the matmul op. Nearest-neighbour
resizing is a gather of rows and columns.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._common import as_tensor
from .indexing import gather
from .linalg import matmul
from .math import cast
from .shape import reshape, transpose


def _bilinear_matrix(size_in: int, size_out: int) -> np.ndarray:
    """``[size_out, size_in]`` weights: output i mixes the two input pixels around its centre."""
    scale = size_in / size_out
    src = np.maximum((np.arange(size_out) + 0.5) * scale - 0.5, 0.0)
    low = np.minimum(np.floor(src).astype(np.int64), size_in - 1)
    high = np.minimum(low + 1, size_in - 1)
    frac = src - low
    matrix = np.zeros((size_out, size_in))
    np.add.at(matrix, (np.arange(size_out), low), 1 - frac)
    np.add.at(matrix, (np.arange(size_out), high), frac)
    return matrix


def _nearest_index(size_in: int, size_out: int) -> np.ndarray:
    scale = size_in / size_out
    return np.minimum(np.floor((np.arange(size_out) + 0.5) * scale).astype(np.int64), size_in - 1)


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
        y = gather(gather(x, _nearest_index(h, oh), axis=1), _nearest_index(w, ow), axis=2)
    else:
        if not x.dtype.kind == "f":
            x = cast(x, "float32")
        y = x
        if oh != h:
            a_h = Tensor(_bilinear_matrix(h, oh), device=x.device, dtype=x.dtype)
            y = reshape(matmul(a_h, reshape(y, (n, h, w * c))), (n, oh, w, c))
        if ow != w:
            a_w = Tensor(_bilinear_matrix(w, ow).T, device=x.device, dtype=x.dtype)
            y = transpose(matmul(transpose(y, (0, 1, 3, 2)), a_w), (0, 1, 3, 2))
    return reshape(y, tuple(y.shape[1:])) if single else y
