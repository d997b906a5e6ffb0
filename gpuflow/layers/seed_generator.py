"""``keras.random.SeedGenerator`` (Keras 3): the state of a sequence of random draws, a
non-trainable Variable ``[seed, counter]`` that layers (Dropout) own and list in their
``variables``. Kept with the layers, which track it; ``keras.random`` re-exports it."""

from __future__ import annotations

import random as _python_random

import numpy as np

from .. import random as _random
from ..tensor import Tensor, Variable
from ._context import current_path
from .naming import unique_name

SEED_DTYPE = "int64"


class SeedGenerator:
    """The state of a sequence of random draws.

    Args:
        seed: an int; None picks one from Python's ``random`` (seeded by
            ``keras.utils.set_random_seed``).
        name: a name for the state variable's scope.

    ``next()`` returns the current seed pair and advances the state. The state variable is
    named ``"seed_generator_state"``, its path ``"<name>/seed_generator_state"`` (under the
    open ``keras.name_scope``), as in Keras.
    """

    def __init__(self, seed=None, name=None, **kwargs) -> None:
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized keyword arguments: {kwargs}")
        self.name = name or unique_name("seed_generator")  # Keras's counter
        self._initial_seed = seed
        if seed is None:
            seed = _python_random.randint(1, int(1e9))
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        self.state = Variable(
            np.array([int(seed), 0], dtype=SEED_DTYPE),
            trainable=False,
            name="seed_generator_state",
        )
        self.state._path = "/".join(p for p in (current_path(), self.name) if p)
        self.state._path += "/seed_generator_state"

    def next(self, ordered=True) -> Tensor:
        """The current seed pair ``[seed, counter]``; the counter advances by one."""
        current = self.state * 1  # a read, recorded when traced
        if ordered:
            self.state.assign_add(np.array([0, 1], dtype=SEED_DTYPE))
        else:
            self.state.assign((self.state + 1) * 5387 % 933199)
        return current

    def advance(self) -> None:
        """Move the counter on by one, as :meth:`next` does, without reading the state: an
        unseeded layer draws from the device's random stream, yet its state moves per call
        as Keras 3's does."""
        self.state.assign_add(np.array([0, 1], dtype=SEED_DTYPE))

    def get_config(self) -> dict:
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<SeedGenerator name={self.name!r} state={self.state.numpy().tolist()}>"


def layer_seed(layer):
    """The seed of ``layer``'s next draw: its generator's ``[seed, counter]`` pair when the
    layer was given a seed (reproducible stateless draws); None for an unseeded layer, which
    draws from the device's random stream while its generator's counter still advances."""
    if layer.seed is not None:
        return layer.seed_generator.next()
    layer.seed_generator.advance()
    return None


def uniform_draws(shape, seed, device):
    """float32 draws in ``[0, 1)`` of ``shape``: stateless from ``seed`` (a
    :func:`layer_seed` result), or from the device's random stream when it is None."""
    if seed is None:
        return _random.uniform(shape, dtype="float32", device=device)
    return _random.stateless_uniform(tuple(shape), seed, dtype="float32", device=device)
