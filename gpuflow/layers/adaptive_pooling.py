"""Adaptive pooling (Keras 3's AdaptiveAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D):
pool to a fixed output size whatever the input size. Output bin ``i`` of an axis of length
``L`` pooled to ``n`` covers ``[floor(i * L / n), ceil((i + 1) * L / n))``, as Keras' (and
PyTorch's) adaptive pooling; the axes are pooled one after the other (the bins are boxes).
"""

from __future__ import annotations

import math

import numpy as np

from ..ops.creation import constant
from ..ops.linalg import tensordot
from ..ops.reduce import reduce_max
from ..ops.shape import concat, transpose
from .base import Layer
from .channels_first import data_format_arg


def _bins(length: int, size: int) -> list:
    return [
        (math.floor(i * length / size), min(math.ceil((i + 1) * length / size), length))
        for i in range(size)
    ]


def _average_matrix(length: int, size: int, dtype) -> np.ndarray:
    weights = np.zeros((length, size), dtype=dtype)
    for i, (start, end) in enumerate(_bins(length, size)):
        weights[start:end, i] = 1.0 / (end - start)
    return weights


def adaptive_pool(inputs, output_size, data_format, mode: str, where: str):
    """``inputs`` (rank ``len(output_size) + 2``) pooled to ``output_size`` by ``mode``
    (``"average"`` or ``"max"``)."""
    rank = len(output_size) + 2
    if len(inputs.shape) != rank:
        raise ValueError(
            f"{where}: expected inputs of rank {rank} (batch, {len(output_size)} spatial "
            f"axes, channels), received shape {tuple(inputs.shape)}"
        )
    x = inputs
    if data_format == "channels_first":
        x = transpose(x, [0] + list(range(2, rank)) + [1])
    for axis, size in enumerate(output_size, start=1):
        length = x.shape[axis]
        if length is None:
            raise ValueError(
                f"{where}: input spatial dimensions must be statically known for adaptive "
                f"pooling, received shape {tuple(inputs.shape)}"
            )
        if mode == "average":
            weights = constant(_average_matrix(length, size, x.dtype), device=x.device)
            pooled = tensordot(x, weights, axes=[[axis], [0]])  # the pooled axis comes last
            order = list(range(rank - 1))
            order.insert(axis, rank - 1)
            x = transpose(pooled, order)
        else:
            index = [slice(None)] * rank
            parts = []
            for start, end in _bins(length, size):
                index[axis] = slice(start, end)
                parts.append(reduce_max(x[tuple(index)], axis=axis, keepdims=True))
            x = concat(parts, axis=axis)
    if data_format == "channels_first":
        x = transpose(x, [0, rank - 1] + list(range(1, rank - 1)))
    return x


class _AdaptivePooling(Layer):
    rank = 2
    mode = "average"

    def __init__(self, output_size, data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        names = {1: "an integer or a (length,) tuple", 2: "an integer or (height, width) tuple"}
        what = names.get(self.rank, "an integer or (depth, height, width) tuple")
        if isinstance(output_size, (int, np.integer)) and not isinstance(output_size, bool):
            output_size = (int(output_size),) * self.rank
        elif not (
            isinstance(output_size, (tuple, list))
            and len(output_size) == self.rank
            and all(isinstance(n, (int, np.integer)) for n in output_size)
        ):
            raise TypeError(
                f"{self._where()}: `output_size` must be {what}. Received: {output_size!r} "
                f"of type {type(output_size)}"
            )
        if any(int(n) < 1 for n in output_size):
            raise ValueError(
                f"{self._where()}: `output_size` must be positive, received {output_size!r}"
            )
        self.output_size = tuple(int(n) for n in output_size)
        self.data_format = data_format_arg(data_format, self._where())

    def call(self, inputs):
        return adaptive_pool(inputs, self.output_size, self.data_format, self.mode, self._where())

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if self.data_format == "channels_last":
            return (shape[0], *self.output_size, shape[-1])
        return (shape[0], shape[1], *self.output_size)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_size": self.output_size,
            "data_format": self.data_format,
        }


class AdaptiveAveragePooling1D(_AdaptivePooling):
    """Average pooling of ``(batch, length, channels)`` to ``output_size`` steps."""

    rank = 1


class AdaptiveAveragePooling2D(_AdaptivePooling):
    """Average pooling of ``(batch, height, width, channels)`` to ``output_size``."""

    rank = 2


class AdaptiveAveragePooling3D(_AdaptivePooling):
    """Average pooling of ``(batch, depth, height, width, channels)`` to ``output_size``."""

    rank = 3


class AdaptiveMaxPooling1D(_AdaptivePooling):
    """Max pooling of ``(batch, length, channels)`` to ``output_size`` steps."""

    rank = 1
    mode = "max"


class AdaptiveMaxPooling2D(_AdaptivePooling):
    """Max pooling of ``(batch, height, width, channels)`` to ``output_size``."""

    rank = 2
    mode = "max"


class AdaptiveMaxPooling3D(_AdaptivePooling):
    """Max pooling of ``(batch, depth, height, width, channels)`` to ``output_size``."""

    rank = 3
    mode = "max"
