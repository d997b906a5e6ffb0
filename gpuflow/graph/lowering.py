"""A trace's steps written out as one generated Python function: the replay without its
interpreter.

``run_steps`` walks a list of step objects: each op step resolves its inputs through
references, and a gradient step walks its backward plan through a dict keyed by graph
node. :func:`lower` writes the same work out once per trace as straight-line Python:
each op's ``forward`` is called on its inputs directly, the backward walk is unrolled
with each gradient in a local variable, and the steps without a lowering of their own
(host calls, control flow, ``apply_gradients``) run as their objects do. A gradient step
whose replay needs the general walk (a debugging check hook, a gradient-ready listener)
runs as its object too, so the result is the interpreter's in every case.

The source is kept on the function (``replay.source``) for reading and debugging.
"""

from __future__ import annotations

import keyword

from ..autodiff.state import state
from .steps import Const, GradStep, OpStep, OpStepIO, VarRef


class _Names:
    """The generated function's globals: each captured object under a short name."""

    def __init__(self) -> None:
        self.values: dict = {"_state": state, "_zeros": _zeros}
        self._ids: dict = {}

    def __call__(self, value, prefix: str = "c") -> str:
        name = self._ids.get(id(value))
        if name is None:
            name = f"{prefix}{len(self.values)}"
            self.values[name] = value
            self._ids[id(value)] = name
        return name


def _zeros(source):
    """A zero gradient for a source the walk did not reach (``GradStep``'s ZERO case)."""
    return source._device.xp.zeros(source._data.shape, source._data.dtype)


def lower(steps: list):
    """``run(slots)``: ``run_steps(steps, slots)`` as one generated function."""
    names = _Names()
    body: list[str] = []
    for step in steps:
        kind = step.__class__
        if kind is OpStep or kind is OpStepIO:
            _op(step, kind is OpStepIO, names, body)
        elif kind is GradStep:
            _gradient(step, names, body)
        else:
            body.append(f"{names(step, 's')}.run(slots)")
    source = "def replay(slots):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    scope = dict(names.values)
    exec(compile(source, "<gpuflow lowered replay>", "exec"), scope)
    replay = scope["replay"]
    replay.source = source
    return replay


def _ref(ref, names) -> str:
    if ref.__class__ is int:
        return f"slots[{ref}]"
    if ref.__class__ is VarRef:
        return f"{names(ref.var, 'v')}._data"
    if ref.__class__ is Const:
        return names(ref.array, "k")
    return f"{names(ref, 'r')}.get(slots)"


def _op(step, keeps_io: bool, names, body: list) -> None:
    if step.attrs is not None:
        body.append(f"{names(step, 's')}.set_attributes(slots)")
    args = ", ".join(_ref(r, names) for r in step.refs)
    forward = names(step.fn.forward, "f")
    if not keeps_io:
        body.append(f"slots[{step.out}] = {forward}({args})")
        return
    fn = names(step.fn, "o")
    body.append(f"{fn}._xs = xs = [{args}]")
    body.append(f"{fn}._y = slots[{step.out}] = {forward}(*xs)")


def _gradient(step, names, body: list) -> None:
    """The unrolled ``BackwardPlan`` walk, guarded: where this replay needs the general
    walk (a check hook; a gradient-ready listener for a listening step) the step runs as
    its object does."""
    plan = step.plan
    guard = "_state.check_hook is None"
    if plan.sources is not None:
        guard += " and _state.gradient_listener is None"
    body.append(f"if not ({guard}):")
    body.append(f"    {names(step, 's')}.run(slots)")
    body.append("else:")
    inner: list[str] = []
    local: dict = {}  # gradient key -> local variable name

    def var(key) -> str:
        name = local.get(key)
        if name is None:
            name = local[key] = f"g{len(local)}"
        return name

    for key in plan.target_keys:
        var(key)
    for _, key, _, ins in plan.plan:
        var(key)
        for into in ins:
            if into is not None:
                var(into[0])
    for key in plan.source_keys:
        var(key)
    inner.extend(f"{name} = None" for name in local.values())
    for key, seed in zip(plan.target_keys, step.seeds):
        g = local[key]
        inner.append(f"s = {_ref(seed, names)}")
        inner.append(f"{g} = s if {g} is None else {g} + s")
    fused = step.fused
    walk: list[str] = []
    for fn, key, F, ins in plan.plan:
        walk.append(f"gy = {local[key]}")
        walk.append("if gy is not None:")
        backward = names(fn.backward, "b")
        call = f"{backward}(gy)" if F is None else f"{backward}({names(F, 'a')}, gy)"
        walk.append(f"    r = {call}")
        for j, into in enumerate(ins):
            if into is None:
                continue
            g, dtype = local[into[0]], names(into[1], "d")
            walk.append(f"    gx = r[{j}] if len(r) > {j} else None")
            walk.append("    if gx is not None:")
            walk.append(f"        if gx.dtype != {dtype}:")
            walk.append(f"            gx = gx.astype({dtype})")
            walk.append(f"        {g} = gx if {g} is None else {g} + gx")
    if fused is None:
        inner.extend(walk)
    else:
        f = names(fused, "u")
        inner.append(f"skip = {f}.begin()")
        inner.append("try:")
        inner.extend("    " + line for line in walk or ["pass"])
        inner.append("finally:")
        inner.append("    if skip:")
        inner.append(f"        {f}.end()")
    for i, (source, slot, key) in enumerate(zip(step.sources, step.outs, plan.source_keys)):
        if slot is None:
            continue
        g = local[key]
        value = f"{g} if {g} is not None else _zeros({names(source, 'v')})"
        if fused is not None and i in fused.outs:
            inner.append(f"if not skip: slots[{slot}] = {value}")
        else:
            inner.append(f"slots[{slot}] = {value}")
    if plan.release:
        for fn, attributes in plan.saved:
            o = names(fn, "o")
            inner.append(f"{o}._xs = None")
            for name in attributes:
                if name.isidentifier() and not keyword.iskeyword(name):
                    inner.append(f"{o}.{name} = None")
                else:
                    inner.append(f"setattr({o}, {name!r}, None)")
    body.extend("    " + line for line in inner)
