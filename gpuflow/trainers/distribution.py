"""The Trainer's side of a distribution strategy: the hooks the loops and steps call.

A model created under ``strategy.scope()`` keeps that strategy; these functions are the
only places where the Trainer acts on it:

- :func:`wrap_step`: before the first step, worker 0's weights are broadcast;
- :func:`local_batch`: each worker takes its rows of every global batch of arrays
  (:func:`shard_input`: its shard of a dataset);
- :func:`reduce_gradients`: the gradients of the global batch, by bucketed allreduce;
- :func:`sync_metrics`: metric states summed over the workers before an epoch's logs are
  read, so every worker's History is the same;
- :func:`chief_callbacks`: only worker 0 prints, writes TensorBoard logs and checkpoints.

With one worker each is the identity.
"""
from __future__ import annotations

from .. import nest
from ..tensor import Tensor

# Callbacks that write files or print: worker 0's job only.
_CHIEF_ONLY = ("ModelCheckpoint", "TensorBoard", "BackupAndRestore", "CSVLogger",
               "ProgbarLogger")


def strategy_of(model):
    """The strategy ``model`` was created under, or None."""
    return getattr(model, "_distribute_strategy", None)


def wrap_step(model, step):
    """``step`` preceded, on its first call, by the broadcast of worker 0's weights."""
    strategy = strategy_of(model)
    if strategy is None or strategy.num_replicas_in_sync == 1:
        return step
    state = {"synced": False}

    def distributed_step(data):
        if not state["synced"]:
            if not getattr(model, "built", True):
                from ..autodiff import no_grad
                from .data_adapters import unpack_x_y_sample_weight

                with no_grad():  # build the weights before they are broadcast
                    model(unpack_x_y_sample_weight(data)[0], training=False)
            broadcast_weights(model)
            state["synced"] = True
        return step(data)

    return distributed_step


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
    if strategy is None or strategy.num_replicas_in_sync == 1 or data is None:
        return data
    return strategy.experimental_distribute_dataset(data)


def reduce_gradients(model, grads: list, local_rows: int) -> list:
    """The gradients of the global batch's mean loss (``model``'s strategy's workers)."""
    strategy = strategy_of(model)
    if strategy is None or strategy.num_replicas_in_sync == 1:
        return grads
    device = next(g._device for g in grads if g is not None)
    arrays = strategy.reduce_gradients([None if g is None else g._data for g in grads],
                                       device, local_rows)
    return [None if a is None else Tensor._wrap(a, device) for a in arrays]


def sync_metrics(model) -> None:
    """Sum every metric's state over the workers (in place), once per epoch's logs.

    Metric states are sums (totals and counts), as TF's SyncOnRead SUM variables, so the
    summed state gives the result over all workers' data.
    """
    strategy = strategy_of(model)
    if strategy is None or strategy.num_replicas_in_sync == 1:
        return
    for metric in _leaf_metrics(model.metrics):
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
    return [cb for cb in callbacks if type(cb).__name__ not in _CHIEF_ONLY], 0

