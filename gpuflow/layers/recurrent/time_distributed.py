"""TimeDistributed: applies a layer to every timestep of ``[N, T, ...]`` (as one batch of N*T)."""

from __future__ import annotations

from ...ops.shape import reshape
from ..base import Layer


class TimeDistributed(Layer):
    """``layer`` applied to each slice ``inputs[:, t]`` with shared weights.

    Args:
        layer: any layer taking ``[batch, ...]``.
    """

    supports_masking = True

    def __init__(self, layer, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(f"{self._where()}: layer must be a Layer, received {layer!r}")
        self.layer = layer

    def _check(self, shape) -> None:
        if len(tuple(shape)) < 3:
            raise ValueError(
                f"{self._where()}: expected input of rank 3 or more "
                f"([batch, timesteps, ...]), received shape {tuple(shape)}"
            )

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        self._check(shape)
        super().build(input_shape)

    def call(self, inputs, training=None, mask=None):
        self._check(inputs.shape)
        n, t = inputs.shape[:2]
        flat = reshape(inputs, (n * t,) + tuple(inputs.shape[2:]))
        y = self.layer(flat, training=training)
        return reshape(y, (n, t) + tuple(y.shape[1:]))

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._check(shape)
        inner = self.layer.compute_output_shape((shape[0],) + shape[2:])
        return (shape[0], shape[1]) + tuple(inner[1:])

    def get_config(self) -> dict:
        from ..serialization import serialize

        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from ..serialization import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        return cls(**config)
