"""``tf.quantization.quantize`` and ``tf.quantization.dequantize`` (TensorFlow's
``QuantizeV2`` / ``Dequantize``) in the three modes TensorFlow documents:

- ``MIN_COMBINED``: ``[min, max]`` spread over the whole integer range (signed types
  shifted by half of it);
- ``MIN_FIRST``: as MIN_COMBINED but ``min * scale`` is rounded before it is subtracted;
- ``SCALED``: symmetric, ``round(clip(x) * s)`` with ``s`` the largest scale that keeps
  ``[min, max]`` representable (``narrow_range`` drops the lowest value).

gpuflow has no quantized dtypes: ``tf.qint8``, ``tf.quint8``, ``tf.qint16``,
``tf.quint16`` and ``tf.qint32`` are the plain integer dtypes of the same width and
signedness (so ``tf.qint8 == tf.int8`` holds here, unlike in TensorFlow); the quantized
values are the same numbers TensorFlow stores.

The ranges (scalars, or one per slice of ``axis``) are read on the host, as TensorFlow's
kernels read them; the values stay on their device.
"""

from __future__ import annotations

import collections

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..ops.cast import cast
from ..ops.compare import greater_equal
from ..ops.creation import convert_to_tensor
from ..ops.math import add, multiply, subtract
from ..ops.select import clip_by_value
from ..ops.shape import reshape
from ..ops.unary import abs, floor, rint, sign  # noqa: A004 - TensorFlow's names

QuantizeV2 = collections.namedtuple("QuantizeV2", ["output", "output_min", "output_max"])

_MODES = ("MIN_COMBINED", "MIN_FIRST", "SCALED")
_ROUND_MODES = ("HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN")
_QUANTIZED = ("int8", "uint8", "int16", "uint16", "int32")  # qint8 ... qint32


def _integer_type(T, op: str) -> np.dtype:
    dtype = dtypes.as_dtype(T)
    if dtype.name not in _QUANTIZED:
        raise TypeError(
            f"{op}: T must be one of tf.qint8, tf.quint8, tf.qint16, tf.quint16, tf.qint32 "
            f"(here the integer dtypes of the same width), received {dtype.name}"
        )
    return np.dtype(dtype.name)


def _check_mode(mode, op: str) -> None:
    if mode not in _MODES:
        raise InvalidArgumentError(
            None, op, f"Mode string must be 'MIN_COMBINED', 'MIN_FIRST', or 'SCALED', is '{mode}'"
        )


def range_arrays(x, min_range, max_range, axis, op: str):
    """``(min, max)`` as float32 NumPy arrays shaped to broadcast against ``x``."""
    low = np.asarray(convert_to_tensor(min_range, dtype_hint="float32").numpy(), np.float32)
    high = np.asarray(convert_to_tensor(max_range, dtype_hint="float32").numpy(), np.float32)
    if axis is None or axis == -1 and low.ndim == 0:
        if low.size != 1 or high.size != 1:
            raise InvalidArgumentError(
                None,
                op,
                f"{op}: min_range and max_range must be scalars without axis, "
                f"received shapes {low.shape} and {high.shape}",
            )
        return low.reshape(()), high.reshape(())
    axis = axis % x.ndim if x.ndim else axis
    depth = x.shape[axis] if x.ndim else None
    if low.shape != (depth,) or high.shape != (depth,):
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: min_range and max_range must be vectors of the {depth} slices "
            f"of axis {axis} of input {tuple(x.shape)}, received shapes {low.shape} and "
            f"{high.shape}",
        )
    shape = [1] * x.ndim
    shape[axis] = depth
    return low.reshape(shape), high.reshape(shape)


def _round_away(t):
    """Round half away from zero (std::round), exact for every float32 (``floor(|t| + 0.5)``
    is not: the sum rounds once ``|t|`` passes 2**23)."""
    magnitude = abs(t)
    whole = floor(magnitude)
    up = cast(greater_equal(subtract(magnitude, whole), 0.5), t.dtype)
    return multiply(sign(t), add(whole, up))


def _scaled_factor(low, high, min_t, max_t):
    big = np.float32(np.finfo(np.float32).max)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_min = np.where(min_t * low > 0, np.float32(min_t) / low, big)
        from_max = np.where(max_t * high > 0, np.float32(max_t) / high, big)
    return np.minimum(from_min, from_max).astype(np.float32)


