"""``tf.quantization.fake_quant_with_min_max_args`` / ``_vars`` / ``_vars_per_channel``:
float inputs rounded to the ``num_bits`` grid of ``[min, max]`` (nudged so that 0 is on the
grid) and returned as floats, as TensorFlow's FakeQuant ops. The gradient is TensorFlow's
straight-through one: the incoming gradient where an input lies inside the nudged range;
for ``min`` / ``max`` (the ``_vars`` forms), the sum of the gradients below / above it."""

from __future__ import annotations

from .. import dtypes
from ..autodiff.tape import stop_gradient
from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..ops.math import cast
from ..ops.select import where
from ..ops.unary import floor


def _check(op: str, x, num_bits) -> None:
    if not isinstance(num_bits, int) or isinstance(num_bits, bool) or not 2 <= num_bits <= 16:
        raise InvalidArgumentError(
            None, op, f"{op}: num_bits must be an int between 2 and 16, received {num_bits!r}"
        )
    if x.dtype != dtypes.float32:
        raise TypeError(f"{op}: inputs must be float32, received {x.dtype.name}")


def _fake_quant(x, low, high, num_bits: int, narrow_range: bool):
    """The nudged grid of ``[low, high]`` (tensors broadcasting against ``x``'s last axis
    or scalars) applied to ``x``, with the straight-through gradient."""
    quant_min = 1.0 if narrow_range else 0.0
    quant_max = float(2**num_bits - 1)
    scale = (high - low) / (quant_max - quant_min)
    zero_point = quant_min - low / scale
    nudged_zero = floor(zero_point + 0.5)
    nudged_zero = where(zero_point < quant_min, quant_min + 0 * zero_point, nudged_zero)
    nudged_zero = where(zero_point > quant_max, quant_max + 0 * zero_point, nudged_zero)
    nudged_min = stop_gradient((quant_min - nudged_zero) * scale)
    nudged_max = stop_gradient((quant_max - nudged_zero) * scale)
    scale = stop_gradient(scale)
    # the bounds carry the gradient of min / max (TF: d nudged_min / d min = 1)
    lower = low + stop_gradient(nudged_min - low)
    upper = high + stop_gradient(nudged_max - high)
    clamped = where(x < nudged_min, lower + 0 * x, where(x > nudged_max, upper + 0 * x, x))
    shifted = stop_gradient(clamped) - nudged_min
    grid = floor(shifted * (1.0 / scale) + 0.5) * scale + nudged_min
    return clamped + stop_gradient(grid - clamped)


def fake_quant_with_min_max_args(
    inputs,
    min=-6.0,
    max=6.0,
    num_bits=8,
    narrow_range=False,
    name=None,  # noqa: A002
):
    """``inputs`` fake-quantized to ``num_bits`` over the fixed range ``[min, max]``."""
    op = "fake_quant_with_min_max_args"
    x = as_tensor(inputs)
    _check(op, x, num_bits)
    low, high = float(min), float(max)
    if not low < high:
        raise InvalidArgumentError(
            None, op, f"{op}: min has to be smaller than max, was: {low} >= {high}"
        )
    return _fake_quant(
        x, as_tensor(low, dtype="float32"), as_tensor(high, dtype="float32"), num_bits, narrow_range
    )


def fake_quant_with_min_max_vars(
    inputs,
    min,
    max,
    num_bits=8,
    narrow_range=False,
    name=None,  # noqa: A002
):
    """``inputs`` fake-quantized to ``num_bits`` over ``[min, max]`` (float32 scalars,
    trainable: gradients flow to them)."""
    op = "fake_quant_with_min_max_vars"
    x = as_tensor(inputs)
    _check(op, x, num_bits)
    low, high = cast(as_tensor(min), "float32"), cast(as_tensor(max), "float32")
    if low.ndim or high.ndim:
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: min and max must be scalars, received shapes {tuple(low.shape)} and "
            f"{tuple(high.shape)}",
        )
    return _fake_quant(x, low, high, num_bits, narrow_range)


def fake_quant_with_min_max_vars_per_channel(
    inputs,
    min,
    max,
    num_bits=8,
    narrow_range=False,
    name=None,  # noqa: A002
):
    """As ``fake_quant_with_min_max_vars`` with one ``[min, max]`` per channel (the last
    axis of ``inputs``)."""
    op = "fake_quant_with_min_max_vars_per_channel"
    x = as_tensor(inputs)
    _check(op, x, num_bits)
    low, high = cast(as_tensor(min), "float32"), cast(as_tensor(max), "float32")
    channels = x.shape[-1] if x.ndim else None
    if low.shape != (channels,) or high.shape != (channels,):
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: min and max must be vectors of the {channels} channels (the last axis of "
            f"inputs {tuple(x.shape)}), received shapes {tuple(low.shape)} and "
            f"{tuple(high.shape)}",
        )
    return _fake_quant(x, low, high, num_bits, narrow_range)
