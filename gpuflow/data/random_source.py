"""``Dataset.random``: an infinite dataset of pseudorandom int64 scalars."""

from __future__ import annotations

import itertools
import threading

import numpy as np

from ..random import host_rng
from ..tensor_spec import TensorSpec
from .arguments import as_int
from .dataset import INFINITE, Dataset


class RandomDataset(Dataset):
    """Uniform int64 values in ``[0, 2**32)``; the same stream for one ``seed`` (gpuflow's
    generator: not TensorFlow's values). Without a seed each dataset draws its own; with
    ``rerandomize_each_iteration`` each pass continues with a new stream."""

    def __init__(self, seed, rerandomize_each_iteration) -> None:
        super().__init__()
        self._seed = (
            as_int(seed, "Dataset.random", "seed")
            if seed is not None
            else int(host_rng().integers(2**62))
        )
        self._rerandomize = bool(rerandomize_each_iteration)
        self._passes = itertools.count()
        self._lock = threading.Lock()

    def _compute_spec(self):
        return TensorSpec((), np.int64)

    def _cardinality(self) -> int:
        return INFINITE

    def _next_pass(self) -> int:
        with self._lock:
            return next(self._passes) if self._rerandomize else 0

    def _elements(self, ctx):
        rng = np.random.default_rng(list(ctx.pass_seed(self, self._next_pass)))
        while True:
            for value in rng.integers(0, 2**32, size=256, dtype=np.int64):
                yield np.asarray(value)


def random(seed=None, rerandomize_each_iteration=None, name=None) -> Dataset:  # noqa: A001
    """An infinite dataset of pseudorandom int64 scalars (``tf.data.Dataset.random``)."""
    return RandomDataset(seed, rerandomize_each_iteration)
