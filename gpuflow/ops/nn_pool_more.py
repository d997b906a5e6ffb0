"""Morphological and index-returning pools of ``tf.nn``: ``dilation2d``, ``erosion2d``,
``max_pool_with_argmax``, ``fractional_max_pool``, ``fractional_avg_pool``.

``dilation2d`` is a max over the window taps of shifted strided slices plus the filter
(padding holds ``-inf``, so it never wins); ``max_pool_with_argmax`` finds TensorFlow's
flattened argmax on the host and gathers the outputs with it, so the gradient reaches the
chosen element; the fractional pools are separable max / mean reductions over their row and
column pooling regions. All are compositions of differentiable ops.
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument


def _nhwc(x, op) -> Tensor:
    x = as_tensor(x)
    if x.ndim != 4:
        raise invalid_argument(
            op, f"input must be 4-D [batch, height, width, channels], received {tuple(x.shape)}"
        )
    return x


def _four(value, name, op) -> tuple:
    from .nn_conv import _two

    return _two(value, name, op)


def _windows(in_hw, k_hw, strides, rates, padding, op):
    """Output size and top/left padding of each spatial axis."""
    from ..backend.geometry import conv_geometry
    from .conv3d import padding_mode

    mode = padding_mode(padding, op)
    out, pads = [], []
    for size, k, s, r in zip(in_hw, k_hw, strides, rates):
        o, before, after = conv_geometry(size, (k - 1) * r + 1, s, mode)
        if o < 1:
            raise invalid_argument(
                op, f"the (dilated) window {k_hw} does not fit the input {in_hw} ({padding})"
            )
        out.append(o)
        pads.append((before, after))
    return out, pads


def dilation2d(input, filters, strides, padding, data_format, dilations, name=None) -> Tensor:  # noqa: A002
    """Grayscale dilation: ``out[b, y, x, c] = max_{i, j} input[b, y*sh + i*rh, x*sw + j*rw,
    c] + filters[i, j, c]`` (``input`` padded for ``"SAME"``)."""
    from .math import add
    from .rearrange import pad
    from .reduce import reduce_max
    from .shape import stack

    op = "dilation2d"
    if data_format != "NHWC":
        raise ValueError(f"{op}: data_format must be 'NHWC', received {data_format!r}")
    x = _nhwc(input, op)
    k = as_tensor(filters, device=x._device)
    if k.ndim != 3 or k.shape[2] != x.shape[3]:
        raise invalid_argument(
            op,
            f"filters must be [height, width, {x.shape[3]}], received shape {tuple(k.shape)}",
        )
    if k.dtype != x.dtype:
        from .math import cast

        k = cast(k, x.dtype)
    (sh, sw), (rh, rw) = _four(strides, "strides", op), _four(dilations, "dilations", op)
    kh, kw = k.shape[:2]
    (oh, ow), ((pt, pb), (pl, pr)) = _windows(
        x.shape[1:3], (kh, kw), (sh, sw), (rh, rw), padding, op
    )
    if pt or pb or pl or pr:
        x = pad(x, [[0, 0], [pt, pb], [pl, pr], [0, 0]], constant_values=-np.inf)
    taps = []
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * rh, i * rh + sh * (oh - 1) + 1, sh)
            cols = slice(j * rw, j * rw + sw * (ow - 1) + 1, sw)
            taps.append(add(x[:, rows, cols, :], k[i, j]))
    return reduce_max(stack(taps, axis=-1), axis=-1)


def erosion2d(value, filters, strides, padding, data_format, dilations, name=None) -> Tensor:
    """Grayscale erosion: ``-dilation2d(-value, reversed filters)``."""
    from .rearrange import reverse

    k = as_tensor(filters)
    return -dilation2d(
        -as_tensor(value), reverse(k, [0, 1]), strides, padding, data_format, dilations
    )


def max_pool_with_argmax(
    input,  # noqa: A002
    ksize,
    strides,
    padding,
    data_format="NHWC",
    output_dtype=dtypes.int64,
    include_batch_in_index=False,
    name=None,
):
    """``(output, argmax)``: the max pool and, for each output, the flattened index
    ``((b * height + y) * width + x) * channels + c`` of the maximum (without the ``b``
    term unless ``include_batch_in_index``); the first maximum in row-major window order."""
    from .indexing import gather
    from .shape import reshape

    op = "max_pool_with_argmax"
    if data_format != "NHWC":
        raise ValueError(f"{op}: data_format must be 'NHWC', received {data_format!r}")
    out_dtype = dtypes.as_dtype(output_dtype)
    if out_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"{op}: output_dtype must be int32 or int64, received {out_dtype.name}")
    x = _nhwc(input, op)
    (kh, kw), (sh, sw) = _four(ksize, "ksize", op), _four(strides, "strides", op)
    n, h, w, c = x.shape
    (oh, ow), ((pt, pb), (pl, pr)) = _windows((h, w), (kh, kw), (sh, sw), (1, 1), padding, op)
    data = x.numpy()
    low = -np.inf if dtypes.kind(data.dtype) == "f" else np.iinfo(data.dtype).min
    padded = np.pad(data, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=low)
    best = np.full((n, oh, ow, c), low, dtype=data.dtype)
    where = np.full((n, oh, ow, c), -1, dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            tap = padded[:, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
            y = np.arange(oh) * sh + i - pt
            xx = np.arange(ow) * sw + j - pl
            inside = ((y >= 0) & (y < h))[:, None] & ((xx >= 0) & (xx < w))[None, :]
            flat = (y[:, None] * w + xx[None, :]) * c
            better = (tap > best) | ((where < 0) & inside[None, :, :, None])
            better &= inside[None, :, :, None]
            best = np.where(better, tap, best)
            where = np.where(better, flat[None, :, :, None] + np.arange(c), where)
    with_batch = where + (np.arange(n) * h * w * c)[:, None, None, None]
    out = reshape(
        gather(reshape(x, [-1]), Tensor(with_batch.reshape(-1), device=x._device)), (n, oh, ow, c)
    )
    index = with_batch if include_batch_in_index else where
    from .op_results import MaxPoolWithArgmax

    return MaxPoolWithArgmax(out, Tensor(index.astype(out_dtype.as_numpy_dtype)))


def _pooling_sequence(length, out, pseudo_random, rng):
    """TensorFlow's fractional pooling boundaries: ``out + 1`` cumulative row indices."""
    if length % out == 0:
        diff = [length // out] * out
    elif pseudo_random:
        alpha = length / out
        k = length // out
        max_u = min((k + 2) / alpha - 1, (length + 1 - k) / alpha - (out - 1))
        u = rng.random() * max_u
        cum = [1] + [int(math.ceil(alpha * (i + u))) for i in range(1, out)] + [length + 1]
        diff = [cum[i + 1] - cum[i] for i in range(out)]
    else:
        diff = [length // out + (1 if i < length % out else 0) for i in range(out)]
        rng.shuffle(diff)
    return np.concatenate([[0], np.cumsum(diff)]).astype(np.int64)


def _fractional(op, reduce, value, pooling_ratio, pseudo_random, overlapping, seed):
    from .. import random as _random
    from .shape import stack

    x = _nhwc(value, op)
    ratio = [float(r) for r in pooling_ratio]
    if len(ratio) != 4 or ratio[0] != 1.0 or ratio[3] != 1.0 or min(ratio[1:3]) < 1.0:
        raise invalid_argument(
            op,
            "pooling_ratio must be [1.0, row_ratio >= 1, col_ratio >= 1, 1.0], received "
            f"{list(pooling_ratio)}",
        )
    n, h, w, c = x.shape
    oh, ow = int(h / ratio[1]), int(w / ratio[2])
    if oh < 1 or ow < 1:
        raise invalid_argument(
            op, f"pooling_ratio {ratio} leaves no output for an input of {h}x{w}"
        )
    rng = _random._op_stream(seed) if seed else _random.host_rng()
    rows = _pooling_sequence(h, oh, pseudo_random, rng)
    cols = _pooling_sequence(w, ow, pseudo_random, rng)

    def regions(seq, size):
        ends = [min(int(e) + (1 if overlapping else 0), size) for e in seq[1:]]
        return [(int(s), e) for s, e in zip(seq[:-1], ends)]

    by_row = stack([reduce(x[:, a:b], axis=1) for a, b in regions(rows, h)], axis=1)
    out = stack([reduce(by_row[:, :, a:b], axis=2) for a, b in regions(cols, w)], axis=2)
    return out, Tensor(rows), Tensor(cols)


def fractional_max_pool(
    value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None
):
    """Max pooling over random regions ``floor(size / ratio)`` per axis (Graham 2014).

    Returns ``(output, row_pooling_sequence, col_pooling_sequence)`` as TensorFlow. The
    sequences follow TF's construction; a nonzero ``seed`` makes them repeat (from gpuflow's
    random streams, so they differ from TensorFlow's numbers).
    """
    from .reduce import reduce_max

    return _fractional(
        "fractional_max_pool", reduce_max, value, pooling_ratio, pseudo_random, overlapping, seed
    )


def fractional_avg_pool(
    value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None
):
    """Average pooling over the random regions of :func:`fractional_max_pool`."""
    from .reduce import reduce_mean

    return _fractional(
        "fractional_avg_pool", reduce_mean, value, pooling_ratio, pseudo_random, overlapping, seed
    )


__all__ = [
    "dilation2d",
    "erosion2d",
    "fractional_avg_pool",
    "fractional_max_pool",
    "max_pool_with_argmax",
]
