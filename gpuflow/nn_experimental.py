"""``gpuflow.nn.experimental`` (``tf.nn.experimental``): dropout with a given random source.

``stateless_dropout`` draws its mask with ``gpuflow.random.stateless_uniform`` (the same
mask for the same seed, but not TensorFlow's numbers); ``general_dropout`` with any
``uniform_sampler(shape, dtype)``."""

from __future__ import annotations

from . import random as _random
from .ops._common import as_tensor, invalid_argument
from .tensor import Tensor


def _rate(rate) -> float:
    r = float(rate)
    if not 0.0 <= r < 1.0:
        raise invalid_argument("dropout", f"rate must be a scalar in [0, 1), received {rate}")
    return r


def general_dropout(x, rate, uniform_sampler, noise_shape=None, name=None) -> Tensor:
    """Zero each element (or each ``noise_shape`` block) where ``uniform_sampler`` draws a
    value below ``rate``; scale the rest by ``1 / (1 - rate)``."""
    from .ops.math import cast, greater_equal, multiply

    t = as_tensor(x)
    r = _rate(rate)
    if r == 0.0:
        return t
    shape = list(t.shape) if noise_shape is None else [int(n) for n in noise_shape]
    draws = as_tensor(uniform_sampler(shape=shape, dtype=t.dtype))
    keep = cast(greater_equal(draws, r), t.dtype)
    return multiply(t * (1.0 / (1.0 - r)), keep)


def stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None) -> Tensor:
    """Dropout whose mask depends only on ``seed`` (a shape-[2] integer seed)."""

    def sampler(shape, dtype):
        return _random.stateless_uniform(shape, seed=seed, dtype=dtype)

    return general_dropout(x, rate, sampler, noise_shape)


__all__ = ["general_dropout", "stateless_dropout"]
