"""Regularization by noise, active only in training: GaussianNoise, GaussianDropout,
SpatialDropout1D/2D (whole feature maps dropped); and ActivityRegularization."""

from __future__ import annotations

import math

from .. import random as _random
from ..ops.math import abs as _abs
from ..ops.math import cast, square
from ..ops.reduce import reduce_sum
from ._args import check_rank, non_negative, unit_rate
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg
from .core import Dropout
from .seed_generator import SeedGenerator, layer_seed


def _normal(layer, shape, like, stddev):
    seed = layer_seed(layer)
    if seed is None:
        return _random.normal(shape, 0.0, stddev, dtype="float32", device=like.device)
    return _random.stateless_normal(shape, seed, 0.0, stddev, dtype="float32", device=like.device)


class GaussianNoise(Layer):
    """Adds zero-mean Gaussian noise of ``stddev`` in training (a data augmentation).

    Args:
        stddev: the noise's standard deviation, >= 0.
        seed: the seed of the layer's ``seed_generator`` (reproducible draws); with None the
            noise comes from the device's random stream and the generator's counter advances
            on each training call, as Keras 3's.
    """

    supports_masking = True

    def __init__(self, stddev, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        self.stddev = non_negative(stddev, "stddev", self._where())
        self.seed = seed
        if self.stddev > 0:  # as Keras 3: a layer that never draws has no generator
            self.seed_generator = SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        return inputs + cast(_normal(self, tuple(inputs.shape), inputs, self.stddev), inputs.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(Layer):
    """Multiplies by Gaussian noise of mean 1 and stddev ``sqrt(rate / (1 - rate))`` in training.

    Args:
        rate: the equivalent dropout rate, in ``[0, 1)``.
        seed: the seed of the layer's ``seed_generator`` (reproducible draws); with None the
            noise comes from the device's random stream and the generator's counter advances
            on each training call, as Keras 3's.
    """

    supports_masking = True

    def __init__(self, rate, seed=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        self.rate = unit_rate(rate, "rate", self._where())
        self.seed = seed
        if self.rate > 0:  # as Keras 3: a layer that never draws has no generator
            self.seed_generator = SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = _normal(self, tuple(inputs.shape), inputs, stddev) + 1.0
        return inputs * cast(noise, inputs.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class _SpatialDropout(ChannelsFirst, Dropout):
    _rank = 3
    _layout = "[batch, steps, channels]"

    @property
    def _spatial_rank(self) -> int:  # for ChannelsFirst
        return self._rank - 2

    def __init__(self, rate, seed=None, **kwargs) -> None:
        kwargs.pop("noise_shape", None)
        unit_rate(rate, "rate", f"{type(self).__name__} '{kwargs.get('name') or '?'}'")
        super().__init__(rate, seed=seed, **kwargs)

    def call(self, inputs, training=None):
        check_rank(self, inputs.shape, self._rank, self._layout)
        shape = tuple(inputs.shape)
        self.noise_shape = (shape[0],) + (1,) * (self._rank - 2) + (shape[-1],)
        try:
            return super().call(inputs, training)
        finally:
            self.noise_shape = None

    def get_config(self) -> dict:
        # Keras 3's BaseSpatialDropout config: rate, seed, name and the dtype as a plain name
        # (no trainable, no noise_shape); other base keys (batch_input_shape) follow
        config = super().get_config()
        for key in ("name", "trainable", "dtype", "rate", "seed", "noise_shape"):
            config.pop(key, None)
        own = {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}
        return {**own, **config}


class SpatialDropout1D(_SpatialDropout):
    """Drops whole channels of ``[batch, steps, channels]`` (the same ones at every step)."""


class SpatialDropout2D(_SpatialDropout):
    """Drops whole feature maps of ``[batch, height, width, channels]``."""

    _rank = 4
    _layout = "[batch, height, width, channels]"

    def __init__(self, rate, data_format=None, seed=None, **kwargs) -> None:
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = data_format_arg(data_format, self._where())

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class ActivityRegularization(Layer):
    """Passes inputs through and adds ``l1 * sum(|x|) + l2 * sum(x^2)`` (over the batch, divided by
    the batch size, as Keras) to :attr:`losses`.

    Args:
        l1, l2: the penalty factors, >= 0.
    """

    supports_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        self.l1 = non_negative(l1, "l1", self._where())
        self.l2 = non_negative(l2, "l2", self._where())

    def call(self, inputs):
        penalty = None
        x = cast(inputs, "float32") if inputs.dtype in ("float16", "bfloat16") else inputs
        if self.l1:
            penalty = self.l1 * reduce_sum(_abs(x))
        if self.l2:
            term = self.l2 * reduce_sum(square(x))
            penalty = term if penalty is None else penalty + term
        if penalty is not None:
            self.add_loss(penalty / max(inputs.shape[0], 1))
        return inputs

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}
