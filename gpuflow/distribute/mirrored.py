"""MirroredStrategy: the replicas of one process.

As TF: ``devices`` None (or empty) means every logical GPU, else every logical CPU
(``tf.config.set_logical_device_configuration`` splits the CPU into several). With one
device it is one replica, as the Strategy base class. With several, ``run`` calls the
replica function once per replica, one after another in this thread, each in its
replica context (``replica_id_in_sync_group``) and with its part of PerReplica
arguments; the results come back as PerReplica values (``per_replica.py``). The
replicas share the one process's device and variables: a variable created in
``scope()`` is mirrored (its value is the same on every replica, by construction).
Combining the replicas' values (``reduce``, ``gather``, the optimizer's gradients) is a
local sum; nothing is sent anywhere. Several GPUs in one process compute on one of them;
run one process per GPU with ``MultiWorkerMirroredStrategy`` to use all.

Gradients: an optimizer's ``apply_gradients`` inside ``run`` keeps each replica's
gradients until the last replica calls it, then applies their sum once, so every replica
computes its gradients from the same weights and the step matches TF's (gradients summed
over the replicas, the losses scaled by the global batch size).
"""

from __future__ import annotations

from .. import nest
from .._tracing import host_call
from . import context, mirrored_updates
from . import devices as devices_module
from .input_lib import DistributedDataset
from .per_replica import Mirrored, PerReplica, regroup, select_replica
from .reduce_op import ReduceOp, as_reduce_op
from .strategy import InputContext, Strategy
from .value_context import ValueContext
from .values import DistributedValues


def _local_devices() -> list:
    """TF's ``all_local_devices``: the logical GPUs, else the logical CPUs."""
    from ..config import devices as config_devices

    gpus = devices_module.gpu_count()
    if gpus:
        return [d.name for d in config_devices.list_logical_devices("GPU")] or [
            f"/device:GPU:{i}" for i in range(gpus)
        ]
    return [d.name for d in config_devices.list_logical_devices("CPU")]


def _canonical(name: str) -> str:
    from ..backend import device_names

    try:
        parsed = device_names.parse(name)
    except ValueError:
        return name
    return name if parsed is None else str(device_names.tf_device_name(parsed))


def _device_names(devices) -> list:
    if isinstance(devices, str):
        raise TypeError(
            f"MirroredStrategy: devices must be a list of device names, received {devices!r}"
        )
    devices = None if devices is None else list(devices)
    if not devices:  # None or empty: TF's all_local_devices()
        return _local_devices()
    names = []
    for d in devices:
        name = d if isinstance(d, str) else getattr(d, "name", None)  # a LogicalDevice
        if not isinstance(name, str):
            raise TypeError(
                "MirroredStrategy: devices must be a list of device names or "
                f"tf.config.LogicalDevice, received {d!r}"
            )
        names.append(name)
    canonical = [_canonical(n) for n in names]
    if len(set(canonical)) != len(canonical):
        raise AssertionError(f"No duplicates allowed in `devices` argument: {tuple(canonical)}")
    return names


