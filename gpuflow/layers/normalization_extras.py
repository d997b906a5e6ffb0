"""GroupNormalization and UnitNormalization."""

from __future__ import annotations

from .. import initializers
from ..ops.math import cast, maximum, sqrt, square
from ..ops.reduce import reduce_mean, reduce_sum
from ..ops.shape import reshape
from ._args import positive_int, serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer


class GroupNormalization(Layer):
    """Normalizes each example over groups of channels (Wu and He, 2018).

    Args:
        groups: number of groups; the channel axis must divide into it (-1: one per channel).
        axis: the channel axis (default last).
        epsilon: added to the variance.
        center, scale, beta_initializer, gamma_initializer, beta_regularizer,
        gamma_regularizer: as :class:`LayerNormalization`.

    Statistics are over all non-batch axes but the channel axis, within each group of
    ``channels / groups`` channels; float16 is computed in float32. Weights: gamma, beta.
    """

    supports_masking = True

    def __init__(
        self,
        groups=32,
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
        super().__init__(**kwargs)
        where = self._where()
        self.groups = -1 if groups == -1 else positive_int(groups, "groups", where)
        self.axis = int(axis)
        if not float(epsilon) > 0:
            raise ValueError(f"{where}: epsilon must be positive, received epsilon={epsilon!r}")
        if beta_constraint is not None or gamma_constraint is not None:
            raise ValueError(f"{where}: beta_constraint and gamma_constraint are not supported")
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = layer_regularizer(beta_regularizer, self)
        self.gamma_regularizer = layer_regularizer(gamma_regularizer, self)
        self.gamma = self.beta = None

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        where = self._where()
        if not -len(shape) <= self.axis < len(shape) or self.axis % len(shape) == 0:
            raise ValueError(
                f"{where}: axis {self.axis} is not a feature axis of input shape {shape}"
            )
        self._axis = self.axis % len(shape)
        channels = shape[self._axis]
        if channels is None:
            raise ValueError(f"{where}: the channel axis must be known, received shape {shape}")
        groups = channels if self.groups == -1 else self.groups
        if groups > channels or channels % groups:
            raise ValueError(
                f"{where}: the number of channels ({channels}) must be a multiple "
                "of, and "
                f"at least, groups={self.groups}; received input shape {shape}"
            )
        self._groups = groups
        if self.scale:
            self.gamma = self._add_weight(
                "gamma", (channels,), self.gamma_initializer, regularizer=self.gamma_regularizer
            )
        if self.center:
            self.beta = self._add_weight(
                "beta", (channels,), self.beta_initializer, regularizer=self.beta_regularizer
            )
        super().build(input_shape)

    def call(self, inputs):
        shape, a, g = tuple(inputs.shape), self._axis, self._groups
        grouped = shape[:a] + (g, shape[a] // g) + shape[a + 1 :]
        x = reshape(inputs, grouped)
        x = cast(x, "float32") if x.dtype in ("float16", "bfloat16") else x
        axes = tuple(i for i in range(1, len(grouped)) if i != a)
        mean = reduce_mean(x, axes, keepdims=True)
        variance = reduce_mean(square(x - mean), axes, keepdims=True)
        y = reshape((x - mean) / sqrt(variance + self.epsilon), shape)
        broadcast = tuple(n if i == a else 1 for i, n in enumerate(shape))
        if self.gamma is not None:
            y = y * reshape(cast(self.gamma, y.dtype), broadcast)
        if self.beta is not None:
            y = y + reshape(cast(self.beta, y.dtype), broadcast)
        return cast(y, inputs.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
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


class UnitNormalization(Layer):
    """Scales each example to unit L2 norm along ``axis``: ``x / max(||x||, 1e-12)``."""

    supports_masking = True

    def __init__(self, axis=-1, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)

    def call(self, inputs):
        x = cast(inputs, "float32") if inputs.dtype in ("float16", "bfloat16") else inputs
        norm = sqrt(maximum(reduce_sum(square(x), self.axis, keepdims=True), 1e-24))
        return cast(x / norm, inputs.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
