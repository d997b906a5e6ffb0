"""A ``tf.custom_gradient``'s ``grad_fn`` inside ``gpuflow.function``.

A trace records ``tape.gradient`` as one step that re-runs the eager backward walk (on
arrays) each replay. Most ops' backward reads only the op's own input and output arrays,
which the replay keeps on the op. A custom gradient's ``grad_fn`` is Python code that
may read any tensor of the forward pass it closes over (``e = tf.exp(x)`` in the TF
guide's ``log1pexp``): running it again on a replay would read the trace-time values.

So while tracing, the first walk through a custom op records ``grad_fn(upstream)`` as a
small program of steps (:class:`CustomBackward`): its inputs are the upstream gradient
and the forward slots it reads ("captured"), which are added to the custom op's own
recorded inputs, so that each replay hands them to the op (``_xs``) as it does its
inputs, and the forward ops producing them are kept. The op's ``backward`` then runs the
program on those arrays: the same steps as the trace, on this replay's values.
"""

from __future__ import annotations

from .._tracing import NotSupportedInGraphError, paused
from ..tensor import Tensor
from .steps import OpStep, finalize, resolve, run_steps


class CustomBackward:
    """``grad_fn`` as recorded steps: ``run(fn, upstream)`` gives the input gradients
    (arrays, None where ``grad_fn`` gave None) from the upstream gradient and the op's
    replay arrays: the captured slots' values are its inputs from position ``first`` on
    (``fn._xs``), and ``grad_fn`` may read the op's own output (slot ``own``, ``fn._y``)."""

    __slots__ = ("steps", "upstream", "captured", "first", "own", "outs")

    def __init__(self, steps, upstream: int, captured: list, first: int, own: int, outs) -> None:
        self.steps, self.upstream, self.captured = steps, upstream, captured
        self.first, self.own, self.outs = first, own, outs

    def run(self, fn, upstream) -> tuple:
        xs = fn._xs
        return self.run_on(upstream, xs[self.first : self.first + len(self.captured)], fn._y)

    def run_on(self, upstream, captured, own) -> tuple:
        slots = dict(zip(self.captured, captured))
        slots[self.own] = own
        slots[self.upstream] = upstream
        run_steps(self.steps, slots)
        return tuple(None if r is None else resolve(r, slots) for r in self.outs)


def record_custom_backward(trace, fn, upstream_array, gradients, error) -> list:
    """Called by the custom op's ``backward`` during a trace-time gradient walk:
    ``gradients(upstream_tensor)`` runs ``grad_fn`` (validated, one Tensor or None per
    input); its ops are recorded as ``fn.program``. Returns the gradient arrays.
    ``error``: the exception class for what cannot be recorded."""
    program = fn.__dict__.get("program")
    if program is not None:  # a second gradient walking the same op: same program
        with paused():
            captured = [trace.arrays[c] for c in program.captured]
            return list(program.run_on(upstream_array, captured, trace.arrays[program.own]))
    step = _op_step(trace.steps, fn)
    if step is None:
        raise error(
            f"gpuflow.function {trace.name!r}: the gradient of {fn.op_name()} is taken in a "
            "different control-flow block (gpuflow.cond / while_loop) than its forward call; "
            "take the gradient in the same block, or run the function eagerly"
        )
    xp = fn.device.xp
    # a fresh array object: the walk's gradient may be an array another slot is found by
    upstream = Tensor._wrap(xp.asarray(upstream_array).view(), fn.device)
    first_slot = trace.new_slot(upstream)
    saved = trace.steps
    trace.steps = []
    # gradient steps recorded here leave the ops they walk their arrays: another gradient
    # may walk this op, and so this program, again in the same call
    trace.keep_arrays += 1
    try:
        grads = gradients(upstream)
    finally:
        steps, trace.steps = trace.steps, saved
        trace.keep_arrays -= 1
    outs = [None if g is None else trace.ref(g) for g in grads]
    used = [r for r in outs if r.__class__ is int]
    for s in steps:
        used.extend(s.uses())
    # slots from first_slot on were made inside grad_fn; older ones are forward values
    captured = sorted({r for r in used if r < first_slot and r != step.out})
    late = [r for r in captured if r > step.out]
    if late:
        raise error(
            f"gpuflow.function {trace.name!r}: the grad_fn of {fn.op_name()} reads a tensor "
            "computed after the custom-gradient function returned; compute it inside that "
            "function, or run the function eagerly"
        )
    first = len(step.refs)
    step.refs = step.refs + tuple(captured)
    steps = finalize(steps, trace.io_functions, [r for r in outs if r.__class__ is int])
    fn.program = CustomBackward(steps, first_slot, captured, first, step.out, outs)
    return [None if g is None else g._data for g in grads]


def _op_step(steps, fn):
    for step in reversed(steps):
        if isinstance(step, OpStep) and step.fn is fn:
            return step
    return None


def record_programs(trace) -> None:
    """Record now the ``grad_fn`` of each custom-gradient op the trace ran (outside
    control flow) that no gradient walked yet, on a zero upstream gradient: its program
    is then part of the trace, which tf.saved_model.save stores (TensorFlow saves custom
    gradients by default; it too runs ``grad_fn`` while saving, not while tracing). A
    ``grad_fn`` that cannot be recorded is left as it was."""
    from ..autodiff.custom_gradient import _Custom

    for step in list(trace.steps):
        fn = getattr(step, "fn", None)
        if type(fn) is not _Custom or "program" in fn.__dict__:
            continue
        own_inputs = "inputs" not in fn.__dict__
        if own_inputs:  # no tape recorded the op: _gradients counts its inputs
            fn.inputs = tuple(_as_input(trace, r, fn.device) for r in step.refs)
        refs, steps = step.refs, trace.steps
        try:
            upstream = fn.device.xp.zeros(step.shape, step.dtype)
            record_custom_backward(trace, fn, upstream, fn._gradients, NotSupportedInGraphError)
        except Exception:  # noqa: BLE001 - the op keeps its Python grad_fn only
            fn.__dict__.pop("program", None)
            step.refs, trace.steps = refs, steps
        finally:
            if own_inputs:
                del fn.inputs


def _as_input(trace, ref, device):
    if ref.__class__ is int:
        t = Tensor._wrap(trace.arrays[ref], device)
        trace.unrecorded.pop(id(t._data), None)  # a slot's array, not made outside ops
        return t
    var = getattr(ref, "var", None)
    return var if var is not None else Tensor._wrap(ref.array, device)
