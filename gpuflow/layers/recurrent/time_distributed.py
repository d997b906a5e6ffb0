"""TimeDistributed: applies a layer to every timestep of ``[N, T, ...]``, one timestep at a time."""

from __future__ import annotations

from ...ops.shape import reshape, stack
from ..base import Layer

#: gpuflow's own layers whose output row i depends only on input row i (no batch
#: statistics, no state, no randomness): run on the N*T rows at once. Any other layer
#: (BatchNormalization, Dropout, a user's layer) gets one call per timestep, as Keras 3.
_ROW_WISE = {
    "Dense",
    "EinsumDense",
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Flatten",
    "Activation",
    "ReLU",
    "Softmax",
    "Reshape",
    "MaxPooling1D",
    "MaxPooling2D",
    "AveragePooling1D",
    "AveragePooling2D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Embedding",
    "LayerNormalization",
    "Rescaling",
}


def _row_wise(layer) -> bool:
    cls = type(layer)
    return cls.__name__ in _ROW_WISE and cls.__module__.startswith("gpuflow.")


class TimeDistributed(Layer):
    """``layer`` applied to each slice ``inputs[:, t]`` with shared weights.

    As Keras 3, each timestep is its own call on a batch of N (not one call on N*T rows), so a
    batch-dependent layer (BatchNormalization in training) sees per-timestep batches, and a
    layer that takes a mask gets ``mask[:, t]``.

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
        if mask is not None and tuple(mask.shape[:2]) != tuple(inputs.shape[:2]):
            raise ValueError(
                f"{self._where()}: the mask's first two axes (batch, timesteps) must match "
                f"the input's, received mask shape {tuple(mask.shape)} for input shape "
                f"{tuple(inputs.shape)}"
            )
        if _row_wise(self.layer) and mask is None:
            # each sample's output depends on that sample alone: one call on N*T rows is
            # the same as T calls on N (and one GEMM instead of T small ones)
            rows = reshape(inputs, (-1,) + tuple(inputs.shape[2:]))
            out = self.layer(rows, training=training)
            return reshape(out, (-1, inputs.shape[1]) + tuple(out.shape[1:]))
        kwargs = {"training": training}
        steps = []
        for t in range(inputs.shape[1]):
            if mask is not None and self.layer._call_takes_mask:
                kwargs["mask"] = mask[:, t]
            steps.append(self.layer(inputs[:, t], **kwargs))
        return stack(steps, axis=1)

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
