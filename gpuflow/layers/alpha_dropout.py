"""AlphaDropout: dropout that keeps the mean and variance of self-normalizing (SELU)
activations, as ``keras.layers.AlphaDropout``."""

from __future__ import annotations

import numpy as np

from .. import random as _random
from .._tracing import host_call
from ..ops.math import cast
from ..tensor import Tensor
from ._args import unit_rate
from .base import Layer

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


@host_call(effect=False, droppable=False)  # a fresh draw on each compiled step
def _seeded_uniform(layer, shape, device):
    if layer._rng is None:
        layer._rng = np.random.default_rng(layer.seed)
    return Tensor(layer._rng.random(shape).astype("float32"), device=device)


class AlphaDropout(Layer):
    """In training, sets a fraction ``rate`` of the inputs to SELU's negative saturation
    value and applies the affine map that restores the inputs' mean and variance.

    Args:
        rate: the fraction dropped, in ``[0, 1)``.
        noise_shape: the shape of the mask (None entries take the input's size), to drop
            whole slices.
        seed: a seed of this layer's own stream.
    """

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rate = unit_rate(rate, "rate", self._where())
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed, self._rng = seed, None

    def _mask_shape(self, inputs) -> tuple:
        if self.noise_shape is None:
            return tuple(inputs.shape)
        if len(self.noise_shape) != inputs.ndim:
            raise ValueError(
                f"{self._where()}: noise_shape {self.noise_shape} must have the rank of the "
                f"inputs, received inputs of shape {tuple(inputs.shape)}"
            )
        return tuple(n if s is None else int(s) for s, n in zip(self.noise_shape, inputs.shape))

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        shape = self._mask_shape(inputs)
        if self.seed is None:
            draws = _random.uniform(shape, dtype="float32", device=inputs.device)
        else:
            draws = _seeded_uniform(self, shape, inputs.device)
        kept = cast(draws >= self.rate, inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = inputs * kept + alpha_p * (1.0 - kept)
        return x * a + b

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rate": self.rate,
            "noise_shape": None if self.noise_shape is None else list(self.noise_shape),
            "seed": self.seed,
        }
