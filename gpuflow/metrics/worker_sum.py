"""A metric created under a multi-worker strategy's ``scope()`` reads its state summed over
the workers, as TensorFlow's metric variables (``SUM`` aggregation, ``ON_READ``
synchronization) do: ``result()`` in a custom training loop is the global one, the same on
every worker, while each worker's own state keeps only its updates.

The trainer of ``fit`` / ``evaluate`` sums its metrics' states itself once per epoch
(trainers/distribution.py ``sync_metrics``) and marks them with :func:`summed_by_trainer`,
so they are not summed twice."""

from __future__ import annotations

import functools
import weakref

import numpy as np

from .. import nest
from ..distribute.context import current, running
from ..tensor import Tensor, Variable


def strategy_to_sum():
    """A weak reference to the multi-worker strategy of the ``scope()`` (or ``run``) the
    metric is created in, when it has more than one worker, else None (a weak reference:
    copies of the metric do not copy the strategy)."""
    strategy = running() or current()
    comm = getattr(strategy, "_comm", None)
    if comm is None or comm.size == 1:
        return None
    return weakref.ref(strategy)


def summed_by_trainer(metric) -> None:
    """Stop ``metric``'s reads from summing over the workers (its owner sums the state)."""
    metric.__dict__["_sum_on_read"] = None


def reading_global(result):
    """``result`` (a Metric method) computed from the state summed over the workers."""

    @functools.wraps(result)
    def wrapper(self, *args, **kwargs):
        ref = self.__dict__.get("_sum_on_read")
        strategy = ref() if ref is not None else None
        if strategy is None or self.__dict__.get("_reading_global"):
            return result(self, *args, **kwargs)
        local = _local_state(self)
        summed = _sum(strategy, [value for _, value, _ in local])
        self.__dict__["_reading_global"] = True
        try:
            for (_, value, put), total in zip(local, summed):
                put(total.astype(value.dtype))
            # a result that is a state variable (``return self.seen``) is read now
            return nest.map_structure(_read, result(self, *args, **kwargs))
        finally:
            for _, value, put in local:
                put(value)
            self.__dict__["_reading_global"] = False

    return wrapper


def _read(value):
    if isinstance(value, Variable):
        return Tensor._wrap(value._device.xp.array(value._data, copy=True), value._device)
    return value


def _local_state(metric) -> list:
    """``(name, host copy, setter)`` of each state array and added weight, at full
    precision (the accumulators are float64)."""
    out = []
    for var, _ in metric._weights:
        out.append((var.name, np.array(var.numpy()), var.assign))
    if metric._specs:
        state = metric._state()
        device = metric._device
        for key in metric._specs:

            def put(value, key=key):
                state[key][...] = device.asarray(np.asarray(value))

            out.append((key, np.array(device.to_host(state[key])), put))
    return out


def _sum(strategy, arrays: list) -> list:
    if not arrays:
        return []
    flat = np.concatenate([np.asarray(a, np.float64).reshape(-1) for a in arrays])
    total = strategy._comm.allreduce_sum(flat)
    out, offset = [], 0
    for a in arrays:
        out.append(total[offset : offset + a.size].reshape(a.shape))
        offset += a.size
    return out
