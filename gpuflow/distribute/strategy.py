"""Strategy: the API that every distribution strategy shares (``tf.distribute.Strategy``).

A strategy owns a communicator (who the workers are and how arrays are summed over them)
and answers the Trainer's questions: which rows of a global batch are this worker's, how
gradients and metric states are combined, which worker writes logs. One worker with no
peers is the default strategy: everything is the identity, so training under it is
training without a strategy.
"""

from __future__ import annotations

import collections
import contextlib
import sys
import threading

import numpy as np

from .. import dtypes, nest
from ..autodiff.state import state as tape_state
from ..dtypes import accumulation_dtype
from ..tensor import Variable
from . import bucketing, context, values
from .cluster_resolver import from_communicator
from .communicator import Communicator, LocalCommunicator
from .overlap import BucketSession
from .reduce_op import ReduceOp, as_reduce_op

_MAX_OPEN_SESSIONS = 8  # early-started gradients not yet applied, per thread


class Strategy:
    """Data parallelism over ``communicator``'s workers, one replica per worker.

    Args:
        communicator: who the workers are; default one worker.
        bucket_bytes: size of the gradient allreduce buckets (TF's ``bytes_per_pack``).

    Attributes:
        overlap_gradients: with several workers, start each gradient bucket's allreduce
            during the backward pass, as soon as its gradients are final (inside fit's
            step, ``scope()`` and ``run``; see ``distribute/overlap.py``). Then every
            ``tape.gradient`` with respect to Variables there is a collective operation:
            all workers must make it. Set it to False to reduce only in
            ``apply_gradients``.
    """

    # whether Variables made in scope() are mirrored (DistributedValues, see values.py)
    _mirrors_variables = False
    # replicas in this process (several only for MirroredStrategy over several devices)
    _local_replicas = 1

    def __init__(
        self, communicator: Communicator | None = None, bucket_bytes: int | None = None
    ) -> None:
        self._comm = communicator or LocalCommunicator()
        self._bucket_bytes = bucket_bytes or bucketing.DEFAULT_BUCKET_BYTES
        self.cluster_resolver = from_communicator(self._comm)
        self._thread = threading.local()  # this thread's rows and early-started gradients
        self.overlap_gradients = True
        self._listener = _Listener(self)
        self._no_overlap: set = set()  # variable lists whose early buckets went unused
        # How apply_gradients reduced: "early" (buckets started in the backward pass),
        # "redone" (early buckets dropped: the gradients were changed), "after" (no early
        # buckets); "dropped": early buckets never applied. For tests and diagnostics.
        self._reductions: collections.Counter = collections.Counter()

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
        mirror = values.mirroring() if self._mirrors_variables else contextlib.nullcontext()
        try:
            with self._overlapping(), mirror:
                yield self
        finally:
            context.pop(self)

    def run(self, fn, args=(), kwargs=None, options=None):
        """Run ``fn(*args, **kwargs)`` as this worker's replica (its own data) and return
        its result; combine results across workers with :meth:`reduce`."""
        if not callable(fn):
            raise TypeError(
                f"{type(self).__name__}.run: fn must be callable, received {type(fn).__name__}"
            )
        with self._overlapping(), context.running_replica(self):
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
                if dtypes.kind(array.dtype) == "f"
                else array / divisor
            )
        return Tensor._wrap(device.asarray(np.asarray(array)), device)

    def gather(self, value, axis):
        """The replicas' values (a Tensor or nest of them, one shape on every worker)
        concatenated along ``axis`` in replica order."""
        return nest.map_structure(lambda v: self._gather_one(v, axis), value)

    def _gather_one(self, value, axis):
        from ..ops.creation import convert_to_tensor
        from ..tensor import Tensor

        tensor = value if isinstance(value, Tensor) else convert_to_tensor(value)
        device = tensor._device
        array = np.asarray(device.to_host(tensor._data))
        if array.ndim == 0 or not -array.ndim <= axis < array.ndim:
            raise ValueError(
                f"{type(self).__name__}.gather: axis {axis} is out of range for a value "
                f"of shape {array.shape}"
            )
        size, rank = self._comm.size, self._comm.rank
        if size > 1:  # each worker fills its slot, the sum is the stack of all of them
            slots = np.zeros((size,) + array.shape, np.float64)
            slots[rank] = array
            stacked = self._comm.allreduce_sum(slots.reshape(-1)).reshape(slots.shape)
            array = np.concatenate(list(stacked.astype(array.dtype)), axis=axis)
        return Tensor._wrap(device.asarray(np.ascontiguousarray(array)), device)

    # -- strategy.extended (the strategy itself) ------------------------------------------
    def call_for_each_replica(self, fn, args=(), kwargs=None):
        """``strategy.extended.call_for_each_replica``: as :meth:`run`."""
        return self.run(fn, args, kwargs)

    def reduce_to(self, reduce_op, value, destinations=None, options=None):
        """``strategy.extended.reduce_to``: the replicas' values combined
        (``reduce(reduce_op, value, axis=None)``); every destination holds the result."""
        return self.reduce(reduce_op, value, axis=None)

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None) -> list:
        """``strategy.extended.batch_reduce_to``: :meth:`reduce_to` of each pair."""
        return [self.reduce_to(reduce_op, v, d) for v, d in value_destination_pairs]

    def update(self, var, fn, args=(), kwargs=None, group=True):
        """``strategy.extended.update``: ``fn(var, *args, **kwargs)`` on the variable (one
        copy per process)."""
        return fn(var, *args, **(kwargs or {}))

    def _replica_start_state(self, variable) -> None:
        """Before a replica function changes ``variable`` (a random generator's state):
        nothing with one replica per worker (see MirroredStrategy)."""

    def _replica_all_reduce(self, reduce_op, value):
        """``ReplicaContext.all_reduce``: one replica per worker, so over the workers."""
        return self.reduce(reduce_op, value, axis=None)

    def experimental_distribute_values_from_function(self, value_fn):
        """``value_fn(tf.distribute.experimental.ValueContext)`` for this worker's replica
        (one per worker: its value itself)."""
        from .value_context import ValueContext

        return value_fn(ValueContext(self.cluster_resolver.task_id or 0, self.num_replicas_in_sync))

    def experimental_local_results(self, value) -> tuple:
        """This worker's values of ``value``: one replica per worker, so ``(value,)``."""
        return (value,)

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
        """Within it, this worker's step trains on ``rows`` rows of the global batch.

        The allreduce of the row count (for the gradients' weight) starts here, so that
        it is known before the backward pass packs the first bucket.
        """
        thread = self._thread
        previous = (getattr(thread, "rows", None), getattr(thread, "weight", None))
        thread.rows, thread.weight = rows, None
        if self._comm.size > 1:
            thread.weight = self._comm.iallreduce_sum(np.array([float(rows)]))
        try:
            with self._overlapping():
                yield
        finally:
            if thread.weight is not None:
                self._weight()  # every worker completes the row count's allreduce
            thread.rows, thread.weight = previous

    def _weight(self) -> float:
        """This worker's share of the global batch inside fit's step, else 1 (a sum)."""
        thread = self._thread
        rows = getattr(thread, "rows", None)
        if rows is None:
            return 1.0
        weight = thread.weight
        if weight is None:
            weight = self._comm.iallreduce_sum(np.array([float(rows)]))
        if not isinstance(weight, float):  # the row count's allreduce, in flight
            weight = thread.weight = rows / weight.wait()[0]
        return weight

    # -- gradient buckets started during the backward pass ----------------------------------
    def _sessions(self) -> dict:
        sessions = getattr(self._thread, "sessions", None)
        if sessions is None:
            sessions = self._thread.sessions = {}
        return sessions

    @contextlib.contextmanager
    def _overlapping(self):
        """Within it, this thread's ``tape.gradient`` walks tell this strategy when each
        gradient is final; sessions opened within and not applied are dropped at the end."""
        if self._comm.size == 1 or not self.overlap_gradients:
            yield
            return
        sessions = self._sessions()
        before = list(sessions.values())
        previous = tape_state.gradient_listener
        tape_state.gradient_listener = self._listener
        try:
            yield
        finally:
            tape_state.gradient_listener = previous
            for key, session in list(sessions.items()):
                if not any(session is b for b in before):
                    self._drop(key)

    def _begin_gradient(self, sources) -> BucketSession | None:
        """A session for a ``tape.gradient`` walk (``autodiff/state.py``), or None.

        Every decision here depends only on the sources, on what happened to earlier
        sessions of the same variables (the same on every worker) and on the walk's code
        (the same on every worker), never on this worker's data: so every worker opens
        the same sessions and starts the same buckets in the same order.
        """
        if not self.overlap_gradients:
            return None
        variables = [s for s in sources if isinstance(s, Variable)]
        key = tuple(id(v) for v in variables)
        if not variables or key in self._no_overlap or len(set(key)) != len(key):
            return None
        device = variables[0]._device
        for v in variables:
            dtype = v._data.dtype
            # float16 variables get float32 gradients in apply_gradients: not these arrays
            if dtype.kind != "f" or accumulation_dtype(dtype) != dtype or v._device is not device:
                return None
        sessions = self._sessions()
        if key in sessions:  # an earlier gradient of these variables was never applied
            self._drop(key)
        while len(sessions) >= _MAX_OPEN_SESSIONS:
            self._drop(next(iter(sessions)))
        session = BucketSession(self._comm, variables, device, self._weight(), self._bucket_bytes)
        sessions[key] = session
        return session

    def _drop(self, key) -> None:
        """Wait for an unapplied session's buckets and stop starting these variables' early."""
        self._sessions().pop(key).drop()
        self._no_overlap.add(key)
        self._reductions["dropped"] += 1

    def reduce_gradient_pairs(self, pairs: list) -> list:
        """``(gradient array, variable)`` pairs (the optimizer's checked form, arrays on
        the variables' device) with the gradients reduced over the workers.

        Inside fit's step (:meth:`replica_rows` set) each worker's gradient of its mean
        loss is weighted by its share of the global batch's rows and summed: the gradient
        of the global batch's mean loss, uneven splits included. Outside fit (a custom
        loop) the gradients are summed, as TF's optimizers do under a strategy.

        When the backward pass that made these gradients already started their buckets
        (``overlap.py``), this waits for them; their results are used only if every
        worker's ``pairs`` hold the very arrays that were packed, else every worker
        reduces its ``pairs`` afresh, as without early buckets. Either way the result is
        the same, bit for bit.
        """
        if self._comm.size == 1 or not pairs:
            return pairs
        weight = self._weight()
        grads = [g for g, _ in pairs]
        reduced = None
        session = self._sessions().pop(tuple(id(v) for _, v in pairs), None)
        if session is not None:  # started during the backward pass: the same buckets
            session.finish()
            reduced = session.collect(grads)
            if reduced is None:  # some worker's gradients were changed after tape.gradient
                self._no_overlap.add(session.key)
            self._reductions["early" if reduced is not None else "redone"] += 1
        else:
            self._reductions["after"] += 1
        if reduced is None:
            device = pairs[0][1]._device
            reduced = bucketing.allreduce_gradients(
                self._comm, grads, device, weight, self._bucket_bytes
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


class _Listener:
    """A strategy's gradient-ready listener (``state.gradient_listener``)."""

    __slots__ = ("begin",)

    def __init__(self, strategy: Strategy) -> None:
        self.begin = strategy._begin_gradient


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


class _DefaultDistributionStrategy(Strategy):
    """The strategy outside any scope (TF's class name): one replica, nothing to combine."""

    def reduce(self, reduce_op, value, axis=None):
        """As TF's default strategy: with ``axis=None`` the value comes back as given (a
        Python float stays a float); an ``axis`` sums or averages along it."""
        if axis is None:
            as_reduce_op(reduce_op, "Strategy.reduce")  # still refuses a bad reduce_op
            return value
        return super().reduce(reduce_op, value, axis)


def default_strategy() -> Strategy:
    """The strategy outside any scope: one replica (``tf.distribute.get_strategy()``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = _DefaultDistributionStrategy()
    return _DEFAULT


_DEFAULT = None  # immutable once made: one worker, nothing to exchange