class MirroredStrategy(Strategy):
    """The replicas of this process, one per device of ``devices``.

    Args:
        devices: None or ``[]`` for every logical GPU (the logical CPUs when there is no
            GPU), or a list of device names (``["/gpu:0", "/gpu:1"]``, ``["cpu:0",
            "cpu:1"]``) or ``tf.config.LogicalDevice`` objects.
        cross_device_ops: a ``tf.distribute.CrossDeviceOps`` (``NcclAllReduce()`` ...):
            kept as given; the replicas' values are summed locally (``cross_device_ops.py``).

    Raises:
        TypeError: for ``devices`` that is a string or holds something else than names.
        AssertionError: for a device named twice (as TF).
    """

    _mirrors_variables = True

    def __init__(self, devices=None, cross_device_ops=None) -> None:
        names = _device_names(devices)
        super().__init__()
        self.extended_worker_devices = tuple(names)
        self._devices = tuple(names)
        self._cross_device_ops = cross_device_ops
        self._gradients: list = []  # per apply_gradients call of a run: earlier replicas'
        self._applied: list = []  # per replica: apply_gradients calls in this run
        self._started: dict = {}  # id -> (variable, value at the run's start, replicas)
        self._updates = None  # mirrored_updates' state during a run
        self._outer_runs: list = []  # the state above of runs within a replica function

    # -- TF's API --------------------------------------------------------------------------
    @property
    def num_replicas_in_sync(self) -> int:
        return len(self._devices)

    @property
    def _local_replicas(self) -> int:
        return len(self._devices)

    @property
    def worker_devices(self) -> tuple:
        return self._devices

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn`` once per replica with that replica's part of PerReplica arguments (other
        arguments are given to every replica); the results regrouped as PerReplica values
        (a result that is the same object in every replica is returned as itself)."""
        replicas = len(self._devices)
        if replicas == 1:
            return super().run(fn, args, kwargs)
        if not callable(fn):
            raise TypeError(
                f"MirroredStrategy.run: fn must be callable, received {type(fn).__name__}"
            )
        kwargs = kwargs or {}
        results = []
        _begin_run(self)
        try:
            for i in range(replicas):
                _enter_replica(self, i)
                try:
                    results.append(fn(*select_replica(i, tuple(args)), **select_replica(i, kwargs)))
                finally:
                    _exit_replica(self)
            _check_applied(self)
        finally:
            _end_run(self)
        return regroup(results)

    def experimental_local_results(self, value) -> tuple:
        """The replicas' values: a PerReplica's values, a mirrored variable once per
        replica, a structure split per replica; ``(value,)`` for anything else."""
        replicas = len(self._devices)
        if isinstance(value, PerReplica):
            return value.values
        if replicas > 1 and isinstance(value, DistributedValues):  # a mirrored variable
            return (value,) * replicas
        if replicas > 1 and nest.is_nested(value):
            if any(isinstance(leaf, PerReplica) for leaf in nest.flatten(value)):
                return tuple(select_replica(i, value) for i in range(replicas))
        return (value,)

    def reduce(self, reduce_op, value, axis=None):
        """The replicas' values combined (a value that is not PerReplica counts as every
        replica's); see ``Strategy.reduce``."""
        op = as_reduce_op(reduce_op, "MirroredStrategy.reduce")
        if len(self._devices) == 1:
            return super().reduce(op, value, axis)
        if isinstance(value, PerReplica):
            return self._reduce_replicas(op, value.values, axis)
        return nest.map_structure(
            lambda leaf: self._reduce_replicas(
                op, leaf.values if isinstance(leaf, PerReplica) else self._copies(leaf), axis
            ),
            value,
        )

    def _copies(self, leaf) -> tuple:
        return (leaf,) * len(self._devices)

    def _reduce_replicas(self, op: ReduceOp, parts, axis):
        """The replicas' values combined with recorded ops (so it also runs inside a
        ``tf.function``): a sum, or for MEAN divided by the replicas (by the elements
        along ``axis`` over all replicas when ``axis`` is given)."""
        from ..ops.creation import convert_to_tensor
        from ..ops.math import add_n
        from ..ops.reduce import reduce_sum
        from ..tensor import Tensor

        tensors = [p if isinstance(p, Tensor) else convert_to_tensor(p) for p in parts]
        shapes = [tuple(t.shape) for t in tensors]
        if axis is not None:
            for shape in shapes:
                if not shape or not -len(shape) <= axis < len(shape):
                    raise ValueError(
                        f"MirroredStrategy.reduce: axis {axis} is out of range for a value "
                        f"of shape {shape}"
                    )
            count = sum(shape[axis] for shape in shapes)
            tensors = [reduce_sum(t, axis=axis) for t in tensors]
            shapes = [tuple(t.shape) for t in tensors]
        else:
            count = len(tensors)
        if any(shape != shapes[0] for shape in shapes):
            raise ValueError(
                f"MirroredStrategy.reduce: the replicas' values have different shapes {shapes}"
            )
        total = add_n(tensors)
        if op is ReduceOp.MEAN:
            if total.dtype.is_floating:
                total = total / convert_to_tensor(count, dtype=total.dtype)
            else:
                total = total // count
        return total

    def gather(self, value, axis):
        """The replicas' values concatenated along ``axis``, in replica order."""
        if len(self._devices) == 1:
            return super().gather(value, axis)
        from ..ops.shape import concat

        return nest.map_structure(
            lambda leaf: concat(
                list(leaf.values if isinstance(leaf, PerReplica) else self._copies(leaf)), axis
            ),
            value,
        )

    def _replica_all_reduce(self, reduce_op, value):
        if len(self._devices) > 1 and context.running() is self:
            raise NotImplementedError(
                "ReplicaContext.all_reduce: gpuflow's MirroredStrategy runs its "
                f"{len(self._devices)} replicas one after another, so one replica cannot "
                "wait for the others' values; return the value from strategy.run and "
                "combine it with strategy.reduce(...) instead"
            )
        return super()._replica_all_reduce(reduce_op, value)

    def experimental_distribute_dataset(self, dataset, options=None):
        """``dataset`` (batched by the global batch size) with each batch split over the
        replicas (``input_lib.py``)."""
        if len(self._devices) == 1:
            return super().experimental_distribute_dataset(dataset, options)
        return DistributedDataset(dataset, len(self._devices), split=True)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """``dataset_fn(input_context)`` called once (one input pipeline); its batches
        (of the per-replica batch size) go to the replicas in turn."""
        if len(self._devices) == 1:
            return super().distribute_datasets_from_function(dataset_fn, options)
        dataset = dataset_fn(InputContext(1, 0, len(self._devices)))
        return DistributedDataset(dataset, len(self._devices), split=False)

    def experimental_distribute_values_from_function(self, value_fn):
        """``value_fn(ValueContext)`` for each replica, as a PerReplica."""
        replicas = len(self._devices)
        if replicas == 1:
            return value_fn(ValueContext(0, 1))
        return PerReplica([value_fn(ValueContext(i, replicas)) for i in range(replicas)])

    def reduce_to(self, reduce_op, value, destinations=None, options=None):
        """``strategy.extended.reduce_to``: the combined value on every replica (Mirrored)."""
        reduced = self.reduce(reduce_op, value, axis=None)
        if len(self._devices) == 1:
            return reduced
        return nest.map_structure(lambda t: Mirrored([t] * len(self._devices)), reduced)

    def _replica_start_state(self, variable) -> None:
        """Inside ``run``: the first time a replica changes ``variable`` (a generator's
        state) it starts from the value the first replica started from, so every replica
        sees the same (mirrored) state, as TF's one copy per replica."""
        replica = context.running_replica_id() if context.running() is self else None
        if replica is None or len(self._devices) == 1:
            return
        entry = self._started.get(id(variable))
        if entry is None:
            self._started[id(variable)] = (variable, variable.numpy(), {replica})
        elif replica not in entry[2]:
            entry[2].add(replica)
            variable.assign(entry[1])

    # -- gradients of an optimizer inside run --------------------------------------------------
    def reduce_gradient_pairs(self, pairs: list):
        """Inside ``run`` with several replicas: None for the replicas before the last
        (their gradients are kept), the sum of every replica's gradients for the last."""
        replica = context.running_replica_id() if context.running() is self else None
        if replica is None or len(self._devices) == 1:
            return super().reduce_gradient_pairs(pairs)
        call = self._applied[replica]
        self._applied[replica] += 1
        if replica == 0:
            self._gradients.append([g for g, _ in pairs])
            return None
        kept = self._gradients[call] if call < len(self._gradients) else None
        if kept is None or len(kept) != len(pairs):
            raise RuntimeError(
                f"MirroredStrategy: replica {replica} applied gradients of {len(pairs)} "
                "variables where replica 0 applied a different set; every replica must "
                "apply gradients of the same variables"
            )
        self._gradients[call] = [k + g for k, (g, _) in zip(kept, pairs)]
        if replica < len(self._devices) - 1:
            return None
        return [(g, v) for g, (_, v) in zip(self._gradients[call], pairs)]

    def __repr__(self) -> str:
        return f"<gpuflow.distribute.MirroredStrategy devices={list(self._devices)}>"


