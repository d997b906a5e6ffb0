"""``gpuflow.distribute`` (``tf.distribute``): data-parallel training over MPI and NCCL.

``MultiWorkerMirroredStrategy`` trains one replica per process of ``mpiexec -n N``;
``MirroredStrategy`` the replicas of this process, one after another (one per logical
device, ``mirrored.py``). See docs/distributed.md.
"""

from . import context as _context
from .central_storage import CentralStorageStrategy
from .cluster_resolver import ClusterResolver, SimpleClusterResolver, TFConfigClusterResolver
from .cross_device_ops import (
    CrossDeviceOps,
    HierarchicalCopyAllReduce,
    NcclAllReduce,
    ReductionToOneDevice,
)
from .mirrored import MirroredStrategy
from .multi_worker import (
    CommunicationImplementation,
    CommunicationOptions,
    MultiWorkerMirroredStrategy,
)
from .one_device import OneDeviceStrategy
from .reduce_op import ReduceOp
from .replica_context import (
    InputOptions,
    InputReplicationMode,
    ReplicaContext,
    RunOptions,
    experimental_set_strategy,
    get_cross_replica_context,
    get_replica_context,
    in_cross_replica_context,
)
from .strategy import InputContext, Strategy, default_strategy
from .value_context import ValueContext
from .values import DistributedValues


def get_strategy() -> Strategy:
    """The strategy whose replica function runs here (``strategy.run``), else that of the
    innermost ``scope()`` in this thread, else the default strategy (one replica)."""
    return _context.running() or _context.current() or default_strategy()


def has_strategy() -> bool:
    """Whether this thread is inside some strategy's ``scope()`` or ``run``."""
    return _context.running() is not None or _context.current() is not None


class experimental:  # noqa: N801 - tf.distribute.experimental namespace
    CentralStorageStrategy = CentralStorageStrategy
    ValueContext = ValueContext
    CommunicationImplementation = CommunicationImplementation
    CollectiveCommunication = CommunicationImplementation  # TF's older name
    CommunicationOptions = CommunicationOptions
    MultiWorkerMirroredStrategy = MultiWorkerMirroredStrategy


class cluster_resolver:  # noqa: N801 - tf.distribute.cluster_resolver namespace
    ClusterResolver = ClusterResolver
    SimpleClusterResolver = SimpleClusterResolver
    TFConfigClusterResolver = TFConfigClusterResolver


__all__ = [
    "ClusterResolver",
    "DistributedValues",
    "CommunicationOptions",
    "CrossDeviceOps",
    "HierarchicalCopyAllReduce",
    "InputContext",
    "InputOptions",
    "InputReplicationMode",
    "MirroredStrategy",
    "MultiWorkerMirroredStrategy",
    "NcclAllReduce",
    "OneDeviceStrategy",
    "ReduceOp",
    "ReductionToOneDevice",
    "ReplicaContext",
    "RunOptions",
    "Strategy",
    "experimental_set_strategy",
    "get_cross_replica_context",
    "get_replica_context",
    "get_strategy",
    "has_strategy",
    "in_cross_replica_context",
]
