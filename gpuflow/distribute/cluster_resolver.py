"""Cluster resolvers: who this worker is (``task_id``) among how many.

MPI decides the cluster here: ``mpiexec -n 4`` starts four workers and gives each its
rank, so no ``TF_CONFIG`` is needed. Without MPI the cluster is this one process.
:class:`TFConfigClusterResolver` reads ``TF_CONFIG`` as TF does, so that a strategy can
check that the cluster it describes is the one mpiexec started.
"""

from __future__ import annotations

import json
import os


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

    def cluster_spec(self):
        """The cluster as a ``tf.train.ClusterSpec``: ``TF_CONFIG``'s ``cluster`` when it is
        set (the strategy checked that mpiexec started as many workers), an empty one for a
        single worker without it (as TF's), else a ``"worker"`` job of one task per MPI rank
        (gpuflow's workers have no addresses of their own: MPI connects them)."""
        from ..train.coordination import ClusterSpec

        cluster = tf_config().get("cluster")
        if cluster:
            return ClusterSpec(cluster)
        if self.num_workers == 1:
            return ClusterSpec({})
        return ClusterSpec({"worker": [f"mpi-rank-{i}" for i in range(self.num_workers)]})

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        """``""``: MPI, not a gRPC server, connects the workers."""
        return ""

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        from . import devices

        count = devices.gpu_count()
        return {"GPU": count} if count else {}

    def __repr__(self) -> str:
        return f"ClusterResolver(task_id={self.task_id}, num_workers={self.num_workers})"


def tf_config() -> dict:
    """``$TF_CONFIG`` parsed ({} when unset or empty)."""
    text = os.environ.get("TF_CONFIG", "")
    if not text.strip():
        return {}
    try:
        config = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"TF_CONFIG is not valid JSON ({e}): {text!r}") from None
    if not isinstance(config, dict):
        raise ValueError(f"TF_CONFIG must be a JSON object, received {text!r}")
    return config


def _count_workers(spec) -> int:
    """Tasks that train: the chief and the workers (TF's collective strategies)."""
    return sum(spec.num_tasks(job) for job in ("chief", "worker") if job in spec.jobs)


class SimpleClusterResolver(ClusterResolver):
    """A cluster given directly (``tf.distribute.cluster_resolver.SimpleClusterResolver``).

    Args:
        cluster_spec: a ``tf.train.ClusterSpec`` (or a dict of job name to addresses).
        master: the address returned by :meth:`master`.
        task_type, task_id: this task's job and index in it.
        environment: the environment name (``""``, or ``"google"`` in TF).
        num_accelerators: a dict of device type to count per worker.
        rpc_layer: the protocol prefixed to :meth:`master` (``"grpc"``).
    """

    def __init__(
        self,
        cluster_spec,
        master="",
        task_type=None,
        task_id=None,
        environment="",
        num_accelerators=None,
        rpc_layer=None,
    ) -> None:
        from ..train.coordination import ClusterSpec

        self._spec = ClusterSpec(cluster_spec)
        self._master = master
        self.task_type = task_type
        self.task_id = None if task_id is None else int(task_id)
        self.environment = environment
        self._accelerators = dict(num_accelerators or {})
        self.rpc_layer = rpc_layer
        self.num_workers = max(_count_workers(self._spec), 1)

    @property
    def is_chief(self) -> bool:
        if "chief" in self._spec.jobs:
            return self.task_type == "chief"
        return self.task_type in (None, "worker") and not self.task_id

    def cluster_spec(self):
        return self._spec

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        if task_type is not None and task_id is not None:
            address = self._spec.task_address(task_type, task_id)
        else:
            address = self._master
        return _url(address, rpc_layer or self.rpc_layer)

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None) -> dict:
        return dict(self._accelerators)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self._spec.as_dict()!r}, task_type={self.task_type!r}, "
            f"task_id={self.task_id!r})"
        )


class TFConfigClusterResolver(SimpleClusterResolver):
    """The cluster that ``$TF_CONFIG`` describes
    (``tf.distribute.cluster_resolver.TFConfigClusterResolver``): its ``cluster``, this
    process's ``task`` (``type``, ``index``), ``rpc_layer`` and ``environment``; arguments
    override the file's values. Without ``TF_CONFIG`` the cluster is empty and the task None,
    as in TF.

    gpuflow's workers connect through MPI (``mpiexec -n N``), not through the addresses
    listed here: ``MultiWorkerMirroredStrategy`` checks that mpiexec started as many
    workers as ``TF_CONFIG`` describes.
    """

    def __init__(self, task_type=None, task_id=None, rpc_layer=None, environment=None) -> None:
        config = tf_config()
        task = config.get("task") or {}
        if not isinstance(task, dict):
            raise ValueError(f"TF_CONFIG: 'task' must be an object, received {task!r}")
        task_type = task.get("type") if task_type is None else task_type
        task_id = task.get("index") if task_id is None else task_id
        super().__init__(
            config.get("cluster") or {},
            task_type=task_type,
            task_id=task_id,
            environment=config.get("environment") if environment is None else environment,
            rpc_layer=config.get("rpc_layer") if rpc_layer is None else rpc_layer,
        )

    def master(self, task_type=None, task_id=None, rpc_layer=None) -> str:
        task_type = self.task_type if task_type is None else task_type
        task_id = self.task_id if task_id is None else task_id
        if task_type is None or task_id is None or task_type not in self._spec.jobs:
            return ""
        address = self._spec.task_address(task_type, task_id)
        return _url(address, self.rpc_layer if rpc_layer is None else rpc_layer)

    num_accelerators = ClusterResolver.num_accelerators  # this machine's GPUs, as TF


def _url(address: str, rpc_layer) -> str:
    return f"{rpc_layer}://{address}" if rpc_layer and address else address


def from_communicator(comm) -> ClusterResolver:
    """The resolver of the workers that ``comm`` connects."""
    return ClusterResolver(task_id=comm.rank, num_workers=comm.size)
