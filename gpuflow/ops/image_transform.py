"""Projective image transforms as TensorFlow's ``ImageProjectiveTransformV3`` computes them
(what Keras' ``ops.image.affine_transform`` and the RandomRotation / RandomZoom /
RandomTranslation layers run on the TensorFlow backend).

Each transform ``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps an output pixel ``(x, y)`` to the
input point ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``.
Points outside the image are mapped back by ``fill_mode`` (``reflect``: d c b a | a b c d;
``wrap``: a b c d | a b c d; ``nearest``: a a a a | a b c d; ``constant``: ``fill_value``).
The sampling positions and weights depend only on the transform, so they are computed on
the host (one step of a compiled function); the image is then a weighted gather, so
gradients flow to it.
"""

from __future__ import annotations

import numpy as np

from .._tracing import host_call
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor
from .math import cast
from .shape import expand_dims, reshape

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _reflect(coord, length):
    if length <= 1:
        return np.zeros_like(coord)
    size2 = 2.0 * length
    low = coord < 0
    c = np.where(low & (coord < size2), size2 * np.trunc(-coord / size2) + coord, coord)
    c = np.where(low, np.where(c < -length, c + size2, -c - 1), c)
    high = coord > length - 1
    h = coord - size2 * np.trunc(coord / size2)
    h = np.where(h >= length, size2 - h - 1, h)
    return np.clip(np.where(high, h, c), 0, length - 1)


def _wrap(coord, length):
    if length <= 1:
        return np.zeros_like(coord)
    size = length - 1.0
    low = coord + length * (np.trunc(-coord / size) + 1)
    high = coord - length * np.trunc(coord / size)
    c = np.where(coord < 0, low, np.where(coord > length - 1, high, coord))
    return np.clip(c, 0, length - 1)


def _map(coord, length, fill_mode):
    if fill_mode in ("reflect", "wrap"):
        # only the points outside the image move: map those alone (most points are inside)
        outside = (coord < 0) | (coord > length - 1)
        if not outside.any():
            return coord
        fold = _reflect if fill_mode == "reflect" else _wrap
        mapped = coord.copy()
        mapped[outside] = fold(coord[outside], length)
        return mapped
    if fill_mode == "nearest":
        return np.clip(coord, 0, length - 1)
    return coord


def _round(v):
    """C's round: halves away from zero (NumPy rounds them to even)."""
    return np.sign(v) * np.floor(np.abs(v) + 0.5)


@host_call(effect=False)
def _sampling(transforms: Tensor, shape, interpolation: str, fill_mode: str, device):
    """``(indices [K, N*OH*OW], weights [K, N*OH*OW, 1], outside [N*OH*OW])``: the K input
    pixels each output pixel mixes (flat indices into ``[N*H*W]``), their weights, and the
    weight that falls outside the image (it takes ``fill_value``)."""
    n, h, w = shape
    # float32 throughout, as TensorFlow's kernel computes the coordinates
    t = transforms.numpy().astype(np.float32).reshape(-1, 8)
    if t.shape[0] == 1 and n > 1:
        t = np.repeat(t, n, axis=0)
    ys, xs = np.meshgrid(
        np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing="ij"
    )
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i, None, None] for i in range(8))
    k = c0 * xs + c1 * ys + 1.0
    x_in = _map((a0 * xs + a1 * ys + a2) / k, w, fill_mode)
    y_in = _map((b0 * xs + b1 * ys + b2) / k, h, fill_mode)
    # each output pixel mixes the corners (row, column) of its point, rows outer
    if interpolation == "nearest":
        ones = np.ones_like(x_in)
        rows, cols = [(_round(y_in), ones)], [(_round(x_in), ones)]
    else:
        y0, x0 = np.floor(y_in), np.floor(x_in)
        dy, dx = y_in - y0, x_in - x0
        rows, cols = [(y0, 1 - dy), (y0 + 1, dy)], [(x0, 1 - dx), (x0 + 1, dx)]
    base = (np.arange(n) * h * w)[:, None, None]
    rows = [
        (base + np.clip(y, 0, h - 1).astype(np.int64) * w, (y >= 0) & (y <= h - 1), wy)
        for y, wy in rows
    ]
    cols = [(np.clip(x, 0, w - 1).astype(np.int64), (x >= 0) & (x <= w - 1), wx) for x, wx in cols]
    # corner-major: [K, P] indices and [K, P, 1] weights, each corner's row contiguous
    indices = np.empty((len(rows) * len(cols), n * h * w), dtype=np.int64)
    weights = np.empty(indices.shape + (1,), dtype=np.float32)
    for r, (row, row_inside, wy) in enumerate(rows):
        for c, (col, col_inside, wx) in enumerate(cols):
            corner = r * len(cols) + c
            np.add(row, col, out=indices[corner].reshape(n, h, w))
            np.multiply(wy, wx, out=weights[corner].reshape(n, h, w))
            weights[corner].reshape(n, h, w)[~(row_inside & col_inside)] = 0.0
    outside = 1.0 - weights.sum(axis=0).reshape(-1)  # the corners' weights sum to 1
    return (
        Tensor(indices, device=device),
        Tensor(weights, device=device),
        Tensor(outside.astype(np.float32), device=device),
    )


