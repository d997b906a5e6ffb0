"""Updates of mirrored variables inside an in-process ``MirroredStrategy.run``.

TF combines the replicas' ``assign``/``assign_add``/``assign_sub`` of a MirroredVariable
by its ``aggregation``: SUM adds the replicas' values, MEAN averages them, NONE and
ONLY_FIRST_REPLICA take replica 0's. The replicas here run one after another, so each
replica's update is kept until the last replica makes the same update (the same
variable, the same count of updates of it in this run); then the combined update is
applied once. Until then the variable keeps the value it had, as every replica reads
it before the update in TF.
"""

from __future__ import annotations

from .. import _replica_updates
from . import context, values


class Updates:
    """The updates kept during one ``run`` of ``strategy``."""

    def __init__(self, strategy) -> None:
        self._strategy = strategy
        self._kept: dict = {}  # (id(variable), k) -> [variable, kind, [arrays]]
        self._counts: dict = {}  # (replica, id(variable)) -> updates made in this run

    def take(self, variable, kind: str, array) -> bool:
        """The hook of ``Variable.assign*``: True when this update was kept or applied
        combined here."""
        if context.running() is not self._strategy or not values.is_mirrored(variable):
            return False
        replica = context.running_replica_id()
        replicas = self._strategy.num_replicas_in_sync
        if replica is None:
            return False
        slot = (replica, id(variable))
        k = self._counts.get(slot, 0)
        self._counts[slot] = k + 1
        entry = self._kept.setdefault((id(variable), k), [variable, kind, []])
        if entry[1] != kind:
            raise RuntimeError(
                f"MirroredStrategy.run: replica {replica} made a {kind} of a mirrored "
                f"variable where replica 0 made a {entry[1]}; the replicas must update "
                "mirrored variables alike"
            )
        entry[2].append(array.copy())
        if replica < replicas - 1:
            return True
        _apply(variable, kind, entry[2], replicas)
        del self._kept[(id(variable), k)]
        return True

    def unmatched(self) -> list:
        """Names of the variables some replica updated and the last replica did not."""
        return [getattr(v, "name", "?") for v, _, _ in self._kept.values()]


def _apply(variable, kind: str, arrays: list, replicas: int) -> None:
    aggregation = str(getattr(variable.aggregation, "name", variable.aggregation)).upper()
    if aggregation.endswith("SUM"):
        value = sum(arrays[1:], arrays[0])
    elif aggregation.endswith("MEAN"):
        value = sum(arrays[1:], arrays[0]) / len(arrays)
    else:  # NONE, ONLY_FIRST_REPLICA: replica 0's update
        value = arrays[0]
    hook = _replica_updates.hook
    _replica_updates.hook = None  # the combined update itself goes through
    try:
        from ..tensor import Tensor

        getattr(variable, kind)(Tensor._wrap(value.astype(variable._data.dtype), variable._device))
    finally:
        _replica_updates.hook = hook


def begin(strategy):
    """Start listening for ``strategy``'s replicas' updates; returns what :func:`end`
    takes."""
    previous = _replica_updates.hook
    updates = Updates(strategy)
    _replica_updates.hook = updates.take
    return previous, updates


def end(state) -> list:
    """Stop listening; the variables left with updates that no last replica matched."""
    previous, updates = state
    _replica_updates.hook = previous
    return updates.unmatched()
