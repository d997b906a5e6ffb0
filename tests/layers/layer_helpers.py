"""Helpers of the layer tests: NumPy references, weight swapping for gradcheck, tolerances."""

from __future__ import annotations

import contextlib

import numpy as np
from tolerances import assert_close  # noqa: F401  (re-exported: the project's tolerances per dtype)

import gpuflow as gf


def rand(shape, dtype="float64", seed=0, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(dtype)


@contextlib.contextmanager
def swapped(layer, **tensors):
    """Temporarily replace ``layer.<name>`` (its Variables) by the given tensors."""
    saved = {name: getattr(layer, name) for name in tensors}
    for name, value in tensors.items():
        object.__setattr__(layer, name, value)
    try:
        yield layer
    finally:
        for name, value in saved.items():
            object.__setattr__(layer, name, value)


def as_function(layer, names, **call_kwargs):
    """``f(x, *weights)`` calling ``layer`` with its weights ``names`` replaced, for gradcheck."""

    def fn(x, *weights):
        with swapped(layer, **dict(zip(names, weights))):
            return layer(x, **call_kwargs)

    return fn


def grads(fn, arrays, device, seed=1):
    """Gradients of ``sum(fn(*tensors) * w)`` (``w`` fixed random) w.r.t. each array, and ``w``."""
    tensors = [gf.constant(a, device=device) for a in arrays]
    with gf.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        out = fn(*tensors)
        w = np.random.default_rng(seed).standard_normal(tuple(out.shape)).astype(out.dtype)
        loss = gf.reduce_sum(out * gf.constant(w, device=device))
    return out, [g.numpy() for g in tape.gradient(loss, tensors)], w


# -- NumPy references (float64) -----------------------------------------------------------
def pads(size, k, s, padding):
    if padding == "valid":
        return (size - k) // s + 1, 0
    out = -(-size // s)
    return out, max((out - 1) * s + k - size, 0) // 2


def conv_ref(x, k, b, strides, padding):
    n, h, w, c = x.shape
    kh, kw, _, f = k.shape
    (oh, pt), (ow, pl) = pads(h, kh, strides[0], padding), pads(w, kw, strides[1], padding)
    xp = np.zeros((n, h + 2 * kh, w + 2 * kw, c))
    xp[:, pt : pt + h, pl : pl + w] = x
    y = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = xp[
                :, i * strides[0] : i * strides[0] + kh, j * strides[1] : j * strides[1] + kw, :
            ]
            y[:, i, j, :] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return y + (0 if b is None else b)


def conv_ref_grads(x, k, g, strides, padding):
    """(dx, dk, db) of ``sum(conv(x, k) * g)``."""
    n, h, w, c = x.shape
    kh, kw = k.shape[:2]
    (oh, pt), (ow, pl) = pads(h, kh, strides[0], padding), pads(w, kw, strides[1], padding)
    xp = np.zeros((n, h + 2 * kh, w + 2 * kw, c))
    xp[:, pt : pt + h, pl : pl + w] = x
    dxp, dk = np.zeros_like(xp), np.zeros_like(k, dtype=np.float64)
    for i in range(oh):
        for j in range(ow):
            si, sj = i * strides[0], j * strides[1]
            patch = xp[:, si : si + kh, sj : sj + kw, :]
            dk += np.tensordot(patch, g[:, i, j, :], axes=([0], [0]))
            dxp[:, si : si + kh, sj : sj + kw, :] += np.tensordot(g[:, i, j, :], k, axes=([1], [3]))
    return dxp[:, pt : pt + h, pl : pl + w], dk, g.sum(axis=(0, 1, 2))


def pool_ref(x, pool, strides, padding, mode):
    """Forward and a function giving d(sum(y * g))/dx, by explicit windows."""
    n, h, w, c = x.shape
    (oh, pt), (ow, pl) = (
        pads(h, pool[0], strides[0], padding),
        pads(w, pool[1], strides[1], padding),
    )
    y = np.zeros((n, oh, ow, c))
    windows = {}
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * strides[0] - pt, j * strides[1] - pl
            rows = range(max(r0, 0), min(r0 + pool[0], h))
            cols = range(max(c0, 0), min(c0 + pool[1], w))
            block = x[:, rows.start : rows.stop, cols.start : cols.stop, :]
            windows[i, j] = (rows, cols)
            y[:, i, j] = block.max(axis=(1, 2)) if mode == "max" else block.mean(axis=(1, 2))

    def backward(g):
        dx = np.zeros(x.shape)
        for (i, j), (rows, cols) in windows.items():
            block = x[:, rows.start : rows.stop, cols.start : cols.stop, :]
            if mode == "max":
                flat = block.reshape(n, -1, c)
                arg = flat.argmax(axis=1)
                for b in range(n):
                    for ch in range(c):
                        r, q = divmod(arg[b, ch], len(cols))
                        dx[b, rows.start + r, cols.start + q, ch] += g[b, i, j, ch]
            else:
                dx[:, rows.start : rows.stop, cols.start : cols.stop, :] += g[
                    :, i, j, None, None, :
                ] / (len(rows) * len(cols))
        return dx

    return y, backward


def softmax_ref(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