# The steps of ``run`` around the replica functions are host calls, so that a
# ``tf.function`` that calls ``run`` replays them: its replayed optimizer updates and
# random draws then see the same replica contexts as when it was traced.
@host_call(droppable=False)
def _begin_run(strategy: MirroredStrategy) -> None:
    strategy._outer_runs.append(
        (strategy._gradients, strategy._applied, strategy._started, strategy._updates)
    )
    strategy._gradients, strategy._applied = [], [0] * len(strategy._devices)
    strategy._started = {}
    strategy._updates = mirrored_updates.begin(strategy)


@host_call(droppable=False)
def _end_run(strategy: MirroredStrategy) -> None:
    mirrored_updates.end(strategy._updates)
    (strategy._gradients, strategy._applied, strategy._started, strategy._updates) = (
        strategy._outer_runs.pop()
    )


@host_call(droppable=False)
def _enter_replica(strategy: MirroredStrategy, replica: int) -> None:
    context.enter_replica(strategy, replica)


@host_call(droppable=False)
def _exit_replica(strategy: MirroredStrategy) -> None:
    context.exit_replica()


@host_call(droppable=False)
def _check_applied(strategy: MirroredStrategy) -> None:
    unmatched = strategy._updates[1].unmatched()
    if unmatched:
        raise RuntimeError(
            f"MirroredStrategy.run: mirrored variables {unmatched} were updated by some "
            "replicas and not the last; every replica must make the same updates"
        )
    applied = strategy._applied
    if strategy._gradients and any(n != applied[0] for n in applied):
        raise RuntimeError(
            "MirroredStrategy.run: the replicas called apply_gradients a different number "
            f"of times ({applied}); every replica must apply its gradients the same number "
            "of times"
        )
