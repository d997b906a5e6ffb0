"""``PerReplica``: one value for each replica of an in-process ``MirroredStrategy``.

What ``strategy.run`` returns, what a distributed dataset yields and what
``experimental_distribute_values_from_function`` makes, as TensorFlow's ``PerReplica``.
:func:`regroup` builds a structure of them from the replicas' results and
:func:`select_replica` takes one replica's part of a structure.
"""

from __future__ import annotations

from .. import nest
from .values import DistributedValues


class PerReplica(DistributedValues):
    """The replicas' values, ``values[i]`` being replica ``i``'s."""

    def __init__(self, values) -> None:
        self._values = tuple(values)

    @property
    def values(self) -> tuple:
        return self._values

    def __len__(self) -> int:
        return len(self._values)

    # tf.function opens it as a composite of its values (nest.py), as TF's PerReplica
    def _gpuflow_components(self) -> list:
        return list(self._values)

    def _gpuflow_from_components(self, components: list) -> PerReplica:
        return PerReplica(components)

    def _gpuflow_key(self, key_of) -> tuple:
        return ("PerReplica",) + tuple(key_of(v) for v in self._values)

    def __repr__(self) -> str:
        rows = ",\n".join("  %d: %r" % (i, v) for i, v in enumerate(self._values))
        return type(self).__name__ + ":{\n" + rows + "\n}"

    def __str__(self) -> str:
        rows = ",\n".join("  %d: %s" % (i, v) for i, v in enumerate(self._values))
        return type(self).__name__ + ":{\n" + rows + "\n}"


class Mirrored(PerReplica):
    """The same value on every replica (what ``strategy.extended.reduce_to`` returns)."""

    def _gpuflow_from_components(self, components: list) -> Mirrored:
        return Mirrored(components)


def select_replica(replica_id: int, structure):
    """Replica ``replica_id``'s part of ``structure``: each PerReplica leaf replaced by its
    value of that replica; other leaves are shared by every replica."""
    if isinstance(structure, PerReplica):
        return structure.values[replica_id]
    if not _contains_per_replica(structure):
        return structure
    return nest.map_structure(
        lambda leaf: leaf.values[replica_id] if isinstance(leaf, PerReplica) else leaf,
        structure,
    )


def _contains_per_replica(structure) -> bool:
    return nest.is_nested(structure) and any(
        isinstance(leaf, PerReplica) for leaf in nest.flatten(structure)
    )


def regroup(results: list):
    """The replicas' results (one structure each, the same nesting) as one structure whose
    leaves are PerReplica; a leaf that is the same object in every replica stays itself
    (a variable, a shared constant), as TensorFlow's regroup."""
    first = results[0]
    if len(results) == 1:
        return first
    flats = [nest.flatten(r) for r in results]
    for i, flat in enumerate(flats[1:], 1):
        if len(flat) != len(flats[0]):
            raise ValueError(
                "MirroredStrategy.run: the replicas returned different structures "
                f"(replica 0: {len(flats[0])} values, replica {i}: {len(flat)} values)"
            )
    leaves = []
    for column in zip(*flats):
        if all(leaf is column[0] for leaf in column):
            leaves.append(column[0])
        else:
            leaves.append(PerReplica(column))
    if not nest.is_nested(first):
        return leaves[0]
    return nest.pack_sequence_as(first, leaves)
