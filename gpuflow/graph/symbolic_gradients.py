"""``tf.gradients(ys, xs)`` inside ``gpuflow.function``: the symbolic gradient TensorFlow
builds from the graph, computed here from the trace's recorded steps.

Ops traced without a GradientTape keep no backward links, so the recorded ops that
depend on ``xs`` (and that ``ys`` may need) are run once more under a tape watching
``xs``; the tape's gradient is recorded as usual (a gradient step of the trace). The
recomputed ops are part of the recording too: each replay computes that part of the
forward pass twice.
"""

from __future__ import annotations

from .. import nest
from ..tensor import Tensor, Variable
from .steps import Const, OpStep, VarRef

_UNCONNECTED = ("none", "zero")


def gradients_in_trace(trace, ys, xs, grad_ys=None, stop_gradients=None, unconnected="none"):
    """A list with the gradient of ``sum(ys)`` for each of ``xs`` (None where unconnected,
    or zeros with ``unconnected="zero"``), as ``tf.gradients`` in a graph."""
    from ..autodiff.tape import GradientTape

    unconnected = getattr(unconnected, "value", unconnected)
    if unconnected not in _UNCONNECTED:
        raise ValueError(
            f"tf.gradients: unconnected_gradients must be 'none' or 'zero', received "
            f"{unconnected!r}"
        )
    ys = _tensors("ys", ys)
    xs = _tensors("xs", xs)
    if grad_ys is not None:
        grad_ys = list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys]
        if len(grad_ys) != len(ys):
            raise ValueError(
                f"tf.gradients: grad_ys must have one entry per ys ({len(ys)}), received "
                f"{len(grad_ys)}"
            )
    stops = {
        id(t._data)
        for t in (nest.flatten(stop_gradients) if stop_gradients is not None else [])
        if isinstance(t, Tensor) and not isinstance(t, Variable)
    }
    with GradientTape(persistent=False, watch_accessed_variables=False) as tape:
        for x in xs:
            tape.watch(x)
        fresh, constants = _rerun(trace, xs, stops)
        targets = [_fresh(trace, fresh, constants, y) for y in ys]
        # an x computed from another x (b = 2 * a) is taken where the re-run computed it,
        # so that the gradient for a flows through b too, as TensorFlow's graph
        sources = [_fresh(trace, fresh, constants, x) for x in xs]
    return tape.gradient(
        targets, sources, output_gradients=grad_ys, unconnected_gradients=unconnected
    )


def _tensors(what: str, value) -> list:
    flat = nest.flatten(value)
    for t in flat:
        if not isinstance(t, Tensor):
            raise TypeError(
                f"tf.gradients: {what} must be Tensors (or Variables for xs), received "
                f"{type(t).__name__}"
            )
    return flat


def _slot(trace, t):
    return None if isinstance(t, Variable) else trace.slot_of.get(id(t._data))


def _fresh(trace, fresh: dict, constants: dict, t):
    """``t`` as the re-run computed it (itself where the re-run did not)."""
    if isinstance(t, Variable):
        return t
    slot = trace.slot_of.get(id(t._data))
    if slot is not None:
        return fresh.get(slot, t)
    return constants.get(id(t._data), t)


def _rerun(trace, xs, stops) -> tuple[dict, dict]:
    """``({slot: tensor}, {id(constant array): tensor})``: the recorded ops that depend on
    ``xs`` run again (now watched), in their order; ops writing a ``stops`` tensor are left
    as they were. xs the trace holds as constants (``tf.constant``, or ops on constants
    only, folded) are followed through the folded ops first: those depend on constants
    only, so none of them needs a recorded op's result."""
    fresh: dict = {}
    variables = set()
    constants: dict = {}
    for x in xs:
        if isinstance(x, Variable):
            variables.add(id(x))
        else:
            slot = _slot(trace, x)
            if slot is not None:
                fresh[slot] = x
            else:
                constants[id(x._data)] = x
    stop_slots = {trace.slot_of.get(i) for i in stops}
    if constants:
        for step in list(trace.folded):
            if step.out in stops:
                continue
            known = [constants.get(id(r.array)) for r in step.refs if r.__class__ is Const]
            device = next((t._device for t in known if t is not None), None)
            if device is None:
                continue
            inputs = []
            for r in step.refs:
                if r.__class__ is Const:
                    x = constants.get(id(r.array))
                    inputs.append(x if x is not None else Tensor._wrap(r.array, device))
                else:
                    inputs.append(r)
            constants[step.out] = _run_again(step, inputs)
    for step in list(trace.steps):  # running ops appends steps: only the ones before
        if not isinstance(step, OpStep):
            continue
        if step.out in stop_slots or not any(
            (r.__class__ is int and r in fresh)
            or (r.__class__ is VarRef and id(r.var) in variables)
            or (r.__class__ is Const and id(r.array) in constants)
            for r in step.refs
        ):
            continue
        device = trace.devices[step.out]
        inputs = []
        for r in step.refs:
            if r.__class__ is int:
                t = fresh.get(r)
                inputs.append(
                    t if t is not None else Tensor._wrap(trace.arrays[r], trace.devices[r])
                )
            elif r.__class__ is VarRef:
                inputs.append(r.var)
            elif r.__class__ is Const:
                x = constants.get(id(r.array))
                inputs.append(x if x is not None else Tensor._wrap(r.array, device))
            else:
                inputs.append(r)
        fresh[step.out] = _run_again(step, inputs)
    return fresh, constants


def _run_again(step, inputs):
    """The op of ``step`` applied again to ``inputs`` (a fresh op object, as the recorded
    one keeps its trace-time state)."""
    fn = object.__new__(type(step.fn))
    for name in step.keys or ():
        setattr(fn, name, getattr(step.fn, name))
    return fn(*inputs)
