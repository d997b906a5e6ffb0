"""``gpuflow.cond`` and ``gpuflow.while_loop``: control flow on tensor values that works
eagerly (a Python branch or loop, differentiable through the tape) and inside a trace
(both branches / the loop body are recorded once and chosen or repeated on each replay)."""

from __future__ import annotations

import numpy as np

from .. import nest
from .._deferred_error import failed_in
from .._tracing import paused, tracing
from ..autodiff.state import state as tape_state
from ..tensor import Tensor
from .cond_gradient import differentiable_cond
from .steps import _keeping_io, _TensorArg, resolve, run_steps
from .trace import NotSupportedInGraphError


def _as_tensor(value):
    from ..ops.creation import convert_to_tensor

    return value if isinstance(value, Tensor) else convert_to_tensor(value)


def _as_tensor_or_none(value):
    return None if value is None else _as_tensor(value)


def _subtrace(trace, fn, args):
    """Record ``fn(*args)`` into a separate step list, its effects recorded but not run."""
    saved_steps, saved_dry = trace.steps, trace.dry
    trace.steps, trace.dry = [], True
    try:
        out = fn(*args)
    finally:
        steps = trace.steps
        trace.steps, trace.dry = saved_steps, saved_dry
    return steps, out


def _new_slots(trace, like):
    slots = []
    for t in like:
        trace.arrays.append(None)
        trace.devices.append(t._device)
        slots.append(len(trace.arrays) - 1)
    return slots


def _run_now(trace, step, outs) -> None:
    """Run ``step`` on the trace-time arrays (the loop or branch taken while tracing)."""
    slots = list(trace.arrays)  # a copy: the arrays slots were found by stay alive
    if trace.dry:  # traced without running effects (get_concrete_function): no prints
        step = _without_effects(step)
    with paused():  # host calls run as in a replay (tf.print reads its tensors' values)
        step.run(slots)
    for slot in outs:
        trace.arrays[slot] = slots[slot]


def _without_effects(step):
    """``step`` without the host calls that only have effects (prints, assignments)."""
    from .steps import HostStep

    def keep(steps):
        return [_without_effects(s) for s in steps if not (isinstance(s, HostStep) and not s.outs)]

    if isinstance(step, CondStep):
        return CondStep(step.pred, [(keep(st), refs) for st, refs in step.branches], step.outs)
    if isinstance(step, WhileStep):
        cond_steps, cond_ref = step.cond
        body_steps, body_refs = step.body
        return WhileStep(
            step.init,
            step.places,
            (keep(cond_steps), cond_ref),
            (keep(body_steps), body_refs),
            step.limit,
            step.outs,
        )
    return step


def _outputs(trace, structure, slots, devices):
    tensors = []
    for slot, device in zip(slots, devices):
        array = trace.arrays[slot]
        if isinstance(array, np.generic):
            array = trace.arrays[slot] = np.asarray(array)
        elif trace.slot_of.get(id(array), slot) != slot:
            # a branch or loop returned a tensor from before it (``lambda: x``): the output
            # gets its own array object, so that ``x`` keeps being found by its own slot
            array = trace.arrays[slot] = array.view()
        t = Tensor._wrap(array, device)
        trace.slot_of[id(t._data)] = slot
        tensors.append(t)
    return nest.pack_sequence_as(structure, tensors, expand_composites=nest.EXTENSION_TYPES)


