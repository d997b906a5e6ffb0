"""Cluster resolvers: who this worker is (``task_id``) among how many.

MPI decides the cluster here: ``mpiexec -n 4`` starts four workers and gives each its
rank, so no ``TF_CONFIG`` is needed. Without MPI the cluster is this one process.
"""

from __future__ import annotations


class ClusterResolver:
    """The cluster as TF's resolvers describe it: a ``"worker"`` job of ``num_workers`` tasks.

    Args:
        task_id: this worker's index (its MPI rank), 0 for the chief.
        num_workers: how many workers train together.
    """

    task_type = "worker"
    rpc_layer = None

    def __init__(self, task_id: int = 0, num_workers: int = 1) -> None:
        if not 0 <= task_id < num_workers:
            raise ValueError(
                f"ClusterResolver: task_id must be in [0, {num_workers}), received {task_id}"
            )
        self.task_id = int(task_id)
        self.num_workers = int(num_workers)

    @property
    def is_chief(self) -> bool:
        """Worker 0 writes logs and checkpoints (TF's chief)."""
        return self.task_id == 0

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        from . import devices

        count = devices.gpu_count()
        return {"GPU": count} if count else {}

    def __repr__(self) -> str:
        return f"ClusterResolver(task_id={self.task_id}, num_workers={self.num_workers})"


def from_communicator(comm) -> ClusterResolver:
    """The resolver of the workers that ``comm`` connects."""
    return ClusterResolver(task_id=comm.rank, num_workers=comm.size)
