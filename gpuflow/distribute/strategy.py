"""Strategy: the API that every distribution strategy shares (``tf.distribute.Strategy``).

A strategy owns a communicator (who the workers are and how arrays are summed over them)
and answers the Trainer's questions: which rows of a global batch are this worker's, how
gradients and metric states are combined, which worker writes logs. One worker with no
peers is the default strategy: everything is the identity, so training under it is
training without a strategy.
"""

from __future__ import annotations

import contextlib
import sys
import threading

import numpy as np

from .. import nest
from . import bucketing, context
from .cluster_resolver import from_communicator
from .communicator import Communicator, LocalCommunicator
from .reduce_op import ReduceOp, as_reduce_op


class Strategy:
    """Data parallelism over ``communicator``'s workers, one replica per worker.

    Args:
        communicator: who the workers are; default one worker.
        bucket_bytes: size of the gradient allreduce buckets (TF's ``bytes_per_pack``).
    """

    def __init__(
        self, communicator: Communicator | None = None, bucket_bytes: int | None = None
    ) -> None:
        self._comm = communicator or LocalCommunicator()
        self._bucket_bytes = bucket_bytes or bucketing.DEFAULT_BUCKET_BYTES
        self.cluster_resolver = from_communicator(self._comm)
        self._thread = threading.local()  # this thread's replica rows inside fit's step

    # -- TF's API --------------------------------------------------------------------------
    @property
    def num_replicas_in_sync(self) -> int:
        """How many replicas train together (one per worker)."""
        return self._comm.size

    @property
    def extended(self):
        return self

    @property
    def should_checkpoint(self) -> bool:
        """Whether this worker writes checkpoints and logs (the chief, worker 0)."""
        return self._comm.rank == 0

    should_save_summary = should_checkpoint

    @contextlib.contextmanager
    def scope(self):
        """Models and optimizers created inside are replicated and trained by this strategy."""
        context.push(self)
        try:
            yield self
        finally:
            context.pop(self)

    def run(self, fn, args=(), kwargs=None):
        """Run ``fn(*args, **kwargs)`` as this worker's replica (its own data) and return
        its result; combine results across workers with :meth:`reduce`."""
        if not callable(fn):
            raise TypeError(
                f"{type(self).__name__}.run: fn must be callable, received {type(fn).__name__}"
            )
        return fn(*args, **(kwargs or {}))

    def reduce(self, reduce_op, value, axis=None):
        """Combine ``value`` (a Tensor, array or nest of them) over all replicas.

        Args:
            reduce_op: ``ReduceOp.SUM`` / ``ReduceOp.MEAN`` (or ``"SUM"``/``"MEAN"``, or
                TF's ReduceOp).
            value: each replica's value (as :meth:`run` returned it).
            axis: None to combine the replicas' values elementwise; an int to also reduce
                along that axis of each value (MEAN then divides by the total count of
                elements along ``axis`` over all replicas, as TF).

        Returns:
            The combined value as Tensors on the value's device.
        """
        op = as_reduce_op(reduce_op, f"{type(self).__name__}.reduce")
        return nest.map_structure(lambda v: self._reduce_one(op, v, axis), value)

    def _reduce_one(self, op: ReduceOp, value, axis):
        from ..ops.creation import convert_to_tensor
        from ..tensor import Tensor

        tensor = value if isinstance(value, Tensor) else convert_to_tensor(value)
        device = tensor._device
        array = np.asarray(device.to_host(tensor._data))
        count = 1
        if axis is not None:
            if not -array.ndim <= axis < max(array.ndim, 1) or array.ndim == 0:
                raise ValueError(
                    f"{type(self).__name__}.reduce: axis {axis} is out of range "
                    f"for a value of shape {array.shape}"
                )
            count = array.shape[axis]
            array = array.sum(axis=axis)
        total = (
            self._comm.allreduce_sum(np.append(np.asarray(array, np.float64).reshape(-1), count))
            if self._comm.size > 1
            else None
        )
        if total is not None:
            count = total[-1]
            array = total[:-1].reshape(array.shape).astype(array.dtype)
        if op is ReduceOp.MEAN:
            divisor = count if axis is not None else self._comm.size
            array = (
                array / np.asarray(divisor, dtype=array.dtype)
                if array.dtype.kind == "f"
                else array / divisor
            )
        return Tensor._wrap(device.asarray(np.asarray(array)), device)

    def experimental_distribute_dataset(self, dataset, options=None):
        """This worker's shard of ``dataset``: ``dataset.shard(num_workers, task_id)``.

        Raises:
            TypeError: when ``dataset`` has no ``shard`` method (a generator, a
                PyDataset): give each worker its own data instead.
        """
        if self._comm.size == 1:
            return dataset
        shard = getattr(dataset, "shard", None)
        if not callable(shard):
            raise TypeError(
                f"{type(self).__name__}.experimental_distribute_dataset: the "
                f"{type(dataset).__name__} has no shard(num_shards, index) method, "
                "so the workers cannot split it; pass arrays (each worker takes "
                "its rows of every global batch) or a Dataset with shard()"
            )
        return shard(self._comm.size, self._comm.rank)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """``dataset_fn(input_context)``: the function builds this worker's dataset."""
        return dataset_fn(InputContext(self._comm.size, self._comm.rank))

    # -- what the Trainer asks ---------------------------------------------------------------
    def local_rows(self, num_rows: int, op: str = "fit") -> slice:
        """This worker's rows of a global batch of ``num_rows`` (contiguous, sizes differ by
        at most one, as ``numpy.array_split``).

        Raises:
            ValueError: when the batch has fewer rows than there are workers.
        """
        size, rank = self._comm.size, self._comm.rank
        if num_rows < size:
            raise ValueError(
                f"{op}: a global batch of {num_rows} rows cannot be split over "
                f"{size} workers; use batch_size >= {size} (the last batch too)"
            )
        base, extra = divmod(num_rows, size)
        start = rank * base + min(rank, extra)
        return slice(start, start + base + (rank < extra))

    def broadcast_arrays(self, arrays: list, device) -> list:
        """Worker 0's arrays on every worker (the same shapes and dtypes everywhere)."""
        if self._comm.size == 1:
            return arrays
        return [device.asarray(self._comm.broadcast(np.asarray(device.to_host(a)))) for a in arrays]

    @contextlib.contextmanager
    def replica_rows(self, rows: int):
        """Within it, this worker's step trains on ``rows`` rows of the global batch."""
        previous = getattr(self._thread, "rows", None)
        self._thread.rows = rows
        try:
            yield
        finally:
            self._thread.rows = previous

    def reduce_gradient_pairs(self, pairs: list) -> list:
        """``(gradient array, variable)`` pairs (the optimizer's checked form, arrays on
        the variables' device) with the gradients reduced over the workers.

        Inside fit's step (:meth:`replica_rows` set) each worker's gradient of its mean
        loss is weighted by its share of the global batch's rows and summed: the gradient
        of the global batch's mean loss, uneven splits included. Outside fit (a custom
        loop) the gradients are summed, as TF's optimizers do under a strategy.
        """
        if self._comm.size == 1 or not pairs:
            return pairs
        rows = getattr(self._thread, "rows", None)
        weight = 1.0
        if rows is not None:
            weight = rows / self._comm.allreduce_sum(np.array([float(rows)]))[0]
        device = pairs[0][1]._device
        reduced = bucketing.allreduce_gradients(
            self._comm, [g for g, _ in pairs], device, weight, self._bucket_bytes
        )
        return [(r, v) for r, (_, v) in zip(reduced, pairs)]

    def all_workers_true(self, flag: bool) -> bool:
        """Whether ``flag`` is true on every worker (one collective decision)."""
        if self._comm.size == 1:
            return bool(flag)
        return self._comm.allreduce_sum(np.array([0.0 if flag else 1.0]))[0] == 0

    def sum_arrays(self, arrays: list, device) -> list:
        """Each array summed over the workers (metric states), as arrays on ``device``."""
        if self._comm.size == 1 or not arrays:
            return arrays
        host = [np.asarray(device.to_host(a), dtype=np.float64) for a in arrays]
        flat = self._comm.allreduce_sum(np.concatenate([h.reshape(-1) for h in host]))
        out, offset = [], 0
        for array, h in zip(arrays, host):
            out.append(
                device.asarray(flat[offset : offset + h.size].reshape(h.shape).astype(array.dtype))
            )
            offset += h.size
        return out

    def install_abort_on_error(self) -> None:
        """Make an uncaught exception on any worker abort all of them (naming this rank),
        instead of leaving the others waiting in a collective (mpi4py's ``-m mpi4py``)."""
        if self._comm.size == 1:
            return
        previous = sys.excepthook
        comm = self._comm

        def hook(kind, value, tb):
            previous(kind, value, tb)
            comm.abort(f"uncaught {kind.__name__}: {value}; stopping all workers")

        sys.excepthook = hook

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(num_replicas_in_sync={self.num_replicas_in_sync}, "
            f"task_id={self.cluster_resolver.task_id})"
        )


class InputContext:
    """``tf.distribute.InputContext``: which input pipeline this worker builds."""

    def __init__(
        self,
        num_input_pipelines: int = 1,
        input_pipeline_id: int = 0,
        num_replicas_in_sync: int | None = None,
    ) -> None:
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync or num_input_pipelines

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(
                f"InputContext: the global batch size {global_batch_size} is not "
                f"divisible by num_replicas_in_sync {self.num_replicas_in_sync}"
            )
        return global_batch_size // self.num_replicas_in_sync


def default_strategy() -> Strategy:
    """The strategy outside any scope: one replica (``tf.distribute.get_strategy()``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Strategy()
    return _DEFAULT


_DEFAULT = None  # immutable once made: one worker, nothing to exchange