class WeightedGather(Function):
    """``out[p] = sum_k flat[indices[k, p]] * weights[k, p]``: each output pixel's mix of
    the ``K`` input pixels it samples (rows of ``flat [N*H*W, C]``), one row gather per
    ``k`` and no ``[P, K, C]`` intermediate. The gradient flows to ``flat`` only."""

    def forward(self, flat, indices, weights):
        self.indices = indices  # [K, P]; weights [K, P, 1]
        out = flat[indices[0]] * weights[0]
        for k in range(1, indices.shape[0]):
            out += flat[indices[k]] * weights[k]
        return out

    def backward(self, F, g):
        flat, _, weights = F.inputs(self)
        grad = None
        for k in range(self.indices.shape[0]):
            part = F.scatter_add(g * F.getitem(weights, k), self.indices[k], flat.shape)
            grad = part if grad is None else grad + part
        return grad, None, None


def affine_transform(
    images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0.0
) -> Tensor:
    """Images ``[N, H, W, C]`` (or ``[H, W, C]``) sampled through ``transform`` (``[8]`` or
    ``[N, 8]``), as Keras' ``ops.image.affine_transform`` on the TensorFlow backend.

    Raises:
        ValueError: for an unknown interpolation or fill mode, or badly shaped inputs.
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"affine_transform: interpolation must be one of {INTERPOLATIONS}, received "
            f"{interpolation!r}"
        )
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"affine_transform: fill_mode must be one of {FILL_MODES}, received {fill_mode!r}"
        )
    x = as_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"affine_transform: expected images [N, H, W, C] or [H, W, C], received shape "
            f"{tuple(x.shape)}"
        )
    single = x.ndim == 3
    if single:
        x = expand_dims(x, 0)
    t = as_tensor(transform, device=x.device)
    if t.shape not in ((8,), (1, 8), (x.shape[0], 8)):
        raise ValueError(
            f"affine_transform: transform must be [8] or [batch, 8] = [{x.shape[0]}, 8], "
            f"received shape {tuple(t.shape)}"
        )
    n, h, w, c = x.shape
    indices, weights, outside = _sampling(t, (n, h, w), interpolation, fill_mode, x.device)
    flat = reshape(x, (n * h * w, c))
    if not flat.dtype.is_floating:
        flat = cast(flat, "float32")
    mixed = WeightedGather()(flat, indices, cast(weights, flat.dtype))
    if fill_mode == "constant" and float(fill_value) != 0.0:
        mixed = mixed + expand_dims(cast(outside, flat.dtype), -1) * float(fill_value)
    out = reshape(mixed, (n, h, w, c))
    return reshape(out, (h, w, c)) if single else out


def affine_matrix(angle, translate_x, translate_y, scale, shear_x, shear_y, height, width):
    """Keras' ``_compute_affine_matrix`` about the image centre: ``[N, 8]`` transforms of
    angles in degrees (NumPy arrays of ``[N]``)."""
    rad = np.pi / 180.0
    angle, shear_x, shear_y = angle * rad, np.tan(shear_x * rad), np.tan(shear_y * rad)
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    cos, sin = np.cos(angle), np.sin(angle)
    a0 = scale * (cos + shear_x * sin)
    a1 = scale * (-sin + shear_x * cos)
    a2 = translate_x + cx - cx * a0 - cy * a1
    b0 = scale * (shear_y * cos + sin)
    b1 = scale * (shear_y * -sin + cos)
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = np.zeros_like(a0)
    return np.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1).astype(np.float32)


@host_call(effect=False)
def rotation_matrix(angles: Tensor, h: int, w: int) -> Tensor:
    """RandomRotation's ``[N, 8]`` transforms: ``angles`` (degrees, ``[N]``) about the centre
    of ``h x w`` images (a saveable host call: traced and exported models replay it)."""
    a = angles.numpy().astype(np.float64)
    zeros, ones = np.zeros_like(a), np.ones_like(a)
    return Tensor(affine_matrix(a, zeros, zeros, ones, zeros, zeros, h, w), device=angles.device)


@host_call(effect=False)
def zoom_matrix(height_zoom: Tensor, width_zoom: Tensor, h: int, w: int) -> Tensor:
    """RandomZoom's ``[N, 8]`` transforms: scales ``height_zoom`` / ``width_zoom`` (``[N]``)
    about the centre of ``h x w`` images (a saveable host call)."""
    zy, zx = height_zoom.numpy().astype(np.float64), width_zoom.numpy().astype(np.float64)
    zeros = np.zeros_like(zx)
    matrix = np.stack(
        [
            zx,
            zeros,
            (w - 1.0) / 2.0 * (1.0 - zx),
            zeros,
            zy,
            (h - 1.0) / 2.0 * (1.0 - zy),
            zeros,
            zeros,
        ],
        axis=1,
    )
    return Tensor(matrix.astype(np.float32), device=height_zoom.device)


@host_call(effect=False)
def translation_matrix(dy: Tensor, dx: Tensor, h: int, w: int) -> Tensor:
    """RandomTranslation's ``[N, 8]`` transforms: shifts ``dy`` / ``dx`` (``[N]``, fractions of
    ``h`` and ``w``) (a saveable host call)."""
    ty, tx = dy.numpy().astype(np.float64) * h, dx.numpy().astype(np.float64) * w
    zeros, ones = np.zeros_like(tx), np.ones_like(tx)
    matrix = np.stack([ones, zeros, -tx, zeros, ones, -ty, zeros, zeros], axis=1)
    return Tensor(matrix.astype(np.float32), device=dy.device)


def homography(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Keras' ``compute_homography_matrix``: the ``[N, 8]`` projective transforms mapping
    each ``end`` corner (output pixel) to its ``start`` corner (input point); corners
    ``[N, 4, 2]`` of ``(x, y)``."""
    n = start.shape[0]
    a = np.zeros((n, 8, 8))
    for i in range(4):
        (sx, sy), (ex, ey) = start[:, i].T, end[:, i].T
        a[:, 2 * i] = np.stack([ex, ey, np.ones(n), 0 * ex, 0 * ex, 0 * ex, -sx * ex, -sx * ey], 1)
        a[:, 2 * i + 1] = np.stack(
            [0 * ex, 0 * ex, 0 * ex, ex, ey, np.ones(n), -sy * ex, -sy * ey], 1
        )
    return np.linalg.solve(a, start.reshape(n, 8, 1)).reshape(n, 8)


@host_call(effect=False)
def perspective_matrix(offsets: Tensor, height: int, width: int) -> Tensor:
    """RandomPerspective's ``[N, 8]`` transforms: each corner of ``height x width`` images
    moved by ``offsets`` (``[N, 4, 2]``, fractions of its coordinates) (a saveable host
    call)."""
    start = np.array(
        [[0.0, 0.0], [width - 1.0, 0.0], [0.0, height - 1.0], [width - 1.0, height - 1.0]]
    )
    start = np.repeat(start[None], offsets.shape[0], axis=0)
    end = start + start * offsets.numpy().astype(np.float64)
    return Tensor(homography(start, end).astype(np.float32), device=offsets.device)
