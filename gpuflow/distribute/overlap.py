"""Gradient buckets started during the backward pass (a strategy's gradient-ready session).

A :class:`BucketSession` is what a strategy's gradient-ready listener (see
``gpuflow/autodiff/state.py``) hands to one ``tape.gradient`` walk. It plans the buckets
of the walk's source Variables exactly as :func:`bucketing.allreduce_gradients` would plan
them at ``apply_gradients`` (reverse variable order, one dtype per bucket), and starts each
bucket's non-blocking allreduce as soon as all of its gradients are final, strictly in
plan order: so every worker starts the same buckets in the same order whatever order its
walk finished them in. When the walk ends, buckets not yet started (a gradient that never
came: packed as zeros) are started too, so a session always issues all of its buckets.

``apply_gradients`` (``Strategy.reduce_gradient_pairs``) then :meth:`BucketSession.collect`\\ s
it: the early results are used only if the arrays it is given are the very arrays that were
packed, on every worker (one small allreduce agrees on it); otherwise every worker waits for
and drops the early buckets and reduces the given gradients afresh.
"""

from __future__ import annotations

import numpy as np

from .bucketing import plan_buckets


class BucketSession:
    """The buckets of one gradient computation over ``variables``.

    Args:
        comm: the strategy's communicator.
        variables: the Variables the gradients are for, in the order ``tape.gradient``
            was given them (the order ``apply_gradients`` is expected to get them in).
        device: their device.
        weight: this worker's share of the global batch (as ``allreduce_gradients``).
        bucket_bytes: the bucket size.
    """

    def __init__(self, comm, variables: list, device, weight: float, bucket_bytes: int) -> None:
        self.comm, self.device, self.weight = comm, device, weight
        self.variables = variables
        self.key = tuple(id(v) for v in variables)
        self.keys = {id(v): v for v in variables}  # what the walk tells of (autodiff/state.py)
        self.index = {id(v): i for i, v in enumerate(variables)}
        self.plan = plan_buckets(
            [(int(np.prod(v._data.shape)), v._data.dtype) for v in variables], bucket_bytes
        )
        self.bucket_of = [0] * len(variables)
        for k, bucket in enumerate(self.plan):
            for i in bucket:
                self.bucket_of[i] = k
        self.missing = [len(bucket) for bucket in self.plan]
        self.arrays: list = [None] * len(variables)  # the gradient arrays packed
        self.started: list = []  # (indices, shapes, pending allreduce), in plan order
        self.polled = 0  # started[:polled] are known to be complete
        self.finished = False
        self.events: list = []  # ("ready", i) and ("start", k), for tests

    # -- the walk's side -------------------------------------------------------------------
    def ready(self, variable, array) -> None:
        """``variable``'s gradient is final: start every bucket whose turn has come."""
        i = self.index.get(id(variable))
        if i is None or self.arrays[i] is not None or self.finished:
            return
        self.arrays[i] = array
        self.events.append(("ready", i))
        k = self.bucket_of[i]
        self.missing[k] -= 1
        while len(self.started) < len(self.plan) and self.missing[len(self.started)] == 0:
            self._start(len(self.started))

    def poll(self) -> None:
        """Let MPI progress the started allreduces (on the CPU a non-blocking collective
        moves only while MPI is called): test the oldest one not known to be complete."""
        if self.polled < len(self.started) and self.started[self.polled][2].test():
            self.polled += 1

    def finish(self) -> None:
        """The walk is over: start the buckets not started yet (missing gradients as zeros)."""
        while len(self.started) < len(self.plan):
            self._start(len(self.started))
        self.finished = True

    def _start(self, k: int) -> None:
        indices = self.plan[k]
        parts, shapes = [], []
        for i in indices:
            array = self.arrays[i]
            if array is None:
                data = self.variables[i]._data
                host = np.zeros(data.shape, dtype=data.dtype)
            else:
                host = np.asarray(self.device.to_host(array))
            shapes.append(host.shape)
            parts.append(host.reshape(-1))
        flat = np.concatenate(parts) * np.asarray(self.weight, dtype=parts[0].dtype)
        self.started.append((indices, shapes, self.comm.iallreduce_sum(flat)))
        self.events.append(("start", k))

    # -- apply_gradients' side -------------------------------------------------------------
    def collect(self, grads: list) -> list | None:
        """The reduced gradients, if every worker was given the arrays its walk packed.

        Args:
            grads: the gradient arrays ``apply_gradients`` got, one per variable of this
                session, in its order.

        Returns:
            The reduced arrays on the device, or None when some worker's ``grads`` are not
            (all) the packed arrays: then the early results are dropped on every worker.
        """
        same = len(grads) == len(self.arrays) and all(g is a for g, a in zip(grads, self.arrays))
        agreement = self.comm.iallreduce_sum(np.array([0.0 if same else 1.0]))
        flats = [pending.wait() for _, _, pending in self.started]  # meanwhile, the flags
        started, self.started = self.started, []
        if agreement.wait()[0] != 0:
            return None
        out: list = [None] * len(self.arrays)
        for (indices, shapes, _), flat in zip(started, flats):
            offset = 0
            for i, shape in zip(indices, shapes):
                n = int(np.prod(shape))
                out[i] = self.device.asarray(flat[offset : offset + n].reshape(shape))
                offset += n
        return out

    def drop(self) -> None:
        """Wait for the started buckets (every worker started them) and forget them."""
        self.finish()
        for _, _, pending in self.started:
            pending.wait()
        self.started = []
