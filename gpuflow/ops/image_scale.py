"""Separable resampling by kernel weight matrices, as TensorFlow's ``ScaleAndTranslate``
op (and JAX's ``scale_and_translate``) computes it: output sample ``o`` of an axis reads
input position ``(o + 0.5 - translation) / scale - 0.5`` through a triangle, Keys cubic,
Lanczos, Gaussian or Mitchell-Netravali kernel, widened by ``1 / scale`` when downscaling
with ``antialias``; weights are renormalised and samples outside the input are zero.

This is ``tf.image.resize`` with ``antialias=True`` or a Lanczos / Gaussian /
Mitchell-cubic method, and ``keras.ops.image.scale_and_translate``. The matrices depend only
on the sizes, scales and translations, so they are built on the host (one step of a
compiled function); the resampling is a tensordot per axis, so gradients reach the images.
"""

from __future__ import annotations

import numpy as np

from .._tracing import host_call
from ..tensor import Tensor
from .linalg import tensordot
from .math import cast
from .shape import transpose


def _triangle(x):
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x):
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return np.where(x >= 2.0, 0.0, out)


def _lanczos(radius):
    def kernel(x):
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        safe = np.where(x != 0, np.pi**2 * x**2, 1.0)
        out = np.where(x > 1e-3, y / safe, 1.0)
        return np.where(x > radius, 0.0, out)

    return kernel


def _gaussian(x, radius=1.5):
    sigma = radius / 3.0
    return np.where(x >= radius, 0.0, np.exp(-x * x / (2.0 * sigma * sigma)))


def _mitchell_cubic(x):
    far = (((-7.0 / 18.0) * x + 2.0) * x - 10.0 / 3.0) * x + 16.0 / 9.0
    near = (((7.0 / 6.0) * x - 2.0) * x) * x + 8.0 / 9.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))


KERNELS = {
    "triangle": _triangle,
    "keyscubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
    "gaussian": _gaussian,
    "mitchellcubic": _mitchell_cubic,
}


def weight_matrix(size_in, size_out, scale, translation, kernel, antialias) -> np.ndarray:
    """``[size_in, size_out]``: the weight of each input sample in each output sample.

    The kernel positions are computed in float32 in the order of TensorFlow's kernel
    (``(i + 0.5 - sample) * (1 / kernel_scale)``), so taps exactly at a kernel's radius
    fall on the same side as there."""
    f32 = np.float32
    inv_scale = f32(1.0) / f32(scale)
    kernel_scale = max(inv_scale, f32(1.0)) if antialias else f32(1.0)
    sample = (np.arange(size_out, dtype=f32) + f32(0.5)) * inv_scale - inv_scale * f32(translation)
    positions = np.arange(size_in, dtype=f32)[:, None] + f32(0.5) - sample[None, :]
    weights = kernel(np.abs(positions * (f32(1.0) / kernel_scale)).astype(np.float64))
    total = weights.sum(axis=0, keepdims=True)
    weights = np.where(
        np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
        weights / np.where(total != 0, total, 1.0),
        0.0,
    )
    inside = (sample >= 0.0) & (sample <= size_in)
    return np.where(inside[None, :], weights, 0.0)


@host_call(effect=False)
def _matrices(scale, translation, sizes: tuple, kernel: str, antialias: bool, device):
    s = scale.numpy().astype(np.float64).reshape(-1) if isinstance(scale, Tensor) else scale
    t = (
        translation.numpy().astype(np.float64).reshape(-1)
        if isinstance(translation, Tensor)
        else translation
    )
    fn = KERNELS[kernel]
    return [
        Tensor(weight_matrix(m, n, s[i], t[i], fn, antialias).astype(np.float32), device=device)
        for i, (m, n) in enumerate(sizes)
    ]


def scale_and_translate(x: Tensor, dims, sizes_out, scale, translation, kernel, antialias):
    """Float ``x`` resampled along axes ``dims`` to ``sizes_out`` (``scale`` and
    ``translation``: one value per axis, tensors or sequences)."""
    sizes = tuple((x.shape[d], int(n)) for d, n in zip(dims, sizes_out))
    if not isinstance(scale, Tensor):
        scale = tuple(float(v) for v in scale)
    if not isinstance(translation, Tensor):
        translation = tuple(float(v) for v in translation)
    matrices = _matrices(scale, translation, sizes, kernel, bool(antialias), x.device)
    out = x
    for d, w in zip(dims, matrices):
        out = tensordot(out, cast(w, out.dtype), axes=[[d], [0]])
        order = list(range(out.ndim - 1))
        order.insert(d, out.ndim - 1)
        out = transpose(out, order)
    return out
