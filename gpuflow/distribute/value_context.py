"""``tf.distribute.experimental.ValueContext``: what ``value_fn`` of
``experimental_distribute_values_from_function`` learns about its replica."""

from __future__ import annotations


class ValueContext:
    """Which replica a value is made for, of how many."""

    def __init__(self, replica_id_in_sync_group: int = 0, num_replicas_in_sync: int = 1) -> None:
        self._replica_id = int(replica_id_in_sync_group)
        self._num_replicas = int(num_replicas_in_sync)

    @property
    def replica_id_in_sync_group(self) -> int:
        return self._replica_id

    @property
    def num_replicas_in_sync(self) -> int:
        return self._num_replicas

    def __repr__(self) -> str:
        return (
            f"tf.distribute.experimental.ValueContext(replica id {self._replica_id}, "
            f"total replicas in sync: {self._num_replicas})"
        )
