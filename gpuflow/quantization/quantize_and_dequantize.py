"""``tf.quantization.quantize_and_dequantize`` and ``quantize_and_dequantize_v2``: values
rounded to the ``num_bits`` integer grid of a symmetric scale and returned as floats
(TensorFlow's ``QuantizeAndDequantizeV2`` / ``V4``).

The scale is the largest that keeps ``[min, max]`` representable (the given range, or the
input's own with ``range_given=False``); the side that does not set it is widened to the
grid. The gradient of ``quantize_and_dequantize`` is the identity; that of ``_v2`` is the
incoming gradient where the input lies inside ``[input_min, input_max]``, zero elsewhere.
"""

from __future__ import annotations

import numpy as np

from ..autodiff.tape import stop_gradient
from ..errors import InvalidArgumentError
from ..ops.cast import cast
from ..ops.compare import greater_equal, less_equal, logical_and
from ..ops.creation import convert_to_tensor
from ..ops.math import add, multiply
from ..ops.reduce import reduce_max, reduce_min
from ..ops.select import clip_by_value, where
from ..ops.unary import floor, rint
from .quantize_ops import range_arrays

_ROUND_MODES = ("HALF_TO_EVEN", "HALF_UP")


def _grid(x, low, high, signed_input, num_bits, round_mode, narrow_range):
    """The quantized-and-dequantized values of ``x`` for float32 ranges (host arrays)."""
    if signed_input:
        min_q = -(2 ** (num_bits - 1)) + (1 if narrow_range else 0)
        max_q = 2 ** (num_bits - 1) - 1
    else:
        min_q, max_q = 0, 2**num_bits - 1
    big = np.float32(np.finfo(np.float32).max)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_min = np.where(min_q * low > 0, np.float32(min_q) / low, big).astype(np.float32)
        from_max = np.where(max_q * high > 0, np.float32(max_q) / high, big).astype(np.float32)
        min_side = from_min < from_max
        scale = np.where(min_side, from_min, from_max).astype(np.float32)
        inverse = np.where(min_side, low / np.float32(min_q), high / np.float32(max_q))
    inverse = inverse.astype(np.float32)
    high = np.where(min_side, np.float32(max_q) * inverse, high).astype(np.float32)
    low = np.where(min_side, low, np.float32(min_q) * inverse).astype(np.float32)
    scaled = multiply(clip_by_value(x, low, high), scale)
    rounded = rint(scaled) if round_mode == "HALF_TO_EVEN" else floor(add(scaled, 0.5))
    return multiply(rounded, inverse)


def _ranges(op, x, input_min, input_max, range_given, axis):
    low, high = range_arrays(x, input_min, input_max, axis, op)
    if range_given:
        if np.any(low > high):
            raise InvalidArgumentError(
                None, op, f"Invalid range: input_min {low.ravel()[0]} > input_max {high.ravel()[0]}"
            )
        return low, high
    if axis is None or x.ndim == 0:
        return x.numpy().min().astype(np.float32), x.numpy().max().astype(np.float32)
    axes = [i for i in range(x.ndim) if i != axis % x.ndim]
    return (
        reduce_min(x, axis=axes, keepdims=True).numpy(),
        reduce_max(x, axis=axes, keepdims=True).numpy(),
    )


def _quantize_and_dequantize(
    op, input, input_min, input_max, signed_input, num_bits, range_given, round_mode,
    narrow_range, axis,
):  # fmt: skip
    if round_mode not in _ROUND_MODES:
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: round_mode must be 'HALF_TO_EVEN' or 'HALF_UP', received {round_mode!r}",
        )
    if not isinstance(num_bits, int) or isinstance(num_bits, bool) or not 1 <= num_bits <= 63:
        raise InvalidArgumentError(
            None, op, f"{op}: num_bits must be an int in [1, 63], received {num_bits!r}"
        )
    x = convert_to_tensor(input)
    if not x.dtype.is_floating:
        raise TypeError(f"{op}: input must be a float tensor, received {x.dtype.name}")
    low, high = _ranges(op, x, input_min, input_max, range_given, axis)
    values = cast(
        _grid(cast(x, "float32"), low, high, signed_input, num_bits, round_mode, narrow_range),
        x.dtype,
    )
    return x, values


def quantize_and_dequantize(
    input,  # noqa: A002 - TensorFlow's name
    input_min,
    input_max,
    signed_input=True,
    num_bits=8,
    range_given=False,
    round_mode="HALF_TO_EVEN",
    name=None,
    narrow_range=False,
    axis=None,
):
    """``input`` quantized to ``num_bits`` and dequantized (deprecated in TensorFlow for
    ``quantize_and_dequantize_v2``); the gradient passes unchanged."""
    x, values = _quantize_and_dequantize(
        "quantize_and_dequantize", input, input_min, input_max, signed_input, num_bits,
        range_given, round_mode, narrow_range, axis,
    )  # fmt: skip
    return add(x, stop_gradient(values - x))


def quantize_and_dequantize_v2(
    input,  # noqa: A002 - TensorFlow's name
    input_min,
    input_max,
    signed_input=True,
    num_bits=8,
    range_given=False,
    round_mode="HALF_TO_EVEN",
    name=None,
    narrow_range=False,
    axis=None,
):
    """``input`` quantized to ``num_bits`` and dequantized; the gradient passes where the
    input lies in ``[input_min, input_max]`` (straight-through estimator)."""
    op = "quantize_and_dequantize_v2"
    x, values = _quantize_and_dequantize(
        op, input, input_min, input_max, signed_input, num_bits, range_given, round_mode,
        narrow_range, axis,
    )  # fmt: skip
    low, high = range_arrays(x, input_min, input_max, axis, op)
    inside = logical_and(greater_equal(x, low.astype(x.dtype.as_numpy_dtype)),
                         less_equal(x, high.astype(x.dtype.as_numpy_dtype)))  # fmt: skip
    passed = where(inside, x, stop_gradient(x))
    return add(passed, stop_gradient(values - passed))
