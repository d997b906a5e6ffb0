"""Which elements, how often: take, skip, shard, repeat.

Each keeps an IndexPlan when its input has one, so that ``batch`` can still gather whole
batches from stacked arrays (see ``dataset.IndexPlan``).
"""

from __future__ import annotations

import itertools

from .arguments import as_int
from .dataset import INFINITE, UNKNOWN, Dataset, IndexPlan


def _count(value, op: str) -> int:
    return as_int(value, op, "count")


class TakeDataset(Dataset):
    """At most ``count`` elements (all of them when ``count`` is -1)."""

    def __init__(self, dataset, count) -> None:
        super().__init__((dataset,))
        self._count = _count(count, "Dataset.take")

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        if self._count < 0:
            return n
        if n == INFINITE:
            return self._count
        return UNKNOWN if n == UNKNOWN else min(n, self._count)

    def _elements(self, ctx):
        if self._count < 0:
            yield from self._inputs[0]._elements(ctx)
        elif self._count > 0:  # never start an input we take nothing from
            yield from itertools.islice(self._inputs[0]._elements(ctx), self._count)

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None or self._count < 0:
            return plan
        count = self._count

        def orders(ctx):
            left = count
            for chunk in plan.orders(ctx):
                if left <= 0:
                    return
                yield chunk[:left]
                left -= len(chunk)

        return IndexPlan(plan.arrays, orders)


class SkipDataset(Dataset):
    """All but the first ``count`` elements (none when ``count`` is -1)."""

    def __init__(self, dataset, count) -> None:
        super().__init__((dataset,))
        self._count = _count(count, "Dataset.skip")

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        if n < 0:
            return n if self._count >= 0 else (0 if n == INFINITE else UNKNOWN)
        return 0 if self._count < 0 else max(n - self._count, 0)

    def _elements(self, ctx):
        if self._count < 0:
            for _ in self._inputs[0]._elements(ctx):
                pass
            return
        yield from itertools.islice(self._inputs[0]._elements(ctx), self._count, None)

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None or self._count < 0:
            return None
        count = self._count

        def orders(ctx):
            left = count
            for chunk in plan.orders(ctx):
                if left >= len(chunk):
                    left -= len(chunk)
                    continue
                yield chunk[left:]
                left = 0

        return IndexPlan(plan.arrays, orders)


class ShardDataset(Dataset):
    """Every ``num_shards``-th element, starting at ``index`` (one worker's share)."""

    def __init__(self, dataset, num_shards, index) -> None:
        super().__init__((dataset,))
        num_shards = _count(num_shards, "Dataset.shard(num_shards)")
        index = _count(index, "Dataset.shard(index)")
        if num_shards < 1:
            raise ValueError(f"Dataset.shard: num_shards must be >= 1, received {num_shards}")
        if not 0 <= index < num_shards:
            raise ValueError(
                f"Dataset.shard: index must be in [0, num_shards={num_shards}), received {index}"
            )
        self._shards, self._index = num_shards, index

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        if n < 0:
            return n
        return n // self._shards + (1 if self._index < n % self._shards else 0)

    def _elements(self, ctx):
        yield from itertools.islice(self._inputs[0]._elements(ctx), self._index, None, self._shards)

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None:
            return None
        shards, index = self._shards, self._index

        def orders(ctx):
            offset = 0
            for chunk in plan.orders(ctx):
                first = (index - offset) % shards
                yield chunk[first::shards]
                offset += len(chunk)

        return IndexPlan(plan.arrays, orders)


class RepeatDataset(Dataset):
    """The input's passes one after another, ``count`` times (forever when None or -1)."""

    def __init__(self, dataset, count) -> None:
        super().__init__((dataset,))
        self._count = -1 if count is None else _count(count, "Dataset.repeat")

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        if self._count == 0 or n == 0:
            return 0
        if self._count < 0:
            return INFINITE  # as TensorFlow, also for an input of unknown length
        return n * self._count if n >= 0 else n

    def _passes(self):
        return itertools.count() if self._count < 0 else range(self._count)

    def _elements(self, ctx):
        for _ in self._passes():
            empty = True
            for element in self._inputs[0]._elements(ctx):
                empty = False
                yield element
            if empty:  # repeating an empty pass forever would hang
                return

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None:
            return None

        def orders(ctx):
            for _ in self._passes():
                empty = True
                for chunk in plan.orders(ctx):
                    empty = empty and len(chunk) == 0
                    yield chunk
                if empty:
                    return

        return IndexPlan(plan.arrays, orders)


def take(self, count, name=None) -> Dataset:
    """At most the first ``count`` elements (-1: all)."""
    return TakeDataset(self, count)


def skip(self, count, name=None) -> Dataset:
    """Drop the first ``count`` elements (-1: all)."""
    return SkipDataset(self, count)


def shard(self, num_shards, index, name=None) -> Dataset:
    """The elements whose position ``i`` has ``i % num_shards == index``.

    Multi-worker training gives each worker ``shard(num_workers, worker_index)``; shard
    before shuffling and other expensive steps, as in TensorFlow.
    """
    return ShardDataset(self, num_shards, index)


def repeat(self, count=None, name=None) -> Dataset:
    """Repeat the dataset ``count`` times (None or -1: forever)."""
    return RepeatDataset(self, count)
