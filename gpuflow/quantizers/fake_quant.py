"""``keras.quantizers.fake_quant_with_min_max_vars``: per-tensor (``axis=None``) or
per-channel (any ``axis``) fake quantization, as Keras computes it on TensorFlow: through
``tf.quantization.fake_quant_with_min_max_vars`` / ``_per_channel`` in float32 (the
channel axis moved last), cast back to the inputs' dtype."""

from __future__ import annotations

from ..layers.keras_tensor import is_symbolic
from ..layers.op_lambda import TFOpLambda
from ..ops.cast import cast
from ..ops.creation import convert_to_tensor
from ..ops.shape import reshape, transpose
from ..quantization.fake_quant import (
    fake_quant_with_min_max_vars as _per_tensor,
)
from ..quantization.fake_quant import (
    fake_quant_with_min_max_vars_per_channel as _per_channel,
)


def _swap_last(x, axis: int):
    order = list(range(x.ndim))
    order[axis], order[-1] = order[-1], order[axis]
    return transpose(x, order)


def fake_quant_with_min_max_vars(
    inputs, min_vals, max_vals, num_bits=8, narrow_range=False, axis=None
):
    """``inputs`` rounded to the ``num_bits`` grid of ``[min_vals, max_vals]`` (nudged so
    that 0 is on it) and returned as floats; gradients reach ``inputs`` inside the range
    and ``min_vals`` / ``max_vals`` from the values clipped to them.

    Args:
        inputs: a float tensor.
        min_vals, max_vals: scalars (``axis=None``) or one value per channel of ``axis``.
        num_bits: the bit width (2 to 16).
        narrow_range: use ``[1, 2**num_bits - 1]`` instead of ``[0, 2**num_bits - 1]``.
        axis: the channel axis of per-channel quantization, or None.
    """
    if is_symbolic(inputs):  # a functional model's tensor: a layer that runs this later
        return TFOpLambda("keras.quantizers.fake_quant", "fake_quant_with_min_max_vars")(
            inputs, min_vals, max_vals, num_bits=num_bits, narrow_range=narrow_range, axis=axis
        )
    x = convert_to_tensor(inputs)
    dtype = x.dtype
    low, high = convert_to_tensor(min_vals), convert_to_tensor(max_vals)
    if axis is None:
        out = _per_tensor(
            cast(x, "float32"),
            cast(reshape(low, ()), "float32"),
            cast(reshape(high, ()), "float32"),
            num_bits=int(num_bits),
            narrow_range=narrow_range,
        )
        return cast(out, dtype)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"fake_quant_with_min_max_vars: axis {axis} is out of range for inputs of rank {x.ndim}"
        )
    axis %= x.ndim
    out = _per_channel(
        cast(_swap_last(x, axis), "float32"),
        cast(low, "float32"),
        cast(high, "float32"),
        num_bits=int(num_bits),
        narrow_range=narrow_range,
    )
    return _swap_last(cast(out, dtype), axis)