class CondStep:
    __slots__ = ("pred", "branches", "outs")

    def __init__(self, pred, branches, outs) -> None:
        self.pred, self.branches, self.outs = pred, branches, outs

    def run(self, slots) -> None:
        steps, refs = self.branches[0 if bool(resolve(self.pred, slots)) else 1]
        run_steps(steps, slots)
        values = [resolve(r, slots) for r in refs]
        for slot, value in zip(self.outs, values):
            slots[slot] = value

    def uses(self):
        found = [self.pred] + [r for _, refs in self.branches for r in refs]
        for steps, _ in self.branches:
            for step in steps:
                found.extend(step.uses())
        return [r for r in found if r.__class__ is int]

    def describe(self) -> str:
        return f"{', '.join(f'%{s}' for s in self.outs)} = cond({self.pred!r})"

    def sub_lines(self):
        lines = []
        for label, (steps, _) in zip(("true:", "false:"), self.branches):
            lines.append(label)
            lines.extend("  " + s.describe() for s in steps)
        return lines


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``, as ``tf.cond``.

    Eagerly (and for a predicate known while tracing) this is a Python ``if``, so gradients
    flow through the branch taken. Inside ``gpuflow.function`` with a traced predicate both
    branches are recorded and each call runs the one its predicate selects; both must
    return the same structure of tensors with the same shapes and dtypes.
    """
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("cond: true_fn and false_fn must be callables")
    if getattr(type(pred), "_symbolic_kind", None) == "v1":  # a TF 1 graph's predicate
        from ..compat.v1_control_flow import graph_cond

        return graph_cond(pred, true_fn, false_fn, name)
    trace = tracing.trace
    if trace is None or not (isinstance(pred, Tensor) and trace.is_traced(pred)):
        if isinstance(pred, Tensor) and pred.size != 1:
            raise ValueError(f"cond: pred must be a scalar, received shape {tuple(pred.shape)}")
        return true_fn() if bool(pred) else false_fn()
    if pred.size != 1:
        raise ValueError(f"cond: pred must be a scalar, received shape {tuple(pred.shape)}")
    if tape_state.recording:  # the taken branch's gradient, chosen on each replay
        return differentiable_cond(trace, pred, true_fn, false_fn, _record_cond)
    return _record_cond(trace, pred, true_fn, false_fn)[0]


def _record_cond(trace, pred, true_fn, false_fn):
    """Both branches recorded as one CondStep: ``(result, [true outputs, false outputs])``.
    A branch may return ``None`` where the other does too (``lambda: None`` for a branch
    run only for its effects, as TF allows): those places stay ``None`` in the result."""
    pred_ref = trace.ref(pred)
    taken = 0 if bool(pred._data) else 1  # the branch this call takes
    branches, structures = [], []
    for k, fn in enumerate((true_fn, false_fn)):
        if k != taken:  # traced once (its Python side effects run once, as TF's)
            failed, traced = _failed_branch(trace, fn)
            if failed is not None:  # cannot be recorded: the taken branch alone
                return _untaken_failed(trace, pred, (true_fn, false_fn)[taken], failed)
            steps, out = traced
        else:
            steps, out = _subtrace(trace, fn, ())
        out = nest.map_structure(_as_tensor_or_none, out, expand_composites=nest.EXTENSION_TYPES)
        branches.append(
            (
                steps,
                [
                    trace.ref(t)
                    for t in nest.flatten(out, expand_composites=nest.EXTENSION_TYPES)
                    if t is not None
                ],
            )
        )
        structures.append(out)
    try:
        nest.assert_same_structure(
            structures[0], structures[1], expand_composites=nest.EXTENSION_TYPES
        )
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"cond: true_fn and false_fn must return the same structure ({exc})"
        ) from None
    flat_t = nest.flatten(structures[0], expand_composites=nest.EXTENSION_TYPES)
    flat_f = nest.flatten(structures[1], expand_composites=nest.EXTENSION_TYPES)
    for a, b in zip(flat_t, flat_f):
        if (a is None) != (b is None):
            raise ValueError(
                "cond: one branch returns None where the other returns a tensor "
                f"({a!r} and {b!r}); both must return None there, or both a tensor"
            )
        if a is not None and (tuple(a.shape) != tuple(b.shape) or a.dtype != b.dtype):
            raise ValueError(
                f"cond: the branches return tensors of different shapes or dtypes "
                f"({tuple(a.shape)} {a.dtype.name} and {tuple(b.shape)} "
                f"{b.dtype.name}) inside gpuflow.function"
            )
    tensors = [t for t in flat_t if t is not None]
    outs = _new_slots(trace, tensors)
    step = CondStep(pred_ref, branches, outs)
    _run_now(trace, step, outs)  # the branch taken now, with its effects
    trace.steps.append(step)
    result = iter(_outputs(trace, tensors, outs, [t._device for t in tensors]))
    flat = [None if t is None else next(result) for t in flat_t]
    return nest.pack_sequence_as(
        structures[0], flat, expand_composites=nest.EXTENSION_TYPES
    ), structures


def _failed_branch(trace, fn):
    """``(error, None)``: the error of the op that failed while the branch ``fn``, not
    taken now, was traced (an op whose result the branch returns or uses); ``(None,
    (steps, out))`` when it traced."""
    from ..errors import OpError

    try:
        steps, out = _subtrace(trace, fn, ())
        failed = failed_in([out])
        if failed is not None:
            return object.__getattribute__(failed, "_failed_error"), None
        nest.map_structure(_as_tensor_or_none, out, expand_composites=nest.EXTENSION_TYPES)
    except OpError as exc:
        return exc, None
    return None, (steps, out)


def _untaken_failed(trace, pred, fn, error):
    """A ``cond`` whose branch not taken fails on the traced values (``tf.gather`` out of
    range where the predicate guards it): TensorFlow runs only the taken branch, so that
    error is not this call's. The taken branch ``fn`` runs; the trace cannot be replayed
    (the other branch was not recorded): the function runs eagerly for these arguments
    from the next call on, each call taking and running its own branch."""
    reason = (
        "a branch of tf.cond not taken by the traced values failed on them "
        f"({type(error).__name__}: {error}), so it could not be recorded"
    )
    if trace.dry:
        # inside a loop's body or another branch (recorded, run later on other values),
        # or traced without running (get_concrete_function): no taken branch to keep
        raise NotSupportedInGraphError(f"gpuflow.function {trace.name!r}: {reason}")
    trace.unreplayable = reason
    # the rest of this call's trace sees the predicate's branch: its ops as run now
    out = fn()
    return nest.map_structure(_as_tensor_or_none, out, expand_composites=nest.EXTENSION_TYPES), [
        out,
        out,
    ]


class WhileStep:
    __slots__ = ("init", "places", "cond", "body", "limit", "outs")

    def __init__(self, init, places, cond, body, limit, outs) -> None:
        self.init, self.places, self.cond, self.body = init, places, cond, body
        self.limit, self.outs = limit, outs

    def run(self, slots) -> None:
        for slot, ref in zip(self.places, self.init):
            slots[slot] = resolve(ref, slots)
        cond_steps, cond_ref = self.cond
        body_steps, body_refs = self.body
        count = 0
        while self.limit is None or count < self.limit:
            run_steps(cond_steps, slots)
            if not bool(resolve(cond_ref, slots)):
                break
            run_steps(body_steps, slots)
            values = [resolve(r, slots) for r in body_refs]
            for slot, value in zip(self.places, values):
                slots[slot] = value
            count += 1
        for slot, place in zip(self.outs, self.places):
            slots[slot] = slots[place]

    def uses(self):
        found = list(self.init) + [self.cond[1]] + list(self.body[1])
        for step in self.cond[0] + self.body[0]:
            found.extend(step.uses())
        return [r for r in found if r.__class__ is int]

    def describe(self) -> str:
        return f"{', '.join(f'%{s}' for s in self.outs)} = while(vars={self.places})"

    def sub_lines(self):
        return (
            ["cond:"]
            + ["  " + s.describe() for s in self.cond[0]]
            + ["body:"]
            + ["  " + s.describe() for s in self.body[0]]
        )


def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    maximum_iterations=None,
    name=None,
):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``, as ``tf.while_loop``.

    Eagerly this is a Python loop (differentiable through the tape). Inside
    ``gpuflow.function`` the condition and body are recorded once and the loop runs on
    each replay; each loop variable must keep its shape and dtype.

    Returns:
        The loop variables after the loop, in the structure of ``loop_vars``.
    """
    if not callable(cond) or not callable(body):
        raise TypeError("while_loop: cond and body must be callables")
    flat_vars = loop_vars if isinstance(loop_vars, (list, tuple)) else [loop_vars]
    if any(getattr(type(v), "_symbolic_kind", None) == "v1" for v in flat_vars):
        from ..compat.v1_control_flow import graph_while_loop  # a TF 1 graph's loop

        return graph_while_loop(cond, body, loop_vars, maximum_iterations, name)
    single = not isinstance(loop_vars, (list, tuple))
    loop_list = [loop_vars] if single else list(loop_vars)
    trace = tracing.trace
    if trace is None or tape_state.recording:
        # eagerly a Python loop; inside a trace with a tape recording, the same loop
        # unrolled into the trace (the tape differentiates it), when its trip count is
        # known while tracing
        loop_list = _python_loop(trace, cond, body, loop_list, single, maximum_iterations)
        return (
            loop_list[0]
            if single
            else type(loop_vars)(loop_list)
            if isinstance(loop_vars, tuple) and not hasattr(loop_vars, "_fields")
            else loop_list
        )
    if any(type(v).__name__ == "TensorArray" for v in nest.flatten(loop_list)):
        raise NotSupportedInGraphError(
            "gpuflow.while_loop: a TensorArray cannot be a loop variable of a while_loop on a "
            "tensor computed inside gpuflow.function; loop with `for i in range(n)` or "
            "`for i in tf.range(n)` over a known n (unrolled when traced), or run the "
            "function eagerly (gpuflow.config.run_functions_eagerly(True))"
        )
    init = nest.map_structure(_as_tensor, loop_list, expand_composites=nest.EXTENSION_TYPES)
    flat = nest.flatten(init, expand_composites=nest.EXTENSION_TYPES)
    init_refs = [trace.ref(t) for t in flat]
    placeholders, places = [], []
    for t in flat:
        p, slot = trace.input_tensor(t)
        placeholders.append(p)
        places.append(slot)
    args = nest.pack_sequence_as(init, placeholders, expand_composites=nest.EXTENSION_TYPES)
    cond_steps, c = _subtrace(trace, cond, args)
    c = _as_tensor(c)
    body_steps, out = _subtrace(trace, body, args)
    out = [out] if single else list(_check_body(out, args))
    out = nest.map_structure(_as_tensor, out, expand_composites=nest.EXTENSION_TYPES)
    flat_out = nest.flatten(out, expand_composites=nest.EXTENSION_TYPES)
    for before, after in zip(flat, flat_out):
        if tuple(before.shape) != tuple(after.shape) or before.dtype != after.dtype:
            raise ValueError(
                f"while_loop: a loop variable changed from {tuple(before.shape)} "
                f"{before.dtype.name} to {tuple(after.shape)} {after.dtype.name} "
                "inside gpuflow.function; loop variables must keep their shape "
                "and dtype"
            )
    limit = None if maximum_iterations is None else int(maximum_iterations)
    outs = _new_slots(trace, flat)
    # a gradient taken inside the body (a tape in each step) walks back through the body's
    # ops: they keep their arrays on each run
    cond_steps = _keeping_io(cond_steps, trace.io_functions)
    body_steps = _keeping_io(body_steps, trace.io_functions)
    step = WhileStep(
        init_refs,
        places,
        (cond_steps, trace.ref(c)),
        (body_steps, [trace.ref(t) for t in flat_out]),
        limit,
        outs,
    )
    _run_now(trace, step, outs)
    trace.steps.append(step)
    result = _outputs(trace, init, outs, [t._device for t in flat])
    return (
        result[0]
        if single
        else type(loop_vars)(result)
        if isinstance(loop_vars, tuple) and not hasattr(loop_vars, "_fields")
        else result
    )


