"""A loaded ConcreteFunction run op by op as eager ops, so that a GradientTape outside it
records each op (gradients with respect to the loaded variables and the inputs).

A traced function called under a tape runs its Python body; a loaded one has no body, so
its recorded steps run again as eager calls: each op is a copy of the recorded op object
(the same class and constructor attributes) called on Tensors, which the tape records.
"""

from __future__ import annotations

import copy

from .. import nest
from .._tracing import tracing
from ..graph.control_flow import CondStep, WhileStep
from ..graph.steps import Const, HostStep, OpStep, VarRef
from ..graph.trace import _OP_STATE
from ..tensor import Tensor


def run_eagerly(cf, tensors: list):
    """``cf``'s outputs for input ``tensors``, computed by eager ops."""
    slots: list = [None] * cf._n_slots
    for slot, t in zip(cf._input_slots, tensors):
        slots[slot] = t
    _run(cf._steps, slots)
    leaves = []
    for kind, ref, _ in cf._out:
        if kind == "py":
            leaves.append(ref)
        elif kind == "var":
            from ..ops.shape import identity

            leaves.append(identity(ref.var))
        else:
            leaves.append(_tensor(ref, slots))
    return nest.pack_sequence_as(cf._structure, leaves)


def _tensor(ref, slots):
    if ref.__class__ is int:
        return slots[ref]
    if isinstance(ref, VarRef):
        return ref.var  # the Variable itself: the tape watches it
    if isinstance(ref, Const):
        if tracing.trace is not None:  # inside another gpuflow.function: its constant
            from ..ops.creation import constant

            return constant(ref.array)
        from ..backend import current_device

        return Tensor._wrap(ref.array, current_device())
    raise TypeError(f"unexpected step input {ref!r}")


def _run(steps, slots) -> None:
    for step in steps:
        kind = type(step)
        if kind is OpStep:
            fn = _fresh_op(step)
            if step.attrs is not None:
                arrays = [None if t is None else t._data for t in slots]
                OpStep.set_attributes(_Target(fn, step), arrays)
            slots[step.out] = fn(*[_tensor(r, slots) for r in step.refs])
        elif kind is HostStep:
            args, kwargs = step.build([_tensor(x.ref, slots) for x in step.args])
            trace = tracing.trace
            if trace is None:
                result = step.func(*args, **kwargs)
            else:  # one host step of the outer trace, as the call would be
                result = trace.host_call(
                    step.func, args, kwargs, True, _dry_result(step), not step.effect
                )
            if step.outs:
                flat = nest.flatten(result)
                for i, slot in step.outs:
                    slots[slot] = flat[i]
        elif kind is CondStep:
            steps_, refs = step.branches[0 if bool(_tensor(step.pred, slots)) else 1]
            _run(steps_, slots)
            values = [_tensor(r, slots) for r in refs]
            for slot, value in zip(step.outs, values):
                slots[slot] = value
        elif kind is WhileStep:
            _while(step, slots)
        else:
            raise TypeError(f"a loaded function cannot run step {step.describe()}")


def _fresh_op(step):
    """A new op object of the recorded op's class with its constructor attributes (not the
    arrays an earlier forward left on it), as the traced code built it."""
    fn = step.fn
    if step.keys is None:
        new = copy.copy(fn)
        for key in _OP_STATE:
            new.__dict__.pop(key, None)
        return new
    new = type(fn).__new__(type(fn))
    new.__dict__.update((k, fn.__dict__[k]) for k in step.keys if k in fn.__dict__)
    return new


def _dry_result(step):
    from .._tracing import returns_first

    name = getattr(step.func, "__qualname__", "")
    return returns_first if name.startswith("Variable.assign") else None


def _while(step, slots) -> None:
    for slot, ref in zip(step.places, step.init):
        slots[slot] = _tensor(ref, slots)
    cond_steps, cond_ref = step.cond
    body_steps, body_refs = step.body
    count = 0
    while step.limit is None or count < step.limit:
        _run(cond_steps, slots)
        if not bool(_tensor(cond_ref, slots)):
            break
        _run(body_steps, slots)
        values = [_tensor(r, slots) for r in body_refs]
        for slot, value in zip(step.places, values):
            slots[slot] = value
        count += 1
    for slot, place in zip(step.outs, step.places):
        slots[slot] = slots[place]


class _Target:
    """Lets ``OpStep.set_attributes`` set a copied op's traced attributes."""

    __slots__ = ("fn", "attrs")

    def __init__(self, fn, step) -> None:
        self.fn, self.attrs = fn, step.attrs
