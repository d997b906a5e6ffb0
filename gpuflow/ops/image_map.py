"""Lookups at arbitrary coordinates as Keras 3's ``ops.image.map_coordinates`` computes
them on TensorFlow (order 0: nearest, order 1: linear; fill modes constant / nearest /
wrap / mirror / reflect), and the elastic deformation built on them
(``ops.image.elastic_transform`` and the RandomElasticTransform layer).

Which points are read and with what weights depends only on the coordinates, so that plan
is computed on the host (one step of a compiled function); the values are then a weighted
gather of the input, so gradients reach it."""

from __future__ import annotations

import numpy as np

from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor
from .indexing import gather
from .math import cast
from .reduce import reduce_sum
from .shape import expand_dims, reshape
from .unary import round as round_half_even

MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _fix(index: np.ndarray, size: int, fill_mode: str):
    """``(safe index, valid)`` of integer indices along an axis of ``size``."""
    if fill_mode == "constant":
        return np.clip(index, 0, size - 1), (index >= 0) & (index < size)
    if fill_mode == "nearest":
        index = np.clip(index, 0, size - 1)
    elif fill_mode in ("mirror", "reflect"):
        mod = np.abs(index) % (2 * size)
        index = np.where(mod < size, mod, 2 * size - mod)
        if fill_mode == "reflect":
            index = np.where(mod < size, index, index - 1)
    else:  # wrap
        index = index % size
    return np.clip(index, 0, size - 1), np.ones(index.shape, bool)


def _nodes(coordinate: np.ndarray, order: int):
    if order == 0:
        return [(np.round(coordinate).astype(np.int64), np.ones_like(coordinate))]
    lower = np.floor(coordinate)
    upper_weight = coordinate - lower
    lower = lower.astype(np.int64)
    return [(lower, 1.0 - upper_weight), (lower + 1, upper_weight)]


def lookup_plan(coords, sizes, order: int, fill_mode: str, base=0):
    """``(indices [P, K], weights [P, K], fill [P])`` for points ``coords`` (one array per
    axis, of one shape): flat indices (``base`` plus the C-order offset over ``sizes``),
    their weights, and the weight of corners outside the input (``constant`` mode)."""
    strides = [int(np.prod(sizes[i + 1 :], dtype=np.int64)) for i in range(len(sizes))]
    plans = [(base, np.ones_like(coords[0]), np.ones(coords[0].shape, bool))]
    for coord, size, stride in zip(coords, sizes, strides):
        grown = []
        for flat, weight, valid in plans:
            for index, w in _nodes(coord, order):
                safe, ok = _fix(index, size, fill_mode)
                grown.append((flat + safe * stride, weight * w, valid & ok))
        plans = grown
    indices = np.stack([np.broadcast_to(f, coords[0].shape).reshape(-1) for f, _, _ in plans], 1)
    weights = np.stack([np.where(v, w, 0.0).reshape(-1) for _, w, v in plans], 1)
    fill = sum(np.where(v, 0.0, w) for _, w, v in plans).reshape(-1)
    return indices, weights, fill


def _plan_tensors(plan, device):
    indices, weights, fill = plan
    return (
        Tensor(indices.astype(np.int64), device=device),
        Tensor(weights.astype(np.float32), device=device),
        Tensor(fill.astype(np.float32), device=device),
    )


def weighted_lookup(flat, plan, fill_value):
    """The planned reads of ``flat`` ``[M, C]`` (rows of the input): ``[P, C]``."""
    indices, weights, fill = plan
    picked = gather(flat, indices)  # [P, K, C]
    out = reduce_sum(picked * expand_dims(cast(weights, flat.dtype), -1), axis=1)
    if float(fill_value) != 0.0:
        out = out + expand_dims(cast(fill, flat.dtype), -1) * float(fill_value)
    return out


