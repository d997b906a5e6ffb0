"""Masking: marks the timesteps whose features all equal ``mask_value`` as padding."""

from __future__ import annotations

from ..ops.math import cast, not_equal
from ..ops.reduce import reduce_any
from .base import Layer
from .input_spec import InputSpec


class Masking(Layer):
    """Zeroes timesteps whose every feature equals ``mask_value`` and masks them downstream.

    Args:
        mask_value: the padding value.

    Input ``[batch, timesteps, features...]``; the mask is ``[batch, timesteps]``. As Keras,
    a rank-1 input is one step of features (its mask is a scalar).
    """

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        self.mask_value = float(mask_value)
        self.input_spec = InputSpec(min_ndim=1, hint="[batch, timesteps, features]")

    def _keep(self, inputs):
        return reduce_any(not_equal(inputs, self.mask_value), axis=-1, keepdims=True)

    def call(self, inputs):
        return inputs * cast(self._keep(inputs), inputs.dtype)

    def compute_mask(self, inputs, mask=None):
        return reduce_any(not_equal(inputs, self.mask_value), axis=-1)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
