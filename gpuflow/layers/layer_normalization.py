"""LayerNormalization: normalize each example over its feature axes, then scale and shift."""

from __future__ import annotations

from .. import initializers
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
        beta_constraint, gamma_constraint: accepted for Keras compatibility; must be None.

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
        if kwargs.pop("rms_scaling", False):
            raise ValueError(
                "LayerNormalization: rms_scaling=True is not supported (Keras deprecates it too)"
            )
        super().__init__(**kwargs)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)
        if not float(epsilon) > 0:
            raise ValueError(
                f"{self._where()}: epsilon must be positive, received epsilon={epsilon!r}"
            )
        if beta_constraint is not None or gamma_constraint is not None:
            raise ValueError(
                f"{self._where()}: beta_constraint and gamma_constraint are not supported"
            )
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = layer_regularizer(beta_regularizer, self)
        self.gamma_regularizer = layer_regularizer(gamma_regularizer, self)
        self.gamma = self.beta = None

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -len(shape) <= a < len(shape) or a % len(shape) == 0:
                raise ValueError(
                    f"{self._where()}: axis {a} is not a feature axis of an input of shape {shape}"
                )
        self._axes = tuple(sorted(a % len(shape) for a in axes))
        param = tuple(shape[a] for a in self._axes)
        if None in param:
            raise ValueError(
                f"{self._where()}: the normalized axes must be known, received shape {shape}"
            )
        if self.scale:
            self.gamma = self.add_weight(
                "gamma", param, self.gamma_initializer, regularizer=self.gamma_regularizer
            )
        if self.center:
            self.beta = self.add_weight(
                "beta", param, self.beta_initializer, regularizer=self.beta_regularizer
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
        y = (x - mean) / sqrt(variance + self.epsilon)
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
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": serialize_regularizer(self.beta_regularizer),
            "gamma_regularizer": serialize_regularizer(self.gamma_regularizer),
            "beta_constraint": None,
            "gamma_constraint": None,
        }
