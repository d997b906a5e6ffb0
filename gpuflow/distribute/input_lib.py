"""Distributed datasets of an in-process ``MirroredStrategy``: each element a PerReplica.

``experimental_distribute_dataset`` splits every global batch over the replicas as
TensorFlow does: ``ceil(rows / replicas)`` rows each in replica order, so a short last
batch leaves the last replicas fewer rows or none (9 rows in batches of 4 over two
replicas: ``[0, 1] [2, 3]``, ``[4, 5] [6, 7]``, ``[8] []``).
``distribute_datasets_from_function`` builds one dataset (one input pipeline) whose
consecutive elements go to replicas 0, 1, ... in turn.
"""

from __future__ import annotations

import math

from .. import nest
from ..data.iterator_methods import NextMethods
from .per_replica import PerReplica


def split_rows(element, replicas: int, op: str):
    """``element`` (a structure of batched tensors) as one structure per replica."""
    leaves = [leaf for leaf in nest.flatten(element) if getattr(leaf, "ndim", 0)]
    if not leaves:
        raise ValueError(
            f"{op}: the dataset's elements have no batch dimension to split over "
            f"{replicas} replicas; batch the dataset with the global batch size"
        )
    rows = int(leaves[0].shape[0])
    per = math.ceil(rows / replicas)
    parts = []
    for i in range(replicas):
        start, stop = min(i * per, rows), min((i + 1) * per, rows)
        parts.append(
            nest.map_structure(
                lambda leaf, a=start, b=stop: leaf[a:b] if getattr(leaf, "ndim", 0) else leaf,
                element,
            )
        )
    return parts


def _per_replica_structure(parts: list):
    first = parts[0]
    if not nest.is_nested(first):
        return PerReplica(parts)
    columns = zip(*[nest.flatten(p) for p in parts])
    return nest.pack_sequence_as(first, [PerReplica(c) for c in columns])


class PerReplicaSpec:
    """``PerReplicaSpec``: the spec of each replica's part of an element."""

    value_type = PerReplica

    def __init__(self, *specs) -> None:
        self._specs = tuple(specs)

    def is_compatible_with(self, value) -> bool:
        """Whether ``value`` is a PerReplica whose parts fit these specs."""
        if isinstance(value, PerReplicaSpec):
            return len(value._specs) == len(self._specs) and all(
                a.is_compatible_with(b) for a, b in zip(self._specs, value._specs)
            )
        return (
            isinstance(value, PerReplica)
            and len(value.values) == len(self._specs)
            and all(s.is_compatible_with(v) for s, v in zip(self._specs, value.values))
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, PerReplicaSpec) and self._specs == other._specs

    def __hash__(self) -> int:
        return hash(self._specs)

    def __repr__(self) -> str:
        return f"PerReplicaSpec({', '.join(repr(s) for s in self._specs)})"


def _unbatched_spec(spec):
    from ..tensor_spec import TensorSpec

    if isinstance(spec, TensorSpec) and spec.shape.rank:
        return TensorSpec((None,) + tuple(spec.shape)[1:], spec.dtype, spec.name)
    return spec


class DistributedDataset:
    """What ``experimental_distribute_dataset`` and ``distribute_datasets_from_function``
    return: iterate it for PerReplica elements."""

    def __init__(self, dataset, replicas: int, split: bool) -> None:
        self._dataset = dataset
        self._replicas = replicas
        self._split = split

    def __iter__(self) -> DistributedIterator:
        return DistributedIterator(iter(self._dataset), self)

    @property
    def element_spec(self):
        spec = self._dataset.element_spec
        if self._split:
            spec = nest.map_structure(_unbatched_spec, spec)
        return nest.map_structure(lambda s: PerReplicaSpec(*([s] * self._replicas)), spec)

    def reduce(self, initial_state, reduce_func):
        state = initial_state
        for element in self:
            state = reduce_func(state, element)
        return state


class DistributedIterator(NextMethods):
    """An iterator over a DistributedDataset (``next``, ``get_next``,
    ``get_next_as_optional``)."""

    def __init__(self, iterator, dataset: DistributedDataset) -> None:
        self._iterator = iterator
        self._owner = dataset

    @property
    def element_spec(self):
        return self._owner.element_spec

    def __iter__(self) -> DistributedIterator:
        return self

    def __next__(self):
        replicas = self._owner._replicas
        if self._owner._split:
            parts = split_rows(
                next(self._iterator), replicas, "MirroredStrategy.experimental_distribute_dataset"
            )
        else:  # one element per replica; an incomplete round ends the iteration
            parts = [next(self._iterator) for _ in range(replicas)]
        return _per_replica_structure(parts)
