"""``keras.random`` (Keras 3): random tensors drawn from explicit seeds.

As in Keras, every draw is *stateless*: ``seed=42`` gives the same numbers on each call. A
:class:`SeedGenerator` holds a state (a non-trainable Variable ``[seed, counter]``) that
each draw reads and advances, so repeated draws differ but replay the same after the same
seed. ``seed=None`` uses a global SeedGenerator, made again from Python's ``random`` after
``keras.utils.set_random_seed``. Inside ``gpuflow.function`` the state update and the draw
are recorded steps, so every compiled call draws fresh numbers.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .. import random as _tf_random
from .._tracing import host_call
from ..layers.seed_generator import SEED_DTYPE, SeedGenerator
from ..ops._common import as_shape
from ..tensor import Tensor
from .ops._dtypes import convert_to_tensor, standardize_dtype


class _GlobalGenerator:
    """The global SeedGenerator, made again after each ``set_random_seed`` / ``set_seed``."""

    generator = None
    seed_calls = -1


def global_seed_generator() -> SeedGenerator:
    """The SeedGenerator that draws with ``seed=None`` use."""
    calls = _tf_random._seed_calls
    if _GlobalGenerator.generator is None or _GlobalGenerator.seed_calls != calls:
        _GlobalGenerator.generator = SeedGenerator(name="global_seed_generator")
        _GlobalGenerator.seed_calls = calls
    return _GlobalGenerator.generator


def draw_seed(seed) -> Tensor:
    """The seed pair of one draw: from a SeedGenerator (advancing it), an int (fixed), or
    the global generator (None)."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)):
        return convert_to_tensor(np.array([int(seed) & 0xFFFFFFFF, 0], dtype=SEED_DTYPE))
    if seed is None:
        return global_seed_generator().next(ordered=False)
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
        f"Received: seed={seed} (of type {type(seed)})"
    )


def _float_dtype(dtype, op: str) -> str:
    name = standardize_dtype(dtype)
    if not dtypes.as_dtype(name).is_floating:
        raise ValueError(
            f"`keras.random.{op}` requires a floating point `dtype`. Received: dtype={dtype}"
        )
    return name


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """Samples of a normal distribution."""
    dtype = _float_dtype(dtype, "normal")
    return _tf_random.stateless_normal(
        shape, seed=draw_seed(seed), mean=mean, stddev=stddev, dtype=dtype
    )


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None) -> Tensor:
    """Samples of a uniform distribution on ``[minval, maxval)`` (float dtypes only: use
    :func:`randint` for integers)."""
    dtype = _float_dtype(dtype, "uniform")
    return _tf_random.stateless_uniform(
        shape, seed=draw_seed(seed), minval=minval, maxval=maxval, dtype=dtype
    )


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """Normal samples redrawn until within two standard deviations of the mean."""
    dtype = _float_dtype(dtype, "truncated_normal")
    return _tf_random.stateless_truncated_normal(
        shape, seed=draw_seed(seed), mean=mean, stddev=stddev, dtype=dtype
    )


def randint(shape, minval, maxval, dtype="int32", seed=None) -> Tensor:
    """Integers drawn uniformly from ``[minval, maxval)``."""
    name = standardize_dtype(dtype)
    if not dtypes.as_dtype(name).is_integer:
        raise ValueError(
            f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype}"
        )
    if not maxval > minval:
        raise ValueError(f"randint: maxval {maxval} must be greater than minval {minval}")
    return _tf_random.stateless_uniform(
        shape, seed=draw_seed(seed), minval=minval, maxval=maxval, dtype=name
    )


def categorical(logits, num_samples, dtype="int32", seed=None) -> Tensor:
    """``num_samples`` class indices per row of ``logits [batch, classes]``."""
    return _tf_random.stateless_categorical(
        convert_to_tensor(logits), num_samples, seed=draw_seed(seed), dtype=standardize_dtype(dtype)
    )


def dropout(inputs, rate, noise_shape=None, seed=None) -> Tensor:
    """``inputs`` with elements zeroed with probability ``rate``, the rest scaled by
    ``1 / (1 - rate)`` (``noise_shape`` broadcasts one mask)."""
    from ..ops.creation import zeros_like
    from ..ops.select import where

    x = convert_to_tensor(inputs)
    if not 0 <= rate < 1:
        raise ValueError(f"dropout: rate must be in [0, 1), received {rate}")
    shape = (
        tuple(x.shape)
        if noise_shape is None
        else tuple(x.shape[i] if n is None else n for i, n in enumerate(noise_shape))
    )
    keep = uniform(shape, dtype=x.dtype.name if x.dtype.is_floating else None, seed=seed) >= rate
    return where(keep, x / (1 - rate), zeros_like(x))


@host_call(effect=False, droppable=False)
def _permutation(seed: Tensor, n: int):
    gen = _tf_random._stateless(seed, "keras.random.shuffle")
    return Tensor(gen.permutation(n).astype(np.int64))


def shuffle(x, axis=0, seed=None) -> Tensor:
    """``x`` with its slices along ``axis`` in a random order."""
    from ..ops.indexing import gather

    t = convert_to_tensor(x)
    if t.ndim == 0:
        raise ValueError("shuffle: expected a tensor of rank >= 1, received a scalar")
    return gather(t, _permutation(draw_seed(seed), t.shape[axis]), axis=axis)


@host_call(effect=False, droppable=False)
def _sample(seed: Tensor, op: str, shape: tuple, dtype: str, params: tuple):
    gen = _tf_random._stateless(seed, f"keras.random.{op}")
    values = getattr(gen, op)(*params, size=shape)
    return Tensor(np.asarray(values).astype(dtype))


def _params(*values) -> tuple:
    return tuple(
        np.asarray(v.numpy() if isinstance(v, Tensor) else v, dtype=np.float64) for v in values
    )


def gamma(shape, alpha, dtype=None, seed=None) -> Tensor:
    """Samples of a gamma distribution with shape ``alpha`` (scale 1)."""
    dtype = _float_dtype(dtype, "gamma")
    shape = as_shape("keras.random.gamma", shape)
    return _sample(draw_seed(seed), "gamma", shape, dtype, _params(alpha))


def beta(shape, alpha, beta, dtype=None, seed=None) -> Tensor:
    """Samples of a beta distribution with parameters ``alpha`` and ``beta``."""
    dtype = _float_dtype(dtype, "beta")
    shape = as_shape("keras.random.beta", shape)
    return _sample(draw_seed(seed), "beta", shape, dtype, _params(alpha, beta))


def binomial(shape, counts, probabilities, dtype=None, seed=None) -> Tensor:
    """Samples of a binomial distribution: successes in ``counts`` trials of probability
    ``probabilities`` (returned in a float dtype, as Keras)."""
    dtype = _float_dtype(dtype, "binomial")
    shape = as_shape("keras.random.binomial", shape)
    counts, probs = _params(counts, probabilities)
    return _sample(draw_seed(seed), "binomial", shape, dtype, (counts.astype(np.int64), probs))
