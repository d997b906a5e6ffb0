"""NumPy float64 references for the kernel tests: dense, conv geometry, im2col/col2im."""

from __future__ import annotations

import math

import numpy as np


def tf_pads(size: int, k: int, s: int, padding: str) -> tuple[int, int]:
    """``(out, pad_before)`` as TensorFlow computes them for one spatial axis."""
    if padding == "valid":
        return (size - k) // s + 1, 0
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return out, total // 2


def dense_forward(x, w, b, relu):
    out = x.astype(np.float64) @ w.astype(np.float64)
    if b is not None:
        out = out + b
    return np.maximum(out, 0) if relu else out


def dense_backward(x, w, out, g, relu):
    gm = g.astype(np.float64) * (out > 0) if relu else g.astype(np.float64)
    return gm @ w.astype(np.float64).T, x.astype(np.float64).T @ gm, gm.sum(axis=0)


def im2col(x, kh, kw, sh, sw, pt, pl, oh, ow):
    n, h, w, c = x.shape
    cols = np.zeros((n, oh, ow, kh, kw, c), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            for a in range(oh):
                for b in range(ow):
                    ih, iw = a * sh - pt + i, b * sw - pl + j
                    if 0 <= ih < h and 0 <= iw < w:
                        cols[:, a, b, i, j, :] = x[:, ih, iw, :]
    return cols.reshape(n * oh * ow, kh * kw * c)


def col2im(cols, x_shape, kh, kw, sh, sw, pt, pl, oh, ow):
    n, h, w, c = x_shape
    cols = cols.astype(np.float64).reshape(n, oh, ow, kh, kw, c)
    dx = np.zeros(x_shape, dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            for a in range(oh):
                for b in range(ow):
                    ih, iw = a * sh - pt + i, b * sw - pl + j
                    if 0 <= ih < h and 0 <= iw < w:
                        dx[:, ih, iw, :] += cols[:, a, b, i, j, :]
    return dx


def conv2d_direct(x, kernel, sh, sw, pt, pl, oh, ow):
    """Direct conv2d (Keras layout), independent of im2col."""
    n, h, w, c = x.shape
    kh, kw, _, f = kernel.shape
    out = np.zeros((n, oh, ow, f))
    for a in range(oh):
        for b in range(ow):
            for i in range(kh):
                for j in range(kw):
                    ih, iw = a * sh - pt + i, b * sw - pl + j
                    if 0 <= ih < h and 0 <= iw < w:
                        out[:, a, b, :] += x[:, ih, iw, :].astype(np.float64) @ kernel[i, j].astype(
                            np.float64
                        )
    return out
