"""Rescaling: ``inputs * scale + offset`` (e.g. pixels in [0, 255] to [0, 1])."""

from __future__ import annotations

import numpy as np

from ...ops.creation import constant
from ..base import Layer


class Rescaling(Layer):
    """Multiplies by ``scale`` and adds ``offset``; integer inputs become the compute dtype.

    Args:
        scale: a float, or a list/array broadcast against the inputs (e.g. per channel).
        offset: likewise.
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    supports_masking = True

    def __init__(self, scale, offset=0.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scale = scale.tolist() if isinstance(scale, np.ndarray) else scale
        self.offset = offset.tolist() if isinstance(offset, np.ndarray) else offset

    def call(self, inputs):
        dtype = inputs.dtype
        scale = constant(np.asarray(self.scale, dtype=dtype), device=inputs.device)
        offset = constant(np.asarray(self.offset, dtype=dtype), device=inputs.device)
        return inputs * scale + offset

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
