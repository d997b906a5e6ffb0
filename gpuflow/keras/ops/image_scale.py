"""``keras.ops.image.scale_and_translate`` (JAX's ``scale_and_translate``, as Keras 3 runs
it on TensorFlow): each spatial axis resampled by a weight matrix of a linear, Keys cubic
or Lanczos kernel (widened by ``1 / scale`` when downscaling with ``antialias``). The
matrices depend only on the sizes, ``scale`` and ``translation``, so they are built on the
host; the resampling is a tensordot, so gradients reach the images."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...ops.linalg import tensordot
from ...ops.math import cast, maximum, minimum
from ...ops.reduce import reduce_max, reduce_min
from ...ops.shape import transpose
from ...ops.unary import round as _round
from ...tensor import Tensor
from ._dtypes import convert_to_tensor

METHODS = (
    "linear",
    "bilinear",
    "trilinear",
    "cubic",
    "bicubic",
    "tricubic",
    "lanczos3",
    "lanczos5",
)


def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


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


_KERNELS = {
    "linear": _triangle,
    "cubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def weight_matrix(size_in: int, size_out: int, scale: float, translation: float, kernel, antialias):
    """``[size_in, size_out]``: the weight of each input sample in each output sample."""
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(size_out) + 0.5) * inv_scale - translation * inv_scale - 0.5
    weights = kernel(np.abs(sample[None, :] - np.arange(size_in)[:, None]) / kernel_scale)
    total = weights.sum(axis=0, keepdims=True)
    weights = np.where(
        np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
        weights / np.where(total != 0, total, 1.0),
        0.0,
    )
    inside = (sample >= -0.5) & (sample <= size_in - 0.5)
    return np.where(inside[None, :], weights, 0.0)


@host_call(effect=False)
def _matrices(scale: Tensor, translation: Tensor, sizes: tuple, method: str, antialias: bool):
    s = scale.numpy().astype(np.float64).reshape(-1)
    t = translation.numpy().astype(np.float64).reshape(-1)
    kernel = _KERNELS[method]
    return [
        Tensor(weight_matrix(m, n, s[i], t[i], kernel, antialias).astype(np.float32), scale.device)
        for i, (m, n) in enumerate(sizes)
    ]


def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """``images`` resampled to ``output_shape`` along ``spatial_dims``: output sample ``o``
    of an axis reads input position ``(o + 0.5 - translation) / scale - 0.5``."""
    if method not in METHODS:
        raise ValueError(
            "scale_and_translate: Invalid value for argument `method`. Expected of one "
            f"{set(METHODS)}. Received: method={method}"
        )
    method = {"bilinear": "linear", "trilinear": "linear", "bicubic": "cubic"}.get(method, method)
    method = "cubic" if method == "tricubic" else method
    x = convert_to_tensor(images)
    dims = [int(d) % x.ndim for d in spatial_dims]
    if not dims:
        return x
    output_shape = tuple(int(n) for n in output_shape)
    if len(output_shape) != x.ndim:
        raise ValueError(
            f"scale_and_translate: output_shape must have one size per axis of images "
            f"({x.ndim}), received {output_shape}"
        )
    scale = cast(convert_to_tensor(scale), "float32")
    translation = cast(convert_to_tensor(translation), "float32")
    if scale.size != len(dims) or translation.size != len(dims):
        raise ValueError(
            f"scale_and_translate: scale and translation need one value per spatial dim "
            f"({len(dims)}), received {scale.size} and {translation.size}"
        )
    sizes = tuple((x.shape[d], output_shape[d]) for d in dims)
    matrices = _matrices(scale, translation, sizes, method, bool(antialias))
    integer = not x.dtype.is_floating
    out = cast(x, "float32") if integer else x
    for d, w in zip(dims, matrices):
        out = tensordot(out, cast(w, out.dtype), axes=[[d], [0]])
        order = list(range(out.ndim - 1))
        order.insert(d, out.ndim - 1)
        out = transpose(out, order)
    if integer:
        low, high = cast(reduce_min(x), "float32"), cast(reduce_max(x), "float32")
        out = cast(minimum(maximum(_round(out), low), high), x.dtype)
    return out