@host_call(effect=False)
def _map_plan(coordinates: Tensor, sizes: tuple, order: int, fill_mode: str):
    c = coordinates.numpy().astype(np.float64)
    return _plan_tensors(lookup_plan(list(c), sizes, order, fill_mode), coordinates.device)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    """The values of ``inputs`` at ``coordinates`` (``[rank(inputs), ...]``, one row of
    positions per axis), interpolated with spline ``order`` 0 or 1.

    Raises:
        ValueError: for coordinates that do not match the rank of ``inputs`` or an unknown
            ``fill_mode``.
        NotImplementedError: for ``order`` above 1.
    """
    x, c = as_tensor(inputs), as_tensor(coordinates)
    if c.ndim < 1 or c.shape[0] != x.ndim:
        raise ValueError(
            "map_coordinates: First dim of `coordinates` must be the same as the rank of "
            f"`inputs`. Received inputs with shape: {tuple(x.shape)} and coordinate leading "
            f"dim of {c.shape[0] if c.ndim else None}"
        )
    if c.ndim < 2:
        raise ValueError(
            "map_coordinates: Invalid coordinates rank: expected at least rank 2. Received "
            f"input with shape: {tuple(c.shape)}"
        )
    if fill_mode not in MAP_FILL_MODES:
        raise ValueError(
            "map_coordinates: Invalid value for argument `fill_mode`. Expected one of "
            f"{set(MAP_FILL_MODES)}. Received: fill_mode={fill_mode}"
        )
    if order not in (0, 1):
        raise NotImplementedError("map_coordinates currently requires order<=1")
    flat = reshape(x, (-1, 1))
    if not flat.dtype.is_floating:
        flat = cast(flat, "float32")
    plan = _map_plan(c, tuple(x.shape), int(order), fill_mode)
    value = fill_value if fill_mode == "constant" else 0.0
    out = reshape(weighted_lookup(flat, plan, value), tuple(c.shape[1:]))
    if not x.dtype.is_floating:
        out = cast(round_half_even(out), x.dtype)
    return out


def _blur(field: np.ndarray, sigma: float) -> np.ndarray:
    """Keras' ``gaussian_blur`` of ``[N, H, W]`` with a ``(6 * int(sigma)) | 1`` kernel,
    zero padding (a separable filter: the same numbers as the 2-D kernel)."""
    if sigma <= 0:  # no displacement (the field is zero)
        return field * 0.0
    size = (6 * int(sigma)) | 1
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel /= kernel.sum()
    half = size // 2
    for axis in (1, 2):
        pad = [(0, 0)] * 3
        pad[axis] = (half, half)
        padded = np.pad(field, pad)
        length = field.shape[axis]
        field = sum(
            kernel[i] * np.take(padded, np.arange(i, i + length), axis=axis) for i in range(size)
        )
    return field


@host_call(effect=False)
def elastic_plan(noise: Tensor, strength: Tensor, order: int, fill_mode: str):
    """The lookup plan of Keras' ``elastic_transform`` for a standard normal ``noise``
    ``[N, H, W]`` and ``strength = (alpha, sigma)``: one blurred field ``sigma * noise``
    displaces both x and y (Keras draws both from one seed) by ``alpha`` times it."""
    n, h, w = noise.shape
    alpha, sigma = (float(v) for v in strength.numpy().reshape(2))
    field = _blur(noise.numpy().astype(np.float64) * sigma, sigma)
    ys = np.arange(h, dtype=np.float64)[None, :, None] + alpha * field
    xs = np.arange(w, dtype=np.float64)[None, None, :] + alpha * field
    base = (np.arange(n, dtype=np.int64) * h * w)[:, None, None]
    plan = lookup_plan([ys, xs], (h, w), order, fill_mode, base=base)
    return _plan_tensors(plan, noise.device)


def elastic_warp(
    images, noise, strength, interpolation="bilinear", fill_mode="reflect", fill_value=0.0
):
    """``images`` ``[N, H, W, C]`` resampled through the elastic plan of ``noise``."""
    x = as_tensor(images)
    n, h, w, c = x.shape
    flat = reshape(x, (n * h * w, c))
    if not flat.dtype.is_floating:
        flat = cast(flat, "float32")
    order = 0 if interpolation == "nearest" else 1
    plan = elastic_plan(noise, cast(as_tensor(strength), "float32"), order, fill_mode)
    value = fill_value if fill_mode == "constant" else 0.0
    return reshape(weighted_lookup(flat, plan, value), (n, h, w, c))