def quantize(
    input,  # noqa: A002 - TensorFlow's name
    min_range,
    max_range,
    T,
    mode="MIN_COMBINED",
    round_mode="HALF_AWAY_FROM_ZERO",
    name=None,
    narrow_range=False,
    axis=None,
    ensure_minimum_range=0.01,
):
    """``input`` (float32) quantized to ``T``; returns ``(output, output_min, output_max)``,
    the ranges as adjusted (widened to ``ensure_minimum_range``; SCALED's ranges)."""
    op = "quantize"
    _check_mode(mode, op)
    if round_mode not in _ROUND_MODES:
        raise InvalidArgumentError(
            None,
            op,
            f"Round mode string must be 'HALF_AWAY_FROM_ZERO' or 'HALF_TO_EVEN', is '{round_mode}'",
        )
    if round_mode == "HALF_TO_EVEN" and mode != "SCALED":
        raise InvalidArgumentError(
            None,
            op,
            f"Round mode 'HALF_TO_EVEN' only supported for mode 'SCALED', but mode is '{mode}'.",
        )
    target = _integer_type(T, op)
    x = convert_to_tensor(input)
    if x.dtype != dtypes.float32:
        raise TypeError(f"{op}: input must be float32, received {x.dtype.name}")
    if mode == "MIN_FIRST" and axis not in (None, -1):
        raise UnimplementedError(
            None, op, "MIN_FIRST mode is not implemented for Quantize with axis != -1."
        )
    low, high = range_arrays(x, min_range, max_range, axis, op)
    if np.any(high < low):
        raise InvalidArgumentError(
            None, op, f"{op}: max_range must be larger than min_range, received {low} > {high}"
        )
    info = np.iinfo(target)
    min_t, max_t = int(info.min), int(info.max)
    epsilon = np.maximum(np.float32(1.0), np.maximum(np.abs(low), np.abs(high)))
    epsilon = (epsilon * np.float32(ensure_minimum_range)).astype(np.float32)
    high = np.maximum(high, low + epsilon).astype(np.float32)
    if mode == "SCALED":
        min_t += 1 if narrow_range else 0
        factor = _scaled_factor(low, high, min_t, max_t)
        low = (np.float32(min_t) / factor).astype(np.float32)
        high = (np.float32(max_t) / factor).astype(np.float32)
        t = multiply(clip_by_value(x, low, high), factor)
        q = rint(t) if round_mode == "HALF_TO_EVEN" else _round_away(t)
    elif mode == "MIN_COMBINED":
        factor = (np.float32(max_t - min_t) / (high - low)).astype(np.float32)
        shifted = multiply(subtract(clip_by_value(x, low, high), low), factor)
        if min_t < 0:
            q = _round_away(subtract(shifted, np.float32((max_t - min_t + 1) / 2.0)))
        else:
            q = floor(add(shifted, 0.5))
    else:  # MIN_FIRST
        steps = float(2 ** (8 * target.itemsize))
        scale = np.float32((steps - 1.0) / np.float64(np.float32(high - low)))
        min_scaled = np.float32(low * scale)
        min_scaled = np.float32(np.sign(min_scaled) * np.floor(np.abs(min_scaled) + 0.5))
        offset = np.float32(np.float32(min_t) - min_scaled)  # folded first, as TensorFlow
        q = add(_round_away(multiply(x, scale)), offset)
    # qint32: saturate at the largest float32 below 2**31 (TensorFlow's MIN_COMBINED and
    # SCALED kernels wrap the top of the range to -2**31 there)
    out = cast(clip_by_value(q, float(min_t), min(float(max_t), 2.14748352e9)), target.name)
    return QuantizeV2(
        out,
        convert_to_tensor(np.reshape(low, -1) if axis not in (None, -1) else low.reshape(())),
        convert_to_tensor(np.reshape(high, -1) if axis not in (None, -1) else high.reshape(())),
    )


def dequantize(
    input,  # noqa: A002 - TensorFlow's name
    min_range,
    max_range,
    mode="MIN_COMBINED",
    name=None,
    axis=None,
    narrow_range=False,
    dtype=dtypes.float32,
):
    """The float values (``dtype``: float32 or bfloat16) that quantized ``input`` stands
    for, over ``[min_range, max_range]`` (scalars, or one per slice of ``axis``)."""
    op = "dequantize"
    _check_mode(mode, op)
    q = convert_to_tensor(input)
    target = _integer_type(q.dtype, op)
    out_dtype = dtypes.as_dtype(dtype)
    if out_dtype.name not in ("float32", "bfloat16"):
        raise TypeError(f"{op}: dtype must be float32 or bfloat16, received {out_dtype.name}")
    low, high = range_arrays(q, min_range, max_range, axis, op)
    info = np.iinfo(target)
    min_t, max_t = int(info.min), int(info.max)
    values = cast(q, "float32")
    if mode == "SCALED":
        if narrow_range and min_t < 0:
            min_t = -max_t
        with np.errstate(divide="ignore", invalid="ignore"):
            from_min = low / np.float32(min_t) if min_t else np.zeros_like(low)
        factor = np.maximum(from_min, high / np.float32(max_t)).astype(np.float32)
        out = multiply(values, factor)
    elif mode == "MIN_COMBINED":
        factor = ((high - low) / np.float32(max_t - min_t)).astype(np.float32)
        if min_t < 0:
            values = add(values, np.float32((max_t - min_t + 1) / 2.0))
        out = add(multiply(values, factor), low)
    else:  # MIN_FIRST
        steps = float(2 ** (8 * target.itemsize))
        scale = np.float32(np.float64(np.float32(high - low)) / (steps - 1.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            min_rounded = np.where(
                high == low, low, np.sign(low / scale) * np.floor(np.abs(low / scale) + 0.5) * scale
            ).astype(np.float32)
        out = add(multiply(subtract(values, float(min_t)), scale), min_rounded)
    return cast(reshape(out, q.shape), out_dtype)
