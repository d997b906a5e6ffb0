"""AlphaDropout: dropout that keeps the mean and variance of self-normalizing (SELU)
activations, as ``keras.layers.AlphaDropout``."""

from __future__ import annotations

from ..ops.math import cast
from ._args import unit_rate
from .base import Layer
from .seed_generator import SeedGenerator, layer_seed, uniform_draws

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """In training, sets a fraction ``rate`` of the inputs to SELU's negative saturation
    value and applies the affine map that restores the inputs' mean and variance.

    Args:
        rate: the fraction dropped, in ``[0, 1)``.
        noise_shape: the shape of the mask (None entries take the input's size), to drop
            whole slices.
        seed: the seed of the layer's ``seed_generator`` (reproducible draws); with None the
            mask comes from the device's random stream and the generator's counter advances
            on each training call, as Keras 3's.
    """

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        self.rate = unit_rate(rate, "rate", self._where())
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        if self.rate > 0:  # as Keras 3: a layer that never draws has no generator
            self.seed_generator = SeedGenerator(seed)

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
        draws = uniform_draws(shape, layer_seed(self), inputs.device)
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
            "noise_shape": self.noise_shape,
            "seed": self.seed,
        }