def _python_loop(trace, cond, body, loop_list, single, maximum_iterations) -> list:
    """The loop run in Python; inside a trace each condition must be the same on every
    replay (a counter from constants against a constant bound), else the trip count
    depends on the call's values: gradients through that loop are not supported there."""
    count = 0
    start = loop_list
    while maximum_iterations is None or count < int(maximum_iterations):
        c = cond(*loop_list)
        if trace is not None and isinstance(c, Tensor) and trace.is_traced(c):
            if not _trace_constant(trace, c):
                raise NotSupportedInGraphError(
                    "gpuflow.while_loop: gradients through a while_loop whose condition "
                    "depends on values computed inside gpuflow.function are not supported "
                    "yet (a loop whose trip count is known when traced, as a counter against "
                    "a constant bound, is unrolled and differentiated); run the function "
                    "eagerly (gpuflow.config.run_functions_eagerly(True)), where gradients "
                    "flow through it."
                )
            if c.size != 1:
                raise ValueError(f"while_loop: cond must return a scalar, received {c.shape}")
            c = c._data.reshape(())  # a constant of the trace: read, as bool(c) eagerly
        if not bool(c):
            break
        result = body(*loop_list)
        loop_list = [result] if single else list(_check_body(result, loop_list))
        # as TF: each step's variables have the structure of loop_vars (ValueError; a
        # TypeError for a tuple become a list)
        try:
            nest.assert_same_structure(start, loop_list)
        except (ValueError, TypeError) as exc:
            raise type(exc)(
                f"while_loop: body must return loop variables with the structure of "
                f"loop_vars ({exc})"
            ) from None
        count += 1
    # Python numbers and NumPy arrays come back as tensors, as TF converts them
    return nest.map_structure(_loop_result, loop_list)


