"""The Trainer's side of a distribution strategy: the hooks the loops and steps call.

A model created under ``strategy.scope()`` keeps that strategy; these functions are the
only places where the Trainer acts on it:

- :func:`wrap_step`: before the first step, worker 0's weights are broadcast;
- :func:`local_batch`: each worker takes its rows of every global batch of arrays
  (:func:`shard_input`: its shard of a dataset);
- :func:`wrap_step` also tells the strategy this worker's rows, so the optimizer (made
  under the scope, or attached by :func:`attach_optimizer`) reduces the gradients to the
  global batch's by bucketed allreduce inside ``apply_gradients``, as Keras on TF does;
- :func:`sync_metrics`: metric states summed over the workers before an epoch's logs are
  read, so every worker's History is the same;
- :func:`chief_callbacks`: only worker 0 prints, writes TensorBoard logs and checkpoints.

With one worker each is the identity.
"""

from __future__ import annotations

from .. import nest
from ..metrics.worker_sum import summed_by_trainer
from ..tensor import Tensor

# Callbacks that write files or print: worker 0's job only (subclasses included).
_CHIEF_ONLY = ("ModelCheckpoint", "TensorBoard", "BackupAndRestore", "CSVLogger", "ProgbarLogger")


def strategy_of(model):
    """The strategy ``model`` was created under, or None."""
    return getattr(model, "_distribute_strategy", None)


def wrap_step(model, step):
    """``step`` preceded, on its first call, by the broadcast of worker 0's weights."""
    strategy = strategy_of(model)
    if strategy is None or strategy._comm.size == 1:
        return step
    state = {"synced": False, "marked": False}

    def distributed_step(data):
        if not state["synced"]:
            if not getattr(model, "built", True):
                from ..autodiff import no_grad
                from .data_adapters import unpack_x_y_sample_weight

                with no_grad():  # build the weights before they are broadcast
                    model(unpack_x_y_sample_weight(data)[0], training=False)
            broadcast_weights(model)
            state["synced"] = True
        from .data_adapters import unpack_x_y_sample_weight

        # The optimizer weights this worker's gradients by its share of the global batch.
        with strategy.replica_rows(_rows(unpack_x_y_sample_weight(data)[0])):
            logs = step(data)
        if not state["marked"]:  # the compiled metrics are built in the first step
            for metric in _leaf_metrics(model.metrics):
                summed_by_trainer(metric)  # sync_metrics sums their states, once per epoch
            state["marked"] = True
        return logs

    if hasattr(step, "compiled"):  # the gpuflow.function of a compiled step stays visible
        distributed_step.compiled = step.compiled
    return distributed_step


def _rows(x) -> int:
    for leaf in nest.flatten(x):
        if leaf is not None and getattr(leaf, "ndim", 0):
            return int(leaf.shape[0])
    return 1


def broadcast_weights(model) -> None:
    """Every worker's weights set to worker 0's."""
    strategy = strategy_of(model)
    variables = list(model.weights)
    if strategy is None or not variables:
        return
    device = variables[0]._device
    arrays = strategy.broadcast_arrays([v._data for v in variables], device)
    for var, array in zip(variables, arrays):
        var.assign(Tensor._wrap(array, var._device))


def local_batch(strategy, batch):
    """This worker's rows of a global ``batch`` (every leaf sliced the same way)."""
    leaves = [leaf for leaf in nest.flatten(batch) if leaf is not None]
    if not leaves:
        return batch
    rows = strategy.local_rows(int(leaves[0].shape[0]))
    return nest.map_structure(lambda a: None if a is None else a[rows], batch)


def shard_input(model, data):
    """This worker's shard of a dataset given to fit/evaluate/predict (arrays are split
    per batch instead; see :func:`local_batch`)."""
    strategy = strategy_of(model)
    if strategy is None or strategy._comm.size == 1 or data is None:
        return data
    return strategy.experimental_distribute_dataset(data)


def attach_optimizer(model, optimizer):
    """``optimizer``, made to reduce its gradients over ``model``'s workers when the model
    was created under a scope and the optimizer was not (``compile("adam")`` outside the
    scope), as Keras creates a model's optimizer under the model's strategy."""
    strategy = strategy_of(model)
    targets = [optimizer, getattr(optimizer, "inner_optimizer", None)]
    for target in targets:
        if (
            strategy is not None
            and target is not None
            and getattr(target, "_distribute_strategy", None) is None
        ):
            target._distribute_strategy = strategy
    return optimizer


def sync_metrics(model) -> None:
    """Sum every metric's state over the workers (in place), once per epoch's logs.

    Metric states are sums (totals and counts), as TF's SyncOnRead SUM variables, so the
    summed state gives the result over all workers' data.
    """
    strategy = strategy_of(model)
    if strategy is None or strategy._comm.size == 1:
        return
    for metric in _leaf_metrics(model.metrics):
        summed_by_trainer(metric)  # its result() then reads this summed state as it is
        arrays = metric._state() if metric._specs else {}
        device = metric._device
        if arrays:
            keys = list(arrays)
            summed = strategy.sum_arrays([arrays[k] for k in keys], device)
            for key, value in zip(keys, summed):
                arrays[key][...] = value
        for var, _ in metric._weights:
            summed = strategy.sum_arrays([var._data], var._device)[0]
            var.assign(Tensor._wrap(summed, var._device))


def _leaf_metrics(metrics) -> list:
    out = []
    for metric in metrics:
        inner = getattr(metric, "metrics", None)
        if isinstance(inner, list) and inner and inner[0] is not metric:
            out += _leaf_metrics(inner)
        else:
            out.append(metric)
    return out


def chief_callbacks(model, callbacks: list, verbose: int):
    """``(callbacks, verbose)`` for this worker: on workers other than 0 no printing and
    no callbacks that write files."""
    strategy = strategy_of(model)
    if strategy is None or strategy.cluster_resolver.task_id == 0:
        return callbacks, verbose

    def chief_only(callback) -> bool:
        return any(klass.__name__ in _CHIEF_ONLY for klass in type(callback).__mro__)

    return [cb for cb in callbacks if not chief_only(cb)], 0
