"""Keras 3's float8 helpers (``keras.quantizers``): ``compute_float8_scale``,
``compute_float8_amax_history`` and ``quantize_and_dequantize``.

gpuflow has no float8 dtype: ``quantize_and_dequantize`` rounds to the float8 grid
(``float8_e4m3fn``: 3 mantissa bits, max 448; ``float8_e5m2``: 2 bits, max 57344; round
to nearest even, subnormals kept) in the compute dtype, which gives the values Keras'
cast to float8 and back gives, and lets the gradient through the rounding as TensorFlow's
cast does.
"""

from __future__ import annotations

import math

from ..autodiff.tape import stop_gradient
from ..ops.cast import cast
from ..ops.compare import greater, greater_equal, less
from ..ops.creation import convert_to_tensor
from ..ops.indexing import tensor_scatter_nd_update
from ..ops.math import divide, log, maximum, multiply, pow, subtract  # noqa: A004
from ..ops.rearrange import roll
from ..ops.reduce import reduce_max
from ..ops.select import clip_by_value, where
from ..ops.shape import reshape
from ..ops.unary import abs, floor, is_finite, reciprocal, rint, sign  # noqa: A004

# name -> (mantissa bits, smallest normal, largest finite), as ml_dtypes.finfo gives them
FLOAT8_FORMATS = {
    "float8_e4m3fn": (3, 2.0**-6, 448.0),
    "float8_e5m2": (2, 2.0**-14, 57344.0),
}


def _float8_format(quantized_dtype, where: str):
    name = getattr(quantized_dtype, "name", quantized_dtype)
    if name not in FLOAT8_FORMATS:
        raise ValueError(
            f"{where}: quantized_dtype must be one of {sorted(FLOAT8_FORMATS)}, received "
            f"{quantized_dtype!r}"
        )
    return FLOAT8_FORMATS[name]


def round_to_float8(x, quantized_dtype):
    """``x`` (already within the format's range) rounded to the nearest float8 value of
    ``quantized_dtype``, ties to even, in ``x``'s dtype; not differentiable."""
    mantissa, smallest_normal, _ = _float8_format(quantized_dtype, "round_to_float8")
    a = maximum(abs(x), smallest_normal)
    exponent = floor(divide(log(a), math.log(2.0)))
    # log's last-bit error can put a power of two in the wrong binade: correct it
    exponent = where(less(a, pow(2.0, exponent)), subtract(exponent, 1.0), exponent)
    exponent = where(greater_equal(a, pow(2.0, exponent + 1.0)), exponent + 1.0, exponent)
    step = pow(2.0, subtract(exponent, float(mantissa)))
    return stop_gradient(multiply(multiply(sign(x), rint(divide(abs(x), step))), step))


def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """``inputs / scale`` clipped to the float8 range, rounded to float8, times ``scale``,
    in ``compute_dtype`` (Keras' float8 fake quantization)."""
    _, _, largest = _float8_format(quantized_dtype, "quantize_and_dequantize")
    scale = cast(convert_to_tensor(scale), compute_dtype)
    x = divide(cast(convert_to_tensor(inputs), compute_dtype), scale)
    x = clip_by_value(x, -largest, largest)
    x = x + stop_gradient(subtract(round_to_float8(x, quantized_dtype), x))
    return multiply(x, scale)


def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The new scale of a float8 tensor from the recent ``amax``: ``amax / dtype_max *
    2**margin``, keeping ``scale`` where ``amax`` is not positive or not finite
    (Transformer Engine's rule, as Keras)."""
    amax = convert_to_tensor(amax)
    old = reciprocal(convert_to_tensor(scale))
    factor = divide(divide(dtype_max, amax), 2.0**margin)
    factor = where(greater(amax, 0.0), factor, old)
    factor = where(is_finite(amax), factor, old)
    return reciprocal(factor)


def compute_float8_amax_history(x, amax_history):
    """``amax_history`` rolled one step to the left, with ``max|x|`` written at index 0
    (Keras' update of a float8 layer's history)."""
    amax_history = convert_to_tensor(amax_history)
    amax = cast(reduce_max(abs(convert_to_tensor(x))), amax_history.dtype)
    return tensor_scatter_nd_update(roll(amax_history, -1, 0), [[0]], reshape(amax, [1]))
