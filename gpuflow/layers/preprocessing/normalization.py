"""Normalization: ``(x - mean) / sqrt(variance)`` with statistics given or learned by adapt()."""

from __future__ import annotations

import math

import numpy as np

from ...ops.creation import constant
from ...ops.math import maximum, sqrt
from ...ops.shape import reshape
from ..base import Layer
from ._data import batches

_EPSILON = 1e-7  # Keras' backend.epsilon(), the floor of the standard deviation


class Normalization(Layer):
    """Feature-wise standardization, as ``keras.layers.Normalization``.

    Args:
        axis: the axis or axes kept (one mean per index along them); None: one scalar mean.
        mean, variance: the statistics (broadcast to the kept axes); else call :meth:`adapt`.
        invert: apply the inverse, ``mean + x * sqrt(variance)`` (e.g. to undo a target scaling).

    Weights when adapted (not trainable): mean, variance, count (left at 0, as Keras 3 does).
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    supports_masking = True

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs) -> None:
        super().__init__(**kwargs)
        where = self._where()
        self.axis = () if axis is None else (int(axis),) if isinstance(axis, int) else tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                f"{where}: pass both mean and variance, or neither; received "
                f"mean={mean!r}, "
                f"variance={variance!r}"
            )
        if mean is not None and np.shape(mean) != np.shape(variance):
            raise ValueError(
                f"{where}: mean and variance must have the same shape, received "
                "shapes "
                f"{np.shape(mean)} and {np.shape(variance)}"
            )
        if mean is not None and np.ndim(mean) > len(self.axis):
            raise ValueError(
                f"{where}: the rank of mean ({np.ndim(mean)}) must not exceed the "
                "number of "
                f"axes ({len(self.axis)}, axis={self.axis})"
            )
        self.input_mean, self.input_variance = mean, variance
        self.invert = bool(invert)
        self.adapt_mean = self.adapt_variance = self.count = None

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        ndim = len(shape)
        where = self._where()
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(
                f"{where}: every axis must be in [-{ndim}, {ndim}) for inputs of "
                f"rank {ndim}, "
                f"received axis={self.axis}"
            )
        self._keep = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep:
            if shape[a] is None:
                raise ValueError(
                    f"{where}: the kept axis {a} must have a known size, received "
                    "input "
                    f"shape {shape}"
                )
        self._reduce = tuple(d for d in range(ndim) if d not in self._keep)
        self._broadcast = tuple(shape[d] if d in self._keep else 1 for d in range(ndim))
        self._stat_shape = tuple(shape[d] for d in self._keep)
        if self.input_mean is None:
            self.adapt_mean = self._add_weight("mean", self._stat_shape, "zeros", trainable=False)
            self.adapt_variance = self._add_weight(
                "variance", self._stat_shape, "ones", trainable=False
            )
            self.count = self._add_weight("count", (), "zeros", trainable=False, dtype="int64")
        super().build(input_shape)

    def _given(self, value) -> np.ndarray:
        value = np.asarray(value, dtype=self.compute_dtype)
        if value.ndim == 0:
            return np.broadcast_to(value, self._broadcast)
        expanded = [1] * len(self._broadcast)
        for i in range(1, value.ndim + 1):
            expanded[self._keep[-i]] = value.shape[-i]
        return np.broadcast_to(value.reshape(expanded), self._broadcast)

    def _statistics(self, device):
        if self.input_mean is not None:
            return (
                constant(self._given(self.input_mean), device=device),
                constant(self._given(self.input_variance), device=device),
            )
        return (
            reshape(self._read(self.adapt_mean), self._broadcast),
            reshape(self._read(self.adapt_variance), self._broadcast),
        )

    @property
    def mean(self):
        """The mean, broadcast to the input's rank (as Keras' ``layer.mean``); None before build."""
        return None if not self.built else self._statistics(None)[0]

    @property
    def variance(self):
        """The variance, broadcast to the input's rank; None before build."""
        return None if not self.built else self._statistics(None)[1]

    def call(self, inputs):
        mean, variance = self._statistics(inputs.device)
        std = maximum(sqrt(variance), _EPSILON)
        if self.invert:
            return mean + inputs * std
        return (inputs - mean) / std

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn mean and variance from ``data``: an array, a Tensor, or anything iterable of
        batches (a Dataset, a list of arrays, a generator); batches are combined exactly
        (pooled mean and variance)."""
        where = self._where()
        if self.input_mean is not None:
            raise ValueError(f"{where}: adapt() cannot be used when mean and variance were given")
        total_mean = total_var = None
        total = 0
        for batch in batches(data, steps, where):
            batch = batch.astype("float64")
            if not self.built:
                self.build(batch.shape)
            self._check_batch(batch.shape)
            count = math.prod(batch.shape[d] for d in self._reduce) if self._reduce else 1
            if count == 0:
                continue
            mean, var = batch.mean(axis=self._reduce), batch.var(axis=self._reduce)
            if total_mean is None:
                total_mean, total_var, total = mean, var, count
                continue
            total += count
            w_new = count / total
            w_old = 1.0 - w_new
            merged = total_mean * w_old + mean * w_new
            total_var = (total_var + (total_mean - merged) ** 2) * w_old + (
                var + (mean - merged) ** 2
            ) * w_new
            total_mean = merged
        if total_mean is None:
            raise ValueError(f"{where}: adapt() received no samples")
        for variable, value in ((self.adapt_mean, total_mean), (self.adapt_variance, total_var)):
            variable.assign(np.asarray(value, dtype=variable.dtype).reshape(self._stat_shape))

    def _check_batch(self, shape) -> None:
        built = self._build_input_shape
        if len(shape) != len(built) or any(shape[d] != built[d] for d in self._keep):
            raise ValueError(
                f"{self._where()}: the layer was built for inputs of shape "
                f"{tuple(built)}, "
                f"but adapt() received a batch of shape {tuple(shape)}"
            )

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": tuple(self.axis),
            "invert": self.invert,
            "mean": None if self.input_mean is None else np.asarray(self.input_mean).tolist(),
            "variance": None
            if self.input_variance is None
            else np.asarray(self.input_variance).tolist(),
        }
