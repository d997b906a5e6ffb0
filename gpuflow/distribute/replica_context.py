"""Replica and cross-replica contexts (``tf.distribute.get_replica_context``,
``in_cross_replica_context``), and the options objects of TF's distribute API.

gpuflow runs one replica per worker process: inside ``strategy.run(fn)`` the code is in
that replica's context; inside ``strategy.scope()`` (not in ``run``) in the cross-replica
context; outside any scope, in the default strategy's replica context, as TensorFlow.
"""

from __future__ import annotations

import enum

from . import context


class ReplicaContext:
    """Where a replica function runs (``tf.distribute.ReplicaContext``): which replica this
    is, how many run together, and collectives over them."""

    def __init__(self, strategy, replica_id_in_sync_group=0) -> None:
        self._strategy = strategy
        self._replica_id = int(replica_id_in_sync_group)

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self) -> int:
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        from ..ops.creation import constant

        return constant(self._replica_id, dtype="int32")

    @property
    def devices(self) -> tuple:
        from ..backend import current_device

        return (str(current_device()),)

    def all_reduce(self, reduce_op, value, options=None):
        """``value`` combined over all replicas (each replica passes its own)."""
        return self._strategy._replica_all_reduce(reduce_op, value)

    def all_gather(self, value, axis, options=None):
        """The replicas' values concatenated along ``axis``, in replica order."""
        return self._strategy.gather(value, axis)

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """``merge_fn(strategy, *args, **kwargs)``, run once for all replicas."""
        return merge_fn(self._strategy, *args, **(kwargs or {}))

    def __repr__(self) -> str:
        return (
            f"<gpuflow.distribute.ReplicaContext replica {self._replica_id} of "
            f"{self.num_replicas_in_sync}>"
        )


def get_replica_context():
    """The replica context here: the running replica's inside ``strategy.run``, None in a
    cross-replica context (inside ``strategy.scope()``), else the default strategy's."""
    strategy = context.running()
    if strategy is not None:
        replica = context.running_replica_id()
        if replica is None:
            replica = strategy.cluster_resolver.task_id or 0
        return ReplicaContext(strategy, replica)
    if context.current() is not None:
        return None
    from .strategy import default_strategy

    return ReplicaContext(default_strategy(), 0)


def replicas_here(op: str) -> int:
    """The replicas in sync of the strategy whose replica function (or scope) this is, 1
    outside any; for ``tf.nn.compute_average_loss`` and ``scale_regularization_loss``.

    Raises:
        RuntimeError: in a cross-replica context (in ``scope()``, outside ``run``), as TF.
    """
    strategy = context.running()
    if strategy is not None:
        return strategy.num_replicas_in_sync
    strategy = context.current()
    if strategy is None:
        return 1
    raise RuntimeError(
        f"You are calling `{op}` in cross replica context, while it was expected to be "
        "called in replica context."
    )


def in_cross_replica_context() -> bool:
    """Whether the code here is inside a strategy's ``scope()`` but not in ``run``."""
    return context.current() is not None and context.running() is None


def get_cross_replica_context():
    """The strategy whose cross-replica context this is, else None."""
    return context.current() if in_cross_replica_context() else None


def experimental_set_strategy(strategy) -> None:
    """Make ``strategy`` the current one outside any ``scope()`` (None: back to the
    default), as entering its scope without leaving it."""
    context.set_base(strategy)


class InputReplicationMode(enum.Enum):
    """How input is split (``tf.distribute.InputReplicationMode``): gpuflow's workers each
    read their own shard (PER_WORKER)."""

    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


class InputOptions:
    """Options of ``experimental_distribute_dataset`` (``tf.distribute.InputOptions``);
    accepted and kept: one replica per worker has nothing to place per device."""

    def __init__(
        self,
        experimental_fetch_to_device=None,
        experimental_replication_mode=InputReplicationMode.PER_WORKER,
        experimental_place_dataset_on_device=False,
        experimental_per_replica_buffer_size=1,
    ) -> None:
        self.experimental_fetch_to_device = experimental_fetch_to_device
        self.experimental_replication_mode = experimental_replication_mode
        self.experimental_place_dataset_on_device = experimental_place_dataset_on_device
        self.experimental_per_replica_buffer_size = experimental_per_replica_buffer_size


class RunOptions:
    """Options of ``strategy.run`` (``tf.distribute.RunOptions``); accepted and kept."""

    def __init__(
        self,
        experimental_enable_dynamic_batch_size=True,
        experimental_bucketizing_dynamic_shape=False,
    ) -> None:
        self.experimental_enable_dynamic_batch_size = experimental_enable_dynamic_batch_size
        self.experimental_bucketizing_dynamic_shape = experimental_bucketizing_dynamic_shape
