"""``Dataset.shuffle``: TensorFlow's buffer shuffle, seeded so that runs repeat."""

from __future__ import annotations

import itertools
import threading

import numpy as np

from ..random import host_rng
from .arguments import as_int
from .dataset import Dataset, IndexPlan

_CHUNK = 4096  # index chunk size handed to batch on the fast path


def buffer_shuffle(items, buffer_size: int, rng: np.random.Generator):
    """Yield ``items`` shuffled through a buffer of ``buffer_size``, as tf.data does.

    Fill the buffer, then repeatedly emit a random slot and refill it with the next item;
    at the end emit what is left in random order. A buffer at least as long as the data
    gives a uniform permutation.
    """
    iterator = iter(items)
    buffer = list(itertools.islice(iterator, buffer_size))
    draws = iter(())
    for item in iterator:
        try:
            u = next(draws)
        except StopIteration:
            draws = iter(rng.random(1024).tolist())
            u = next(draws)
        slot = int(u * len(buffer))
        out = buffer[slot]
        buffer[slot] = item
        yield out
    for slot in rng.permutation(len(buffer)).tolist():
        yield buffer[slot]


class ShuffleDataset(Dataset):
    """The input's elements in random order, drawn through a buffer of ``buffer_size``."""

    def __init__(self, dataset, buffer_size, seed, reshuffle_each_iteration) -> None:
        super().__init__((dataset,))
        self._buffer = as_int(buffer_size, "Dataset.shuffle", "buffer_size", minimum=1)
        if seed is not None:
            seed = as_int(seed, "Dataset.shuffle", "seed")
        # Without an op seed, draw one from the host stream: random run to run, unless
        # gpuflow.random.set_seed was called (then the same on every run, as in TensorFlow).
        self._seed = int(seed) if seed is not None else int(host_rng().integers(2**62))
        self._reshuffle = (
            True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        )
        self._passes = itertools.count()
        self._lock = threading.Lock()

    def _rng(self, ctx) -> np.random.Generator:
        """A fresh generator per pass: pass k of a seeded dataset is the same on every run.
        A spec probe does not count as a pass."""
        return np.random.default_rng(list(ctx.pass_seed(self, self._next_pass)))

    def _next_pass(self) -> int:
        with self._lock:
            return next(self._passes) if self._reshuffle else 0

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _elements(self, ctx):
        yield from buffer_shuffle(self._inputs[0]._elements(ctx), self._buffer, self._rng(ctx))

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None:
            return None
        n = self._inputs[0]._cardinality()

        def orders(ctx):
            rng = self._rng(ctx)
            if 0 <= n <= self._buffer:
                # The buffer holds everything: one permutation, drawn as buffer_shuffle draws it.
                chunks = list(plan.orders(ctx))
                flat = np.concatenate(chunks) if chunks else np.zeros(0, np.int64)
                yield flat[rng.permutation(len(flat))]
                return
            ints = (i for chunk in plan.orders(ctx) for i in chunk.tolist())
            shuffled = buffer_shuffle(ints, self._buffer, rng)
            while True:
                chunk = list(itertools.islice(shuffled, _CHUNK))
                if not chunk:
                    return
                yield np.asarray(chunk, dtype=np.int64)

        return IndexPlan(plan.arrays, orders)


def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None) -> Dataset:
    """Shuffle the elements through a buffer of ``buffer_size`` elements.

    Args:
        buffer_size: how many elements to draw from; at least the dataset's size for a
            uniform shuffle.
        seed: an int for the same order on every run (as does
            ``gpuflow.random.set_seed`` before the dataset is made).
        reshuffle_each_iteration: a new order on each pass (default True); False repeats
            the first pass's order.
        name: unused; accepted for TensorFlow's signature.
    """
    return ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)
