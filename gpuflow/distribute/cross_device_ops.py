"""``tf.distribute.CrossDeviceOps``: how ``MirroredStrategy`` combines its replicas' values.

TF's MirroredStrategy runs one replica per GPU of a machine and these objects choose how
their values are summed (NCCL, copies through one device). gpuflow's MirroredStrategy has
one device per process: several GPUs train as MPI processes under
``MultiWorkerMirroredStrategy``, whose gradients go through MPI or NCCL. So within a
process there is one replica, and combining its values returns them: SUM and MEAN over one
replica are the value itself. The classes keep TF's names and arguments so that
``MirroredStrategy(cross_device_ops=tf.distribute.HierarchicalCopyAllReduce())`` runs.
"""

from __future__ import annotations

from .reduce_op import as_reduce_op


class CrossDeviceOps:
    """Base class: ``reduce``, ``batch_reduce`` and ``broadcast`` over this process's
    replica."""

    def reduce(self, reduce_op, per_replica_value, destinations=None, options=None):
        as_reduce_op(reduce_op, f"{type(self).__name__}.reduce")
        return per_replica_value

    def batch_reduce(self, reduce_op, value_destination_pairs, options=None) -> list:
        return [self.reduce(reduce_op, value, dest) for value, dest in value_destination_pairs]

    def broadcast(self, tensor, destinations):
        return tensor

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class _PackingAllReduce(CrossDeviceOps):
    _kind = ""

    def __init__(self, num_packs: int = 1) -> None:
        if not isinstance(num_packs, int) or isinstance(num_packs, bool) or num_packs < 0:
            raise ValueError(
                f"{self._kind} all-reduce requires num_packs >= 0, but {num_packs} is specified"
            )
        self.num_packs = num_packs


class NcclAllReduce(_PackingAllReduce):
    """NCCL all-reduce of the replicas' values, in ``num_packs`` packs."""

    _kind = "NCCL"


class HierarchicalCopyAllReduce(_PackingAllReduce):
    """Hierarchical copies between the devices (TF's choice for DGX-1 like machines)."""

    _kind = "HierarchicalCopy"


class ReductionToOneDevice(CrossDeviceOps):
    """Copies the values to one device (``reduce_to_device``, default the first), reduces
    them there with ``accumulation_fn`` (default ``tf.math.add_n``), and broadcasts back."""

    def __init__(self, reduce_to_device=None, accumulation_fn=None) -> None:
        if accumulation_fn is not None and not callable(accumulation_fn):
            raise TypeError(
                "ReductionToOneDevice: accumulation_fn must be callable, received "
                f"{type(accumulation_fn).__name__}"
            )
        self.reduce_to_device = reduce_to_device
        self.accumulation_fn = accumulation_fn
