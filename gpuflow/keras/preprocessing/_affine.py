"""Affine resampling of 2-D images in NumPy, as ``scipy.ndimage.affine_transform``.

``ImageDataGenerator`` (like Keras') maps every output pixel ``o`` to the input point
``matrix @ o + offset`` and interpolates there. This module does what scipy does for
``order`` 0 and 1 and the modes Keras offers (``constant``, ``nearest``, ``reflect``,
``wrap``), boundary quirks included (scipy's ``wrap`` repeats with period ``n - 1``, its
``constant`` does not interpolate towards ``cval`` and out-of-range neighbours of a
point are mirrored), so that gpuflow needs no scipy and gives Keras' results.
"""

from __future__ import annotations

import numpy as np

FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def _map_coordinate(c: np.ndarray, n: int, mode: str) -> np.ndarray:
    """Brings coordinates outside ``[0, n - 1]`` back in per ``mode``; -1 marks ``constant``'s
    outside points. Float64 in, float64 out."""
    c = np.array(c, dtype=np.float64)
    low, high = c < 0, c > n - 1
    if not (low.any() or high.any()):
        return c
    if mode == "nearest":
        c[low], c[high] = 0, n - 1
    elif mode == "constant":
        c[low | high] = -1
    elif n <= 1:
        c[low | high] = 0
    elif mode == "reflect":  # half-sample symmetric, period 2n
        s2 = 2 * n
        v = c[low]
        far = v < -s2
        v[far] = s2 * np.trunc(-v[far] / s2) + v[far]
        c[low] = np.where(v < -n, v + s2, np.where(v > -1e-15, 1e-15, -v) - 1)
        v = c[high]
        v = v - s2 * np.trunc(v / s2)
        c[high] = np.where(v >= n, s2 - v - 1, v)
    elif mode == "wrap":  # scipy's wrap: period n - 1 (first and last sample overlap)
        sz = n - 1
        v = c[low]
        c[low] = v + sz * (np.trunc(-v / sz) + 1)
        v = c[high]
        c[high] = v - sz * np.trunc(v / sz)
    elif mode == "mirror":  # whole-sample symmetric, period 2n - 2
        s2 = 2 * n - 2
        v = c[low]
        v = s2 * np.trunc(-v / s2) + v
        c[low] = np.where(v <= 1 - n, v + s2, -v)
        v = c[high]
        v = v - s2 * np.trunc(v / s2)
        c[high] = np.where(v >= n, s2 - v, v)
    return c


def _neighbour(idx: np.ndarray, n: int, mode: str) -> np.ndarray:
    """Valid indices for interpolation neighbours outside the image (scipy's spline mode)."""
    bad = (idx < 0) | (idx >= n)
    if not bad.any():
        return idx
    spline_mode = "mirror" if mode in ("constant", "wrap") else mode
    idx = idx.copy()
    idx[bad] = _map_coordinate(idx[bad], n, spline_mode).astype(np.intp)
    return np.clip(idx, 0, n - 1)


def _cast(t: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Float64 results to ``dtype`` as scipy writes them (integers rounded half away)."""
    if dtype.kind == "u":
        info = np.iinfo(dtype)
        t = np.where(t > 0, t + 0.5, 0.0)
        return np.clip(t, 0, info.max).astype(dtype)
    if dtype.kind == "i":
        info = np.iinfo(dtype)
        t = np.where(t > 0, t + 0.5, t - 0.5)
        return np.clip(t, info.min, info.max).astype(dtype)
    if dtype.kind == "b":
        return t.astype(dtype)
    return t.astype(dtype)


def affine_transform_2d(
    image: np.ndarray, matrix, offset, order: int = 1, mode: str = "nearest", cval: float = 0.0
) -> np.ndarray:
    """``scipy.ndimage.affine_transform(image, matrix, offset, order=order, mode=mode, cval=cval)``
    for a 2-D ``image`` and a 2x2 ``matrix``; the output has ``image``'s shape and dtype.

    Raises:
        ValueError: another rank, matrix shape, order or mode.
    """
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"affine_transform_2d: expected a 2-D image, received shape {image.shape}")
    matrix = np.asarray(matrix, dtype=np.float64)
    offset = np.asarray(offset, dtype=np.float64).reshape(-1)
    if matrix.shape != (2, 2) or offset.shape != (2,):
        raise ValueError(
            f"affine_transform_2d: expected a 2x2 matrix and 2 offsets, received "
            f"{matrix.shape} and {offset.shape}"
        )
    if order not in (0, 1):
        raise ValueError(
            f"affine_transform_2d: interpolation order must be 0 or 1 without scipy, "
            f"received {order}"
        )
    if mode not in FILL_MODES:
        raise ValueError(
            f"affine_transform_2d: mode must be one of {FILL_MODES}, received {mode!r}"
        )
    h, w = image.shape
    if image.size == 0:
        return image.copy()
    r = np.arange(h, dtype=np.float64)[:, None]
    c = np.arange(w, dtype=np.float64)[None, :]
    cr = (offset[0] + r * matrix[0, 0]) + c * matrix[0, 1]
    cc = (offset[1] + r * matrix[1, 0]) + c * matrix[1, 1]
    cr = _map_coordinate(cr, h, mode)
    cc = _map_coordinate(cc, w, mode)
    outside = ((cr == -1) | (cc == -1)) if mode == "constant" else None
    src = image.astype(np.float64)
    if order == 0:
        r0 = _neighbour(np.floor(cr + 0.5).astype(np.intp), h, mode)
        c0 = _neighbour(np.floor(cc + 0.5).astype(np.intp), w, mode)
        t = src[r0, c0]
    else:
        fr, fc = np.floor(cr), np.floor(cc)
        wr1, wc1 = cr - fr, cc - fc
        wr0, wc0 = 1.0 - wr1, 1.0 - wc1
        r0, c0 = fr.astype(np.intp), fc.astype(np.intp)
        r1, c1 = _neighbour(r0 + 1, h, mode), _neighbour(c0 + 1, w, mode)
        r0, c0 = _neighbour(r0, h, mode), _neighbour(c0, w, mode)
        t = src[r0, c0] * wr0 * wc0
        t = t + src[r0, c1] * wr0 * wc1
        t = t + src[r1, c0] * wr1 * wc0
        t = t + src[r1, c1] * wr1 * wc1
    if outside is not None:
        t = np.where(outside, cval, t)
    return _cast(t, image.dtype)
