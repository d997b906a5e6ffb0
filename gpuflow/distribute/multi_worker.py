"""MultiWorkerMirroredStrategy: one replica per process, processes started by mpiexec."""

from __future__ import annotations

import enum

from .cluster_resolver import TFConfigClusterResolver, tf_config
from .communicator import default_communicator
from .strategy import Strategy


class CommunicationImplementation(enum.Enum):
    """``tf.distribute.experimental.CommunicationImplementation`` (``CollectiveCommunication``
    is its older name): how workers exchange gradients."""

    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


class CommunicationOptions:
    """``tf.distribute.experimental.CommunicationOptions``.

    Args:
        bytes_per_pack: gradient bucket size in bytes; 0 for the default (25 MB).
        timeout_seconds: how long a collective waits for the other workers before all
            are aborted; None for the default (``$GPUFLOW_DISTRIBUTE_TIMEOUT`` or 300 s).
        implementation: a :class:`CommunicationImplementation` or its name: ``AUTO``,
            ``RING`` (MPI on the CPU) or ``NCCL``.
    """

    def __init__(
        self, bytes_per_pack: int = 0, timeout_seconds: float | None = None, implementation="AUTO"
    ) -> None:
        if bytes_per_pack < 0:
            raise ValueError(
                f"CommunicationOptions: bytes_per_pack must be >= 0, received {bytes_per_pack}"
            )
        name = str(getattr(implementation, "name", implementation)).upper()
        if name not in ("AUTO", "RING", "NCCL"):
            raise ValueError(
                "CommunicationOptions: implementation must be AUTO, RING or "
                f"NCCL, received {implementation!r}"
            )
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = CommunicationImplementation[name]


class MultiWorkerMirroredStrategy(Strategy):
    """Synchronous data parallelism over the processes of ``mpiexec -n N python train.py``.

    Each process is a worker with one replica; rank 0 is the chief. Without mpiexec (or
    without mpi4py) it is one worker, as TF's strategy without ``TF_CONFIG``.

    Args:
        cluster_resolver: a cluster resolver; MPI decides the cluster, and the number of
            workers the resolver (or ``$TF_CONFIG`` when none is given) describes must be
            the number mpiexec started.
        communication_options: a :class:`CommunicationOptions`.

    Raises:
        ValueError: when the resolver or ``TF_CONFIG`` describes another number of workers
            than mpiexec started (gpuflow's workers connect through MPI: each process
            started on its own would otherwise train alone without saying so).
    """

    _mirrors_variables = True

    def __init__(self, cluster_resolver=None, communication_options=None) -> None:
        options = communication_options or CommunicationOptions()
        comm = default_communicator(options.timeout_seconds)
        super().__init__(comm, options.bytes_per_pack or None)
        if cluster_resolver is None and tf_config():
            cluster_resolver = TFConfigClusterResolver()
            source = "TF_CONFIG"
        else:
            source = "the cluster_resolver"
        if cluster_resolver is not None and cluster_resolver.num_workers != comm.size:
            raise ValueError(
                f"MultiWorkerMirroredStrategy: {source} describes "
                f"{cluster_resolver.num_workers} workers but mpiexec started {comm.size}; "
                "gpuflow's workers connect through MPI, not the addresses in TF_CONFIG: start "
                f"all workers with `mpiexec -n {cluster_resolver.num_workers} python "
                "train.py` (TF_CONFIG may then be left unset)"
            )
        self.install_abort_on_error()
        self._share_random_state()

    def _share_random_state(self) -> None:
        """Give every worker worker 0's host random stream (shuffling, initializers), so
        shuffled global batches are the same everywhere and worker 0 draws exactly what
        one process would."""
        if self._comm.size == 1:
            return
        from .. import random

        bit_generator = random.host_rng().bit_generator
        bit_generator.state = self._comm.broadcast_object(bit_generator.state)
