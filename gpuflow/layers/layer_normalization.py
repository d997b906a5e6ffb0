"""LayerNormalization: normalize each example over its feature axes, then scale and shift."""

from __future__ import annotations

import warnings

from .. import constraints, initializers
from ..ops.math import cast, sqrt, square
from ..ops.reduce import reduce_mean
from ..ops.shape import reshape
from ._args import serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer


class LayerNormalization(Layer):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta``, statistics over ``axis`` per example.

    Args:
        axis: the axis or axes normalized over (default the last); gamma and beta have their shape.
        epsilon: added to the variance.
        center, scale: whether to learn ``beta`` and ``gamma``.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer: as Keras.
        beta_constraint, gamma_constraint: applied after each optimizer step, as Keras.
        rms_scaling: deprecated in Keras 3 and kept with its meaning there: ``x / sqrt(var +
            epsilon) * gamma`` without centering and without beta (use RMSNormalization).

    float16 and bfloat16 inputs are normalized in float32 (as Keras). Weights in order: gamma, beta.
    """

    supports_masking = True

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ) -> None:
        self.rms_scaling = bool(kwargs.pop("rms_scaling", False))
        if self.rms_scaling:
            warnings.warn(
                "LayerNormalization: rms_scaling=True is deprecated (as in Keras 3): it scales "
                "the input by the variance, not the root mean square. Use "
                "keras.layers.RMSNormalization for RMS normalization.",
                UserWarning,
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)
        if not float(epsilon) > 0:
            raise ValueError(
                f"{self._where()}: epsilon must be positive, received epsilon={epsilon!r}"
            )
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = layer_regularizer(beta_regularizer, self)
        self.gamma_regularizer = layer_regularizer(gamma_regularizer, self)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            # As Keras, axis 0 may be normalized too (a rank-1 input normalizes its one axis).
            if not -len(shape) <= a < len(shape):
                raise ValueError(
                    f"{self._where()}: axis {a} is out of range for an input of shape {shape}"
                )
        self._axes = tuple(sorted(a % len(shape) for a in axes))
        param = tuple(shape[a] for a in self._axes)
        if None in param:
            raise ValueError(
                f"{self._where()}: the normalized axes must be known, received shape {shape}"
            )
        if self.scale or self.rms_scaling:
            self.gamma = self._add_weight(
                "gamma",
                param,
                self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center and not self.rms_scaling:
            self.beta = self._add_weight(
                "beta",
                param,
                self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self._broadcast = tuple(shape[i] if i in self._axes else 1 for i in range(len(shape)))
        self._ndim = len(shape)
        super().build(input_shape)

    def call(self, inputs):
        if inputs.ndim != self._ndim:
            raise ValueError(
                f"{self._where()}: expected input of rank {self._ndim}, received "
                "shape "
                f"{tuple(inputs.shape)}"
            )
        x = cast(inputs, "float32") if inputs.dtype in ("float16", "bfloat16") else inputs
        mean = reduce_mean(x, self._axes, keepdims=True)
        variance = reduce_mean(square(x - mean), self._axes, keepdims=True)
        centered = x if self.rms_scaling else x - mean
        y = centered / sqrt(variance + self.epsilon)
        if self.gamma is not None:
            y = y * reshape(cast(self.gamma, y.dtype), self._broadcast)
        if self.beta is not None:
            y = y + reshape(cast(self.beta, y.dtype), self._broadcast)
        return cast(y, inputs.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": serialize_regularizer(self.beta_regularizer),
            "gamma_regularizer": serialize_regularizer(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
