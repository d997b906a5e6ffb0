"""Plain SGD's update fused into the GEMM that makes a Dense kernel's gradient.

A compiled training step runs ``tape.gradient`` and then ``apply_gradients``. For plain
SGD a kernel's update is ``w -= lr * dw`` with ``dw = x.T @ g``: writing ``dw`` out and
reading it back costs a pass over the kernel's memory, as much as the GEMM itself for
the lecture MLP's 784x512 kernel at batch 32. Where only the update reads a kernel's
gradient, the replay has the Dense op's backward add ``-lr * x.T @ g`` straight into the
kernel (``KernelSet.dense_backward_update``: on the CPU one BLAS GEMM with the kernel as
its accumulator) and ``apply_gradients`` updates the other variables.

Which kernels qualify is found once per trace (:func:`plan`); whether this replay's
update is plain SGD is asked of the optimizer on each replay
(``Optimizer._fused_update_rate``: no momentum, clipping, weight decay, loss scaling,
accumulation, EMA or strategy), and a replay where it is not runs unfused. Results equal
the unfused step's up to the rounding of one fused multiply-add.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..autodiff.state import state
from ..ops.nn import Dense
from ..optimizers.base import Optimizer
from ..tensor import Variable
from .fast_steps import ApplyStep
from .steps import GradStep

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))

MIN_SIZE = 32768
"""Kernels with fewer elements update unfused: their gradient stays in cache, so the pass
saved is cheaper than the foreign call that saves it."""


class FusedUpdates:
    """The kernels of one ``(gradient, apply_gradients)`` pair whose update their Dense
    op's backward applies: ``begin`` before the backward walk (False when this replay's
    update is not plain SGD), ``end`` after it, ``skipped`` for ``apply_gradients``."""

    def __init__(self, optimizer, fused: list) -> None:
        self.optimizer = optimizer
        self.fused = fused  # [(Dense op, kernel Variable, index among the gradient's outs)]
        self.outs = {i for _, _, i in fused}
        self.variables = {id(var) for _, var, _ in fused}
        self.active = False
        self.targets: list = []

    def begin(self) -> bool:
        rate = None
        if state.check_hook is None and state.gradient_listener is None:
            rate = self.optimizer._fused_update_rate()
        self.active = rate is not None
        if self.active:
            for fn, var, _ in self.fused:
                target = var._update_buffer(var._data.dtype)
                fn.fused_update = (rate, target)
                self.targets.append((var, target))
        return self.active

    def end(self) -> None:
        """Swap each updated array in (as ``Optimizer._update_variables`` does)."""
        for fn, _, _ in self.fused:
            fn.fused_update = None
        for var, target in self.targets:
            var._data = target
        self.targets.clear()

    def skipped(self) -> set:
        """Ids of the variables this replay's backward updated (and ends the replay's
        fusion)."""
        if not self.active:
            return frozenset()
        self.active = False
        return self.variables


def plan(steps: list, output_refs: list) -> None:
    """Attach a :class:`FusedUpdates` to each gradient step directly followed by an SGD
    ``apply_gradients`` that has kernels to fuse.

    A kernel qualifies when its gradient's slot is read by the update alone (not returned,
    not used by another step), the one op of the gradient's walk that reads the kernel is
    a Dense op taking it as its kernel (so no later gradient reads the kernel while the
    walk runs), no other gradient step walks through that op, its dtype is float32 or
    float64 (float16 variables are updated in float32) and it has at least
    :data:`MIN_SIZE` elements.
    """
    reads = Counter(r for r in output_refs if r.__class__ is int)
    walked = Counter()
    for step in steps:
        reads.update(step.uses())
        if isinstance(step, GradStep):
            walked.update(id(fn) for fn, _, _, _ in step.plan.plan)
    for grad, apply in zip(steps, steps[1:]):
        if not (isinstance(grad, GradStep) and isinstance(apply, ApplyStep)):
            continue
        if type(apply.optimizer)._fused_update_rate is Optimizer._fused_update_rate:
            continue  # never plain SGD
        readers: dict = {}
        for fn, _, _, _ in grad.plan.plan:
            for t in fn.inputs:
                if isinstance(t, Variable):
                    readers.setdefault(id(t), set()).add(fn)
        out_index = {
            id(source): (i, slot)
            for i, (source, slot) in enumerate(zip(grad.sources, grad.outs))
            if slot is not None
        }
        fused = []
        for ref, var in zip(apply.refs, apply.variables):
            found = out_index.get(id(var))
            if found is None or found[1] != ref or reads[ref] != 1:
                continue
            fns = readers.get(id(var), ())
            if len(fns) != 1:
                continue
            (fn,) = fns
            if (
                type(fn) is Dense
                and fn.inputs[1] is var
                and sum(t is var for t in fn.inputs) == 1
                and walked[id(fn)] == 1
                and var._data.dtype in _FLOATS
                and var._data.size >= MIN_SIZE
            ):
                fused.append((fn, var, found[0]))
        if fused:
            grad.fused = apply.fused = FusedUpdates(apply.optimizer, fused)