def _loop_result(value):
    return _as_tensor(value) if isinstance(value, _CONVERTED) else value


_CONVERTED = (bool, int, float, complex, str, bytes, np.ndarray, np.generic)


_PLAIN = (int, float, bool, str, type(None), np.generic)


def _trace_constant(trace, t, depth: int = 0) -> bool:
    """Whether traced ``t`` is the same on every replay: made by pure host steps (a
    comparison, ``logical_and``) from constants only, as ``i < 3`` for a counter ``i``
    counted from constants. Variables, random draws and effects are never constants."""
    from .steps import Const, HostStep

    slot = trace.slot_of.get(id(t._data))
    if slot is None or depth > 32:
        return False
    for step in reversed(trace.steps):
        if isinstance(step, HostStep) and any(out == slot for _, out in step.outs):
            break
    else:
        return False
    if step.effect:
        return False
    tensors = 0
    for leaf in step.leaves:
        if isinstance(leaf, _TensorArg):
            tensors += 1
            ref = leaf.ref
            if ref.__class__ is Const:
                continue
            if ref.__class__ is not int or not _trace_constant(
                trace, Tensor._wrap(trace.arrays[ref], leaf.device), depth + 1
            ):
                return False
        elif not isinstance(leaf, _PLAIN) and not hasattr(leaf, "as_numpy_dtype"):
            return False
    return tensors > 0


def _check_body(result, loop_vars):
    result = list(result) if isinstance(result, (list, tuple)) else [result]
    if len(result) != len(loop_vars):
        raise ValueError(
            f"while_loop: body returned {len(result)} value(s) for "
            f"{len(loop_vars)} loop variable(s)"
        )
    return result
