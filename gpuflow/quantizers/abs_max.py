"""Keras 3's int8/int4 quantizers: ``Quantizer``, ``AbsMaxQuantizer``, ``abs_max_quantize``
and ``abs_max_quantize_grouped_with_zero_point`` (``keras.quantizers``), with Keras' numbers:
``scale = value_range[1] / (max|x| + epsilon)`` and ``q = clip(round(x * scale))`` (round
half to even), so that ``x ~= q / scale``."""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..layers.int8_config import EPSILON
from ..layers.int8_weights import abs_max_quantize as host_abs_max_quantize
from ..ops.cast import cast
from ..ops.creation import convert_to_tensor
from ..ops.math import add, divide, multiply
from ..ops.reduce import reduce_max
from ..ops.select import clip_by_value
from ..ops.unary import abs, round  # noqa: A004 - TensorFlow's names


class Quantizer:
    """The base of Keras quantizers: ``__call__(x)`` gives the quantized ``x`` (the base
    returns ``x`` unchanged); ``output_dtype`` is the quantized values' dtype."""

    def __init__(self, output_dtype="int8") -> None:
        self.output_dtype = output_dtype

    def __call__(self, x):
        return x

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self) -> dict:
        raise NotImplementedError(f"{self} does not implement get_config()")


def _as_float_tensor(inputs, where: str):
    x = convert_to_tensor(inputs)
    if not x.dtype.is_floating:
        raise TypeError(f"{where}: expected float inputs, received {x.dtype.name}")
    return x


def abs_max_quantize(
    inputs, axis, value_range=(-127, 127), dtype="int8", epsilon=EPSILON, to_numpy=False
):
    """``(quantized, scale)``: ``scale = value_range[1] / (max|inputs| + epsilon)`` over
    ``axis`` (kept, in the inputs' dtype) and ``clip(round(inputs * scale), *value_range)``
    as ``dtype``. ``to_numpy`` computes on the host (same values)."""
    x = _as_float_tensor(inputs, "abs_max_quantize")
    if to_numpy:
        axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
        q, scale = host_abs_max_quantize(x.numpy(), axis, value_range, epsilon, dtype)
        return convert_to_tensor(q), convert_to_tensor(scale)
    axis = list(axis) if isinstance(axis, (list, tuple)) else axis
    scale = divide(
        float(value_range[1]), add(reduce_max(abs(x), axis=axis, keepdims=True), epsilon)
    )
    scale = cast(scale, x.dtype)
    q = clip_by_value(round(multiply(x, scale)), float(value_range[0]), float(value_range[1]))
    return cast(q, dtype), scale


def abs_max_quantize_grouped_with_zero_point(
    inputs, block_size, value_range=(-8, 7), dtype="int8", epsilon=EPSILON, to_numpy=False
):
    """Asymmetric quantization of a ``(input_dim, output_dim)`` matrix in groups of
    ``block_size`` rows: ``(quantized, scale, zero_point)`` with ``scale`` and
    ``zero_point`` of shape ``(ceil(input_dim / block_size), output_dim)`` and
    ``x ~= (quantized - zero_point) * scale``. As Keras, a constant group's range widens
    to ``[v - 1, v + 1]`` unless ``to_numpy`` (Keras' host path keeps it). Computed on the
    host either way: a one-off when a layer is quantized."""
    x = _as_float_tensor(inputs, "abs_max_quantize_grouped_with_zero_point")
    if x.ndim != 2:
        raise ValueError(
            "abs_max_quantize_grouped_with_zero_point: expected a 2D (input_dim, output_dim) "
            f"tensor, received shape {tuple(x.shape)}"
        )
    if not isinstance(block_size, int) or block_size <= 0:
        raise ValueError(
            "abs_max_quantize_grouped_with_zero_point: block_size must be a positive int, "
            f"received {block_size!r}"
        )
    qmin, qmax = value_range
    input_dim, output_dim = x.shape
    groups = math.ceil(input_dim / block_size)
    values = x.numpy()
    padded = np.concatenate(
        [values, np.zeros((groups * block_size - input_dim, output_dim), values.dtype)]
    ).reshape(groups, block_size, output_dim)
    low, high = padded.min(axis=1, keepdims=True), padded.max(axis=1, keepdims=True)
    if not to_numpy:  # Keras' tensor path: an empty range widens to [v - 1, v + 1]
        same = low == high
        low, high = np.where(same, low - 1, low), np.where(same, high + 1, high)
    scale = ((high - low) + np.asarray(epsilon, values.dtype)) / np.asarray(
        qmax - qmin, values.dtype
    )
    if not to_numpy:
        scale = np.where(scale <= 0, np.asarray(1e-8, values.dtype), scale)
    zero = np.clip(np.round(-low / scale) + qmin, qmin, qmax)
    q = np.clip(np.round(padded / scale) + zero, qmin, qmax)
    q = q.reshape(groups * block_size, output_dim)[:input_dim]
    return (
        convert_to_tensor(q.astype(dtypes.as_dtype(dtype).as_numpy_dtype)),
        convert_to_tensor(scale[:, 0].astype(values.dtype)),
        convert_to_tensor(zero[:, 0].astype(np.int8)),
    )


class AbsMaxQuantizer(Quantizer):
    """Symmetric quantization by the absolute maximum along an axis (``abs_max_quantize``).

    Args:
        axis: deprecated in Keras (pass it to ``__call__``); an int or a tuple.
        value_range: ``(min, max)`` of the quantized values (within [-128, 127] for int8).
        epsilon: guards against a zero range.
        output_dtype: the quantized values' dtype.
    """

    def __init__(
        self, axis=None, value_range=(-127, 127), epsilon=EPSILON, output_dtype="int8"
    ) -> None:
        Quantizer.__init__(self, output_dtype=output_dtype)
        self.axis = None if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.value_range = value_range
        self.epsilon = epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError(
                "Quantizer with output_dtype='int8' requires value_range to be within the "
                f"interval [-128, 127]. Received: value_range={value_range}"
            )

    def __call__(self, x, axis=None, to_numpy=False):
        if axis is None:
            axis = self.axis if self.axis is not None else -1
        return abs_max_quantize(
            x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy
        )

    def get_config(self) -> dict:
        config = {
            "value_range": self.value_range,
            "epsilon": self.epsilon,
            "output_dtype": self.output_dtype,
        }
        if self.axis is not None:
            config["axis"] = self.axis
        return config
