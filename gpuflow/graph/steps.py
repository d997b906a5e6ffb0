"""The steps a trace records, and how a replay runs them (see ``trace.py``).

Where an input of a step comes from:
    int          a slot: an array produced earlier in the same replay (or an input);
    VarRef       a Variable, read when the step runs (so assignments are seen in order);
    Const        an array that existed before the trace (a constant).
"""

from __future__ import annotations

from .. import nest
from ..autodiff.backprop import backprop
from ..tensor import Tensor, Variable
from .fast_steps import BackwardPlan, _UseGeneralWalk, builder


class VarRef:
    __slots__ = ("var",)

    def __init__(self, var) -> None:
        self.var = var

    def get(self, slots):
        return self.var._data

    def __repr__(self) -> str:
        return f"var:{self.var.path}"


class Const:
    __slots__ = ("array",)

    def __init__(self, array) -> None:
        self.array = array

    def get(self, slots):
        return self.array

    def __repr__(self) -> str:
        return f"const{tuple(self.array.shape)}"


def resolve(ref, slots):
    return slots[ref] if ref.__class__ is int else ref.get(slots)


class OpStep:
    """One differentiable op: ``slots[out] = fn.forward(*inputs)``.

    ``attrs``: constructor arguments of the op that hold traced arrays (see
    ``Trace._traced_attributes``), set from this replay's slots before the op runs.
    ``keys``: the names of the op's constructor attributes (what a SavedModel stores).
    """

    __slots__ = ("fn", "refs", "out", "shape", "dtype", "attrs", "keys")

    def __init__(self, fn, refs, out, y, attrs=None, keys=None) -> None:
        self.fn, self.refs, self.out = fn, refs, out
        self.shape, self.dtype = tuple(y.shape), y.dtype
        self.attrs = attrs
        self.keys = keys

    def run(self, slots) -> None:
        if self.attrs is not None:
            self.set_attributes(slots)
        slots[self.out] = self.fn.forward(
            *[slots[r] if r.__class__ is int else r.get(slots) for r in self.refs]
        )

    def set_attributes(self, slots) -> None:
        for name, template, positions in self.attrs:
            if template is None:
                setattr(self.fn, name, slots[positions[0][1]])
                continue
            items = list(template)
            for i, slot in positions:
                items[i] = slots[slot]
            setattr(self.fn, name, type(template)(items))

    def uses(self):
        used = [r for r in self.refs if r.__class__ is int]
        for _, _, positions in self.attrs or ():
            used += [slot for _, slot in positions]
        return used

    def describe(self) -> str:
        ins = ", ".join(f"%{r}" if isinstance(r, int) else repr(r) for r in self.refs)
        return f"%{self.out} = {self.fn.op_name()}({ins}) -> {self.dtype}{list(self.shape)}"


class OpStepIO(OpStep):
    """An op a recorded gradient walks back through: it also keeps its input and output
    arrays on the op (``_xs``, ``_y``), as ``Function.__call__`` does under a tape."""

    __slots__ = ()

    def run(self, slots) -> None:
        if self.attrs is not None:
            self.set_attributes(slots)
        fn = self.fn
        fn._xs = xs = [slots[r] if r.__class__ is int else r.get(slots) for r in self.refs]
        fn._y = slots[self.out] = fn.forward(*xs)


class GradStep:
    """``tape.gradient``: the eager backward walk (``backprop`` on arrays) over the graph
    recorded while tracing, whose ops hold this replay's arrays."""

    __slots__ = ("targets", "seeds", "sources", "outs", "zero", "plan", "listen", "fused", "stop")

    def __init__(
        self, targets, seeds, sources, outs, zero, listen: bool = True, stop=frozenset()
    ) -> None:
        self.targets, self.seeds, self.sources, self.outs = targets, seeds, sources, outs
        self.zero, self.listen, self.stop = zero, listen, stop
        self.plan = BackwardPlan(targets, sources, listen, stop)
        self.fused = None  # a FusedUpdates (fused_update.py) when the next step is SGD's

    def run(self, slots) -> None:
        seeds = [resolve(r, slots) for r in self.seeds]
        fused = self.fused
        skip = fused.outs if fused is not None and fused.begin() else ()
        try:
            grads = self.plan.run(seeds)
        except _UseGeneralWalk:
            node_grads, leaf_grads = backprop(
                self.targets,
                seeds,
                sources=self.sources if self.listen else None,
                stop=self.stop,
                wanted=self.sources,
            )
            grads = [
                node_grads.get(id(s._node)) if s._node is not None else leaf_grads.get(id(s))
                for s in self.sources
            ]
        finally:
            if skip:
                fused.end()
        for i, (source, slot, g) in enumerate(zip(self.sources, self.outs, grads)):
            if slot is None or i in skip:
                continue
            if g is None:  # not reached (a zero gradient, asked for with ZERO)
                g = source._device.xp.zeros(source._data.shape, source._data.dtype)
            slots[slot] = g
        if self.plan.release:
            self.plan.free()

    def uses(self):
        return [r for r in self.seeds if r.__class__ is int]

    def describe(self) -> str:
        outs = ", ".join("None" if s is None else f"%{s}" for s in self.outs)
        names = ", ".join(s.path if isinstance(s, Variable) else "tensor" for s in self.sources)
        return f"{outs} = gradient(wrt {names})"


class _TensorArg:
    __slots__ = ("ref", "device")

    def __init__(self, ref, device) -> None:
        self.ref, self.device = ref, device


def _graph_functions(targets, stop=frozenset()) -> list:
    from ..autodiff.backprop import _topological

    return _topological(targets, stop=stop)


class HostStep:
    """One Python call (``host_call``) re-run with this replay's tensors."""

    __slots__ = ("func", "structure", "leaves", "outs", "args", "build", "effect")

    def __init__(self, func, structure, leaves, outs, effect=True) -> None:
        self.func, self.structure, self.leaves, self.outs = func, structure, leaves, outs
        self.effect = effect
        self.args = [x for x in leaves if x.__class__ is _TensorArg]
        self.build = builder(structure, lambda x: type(x) is Tensor)

    def run(self, slots) -> None:
        args, kwargs = self.build(
            [Tensor._wrap(resolve(x.ref, slots), x.device) for x in self.args]
        )
        result = self.func(*args, **kwargs)
        if self.outs:
            flat = nest.flatten(result)
            for i, slot in self.outs:
                slots[slot] = flat[i]._data

    def uses(self):
        return [x.ref for x in self.leaves if x.__class__ is _TensorArg and x.ref.__class__ is int]

    def describe(self) -> str:
        ins = ", ".join(
            f"%{x.ref}"
            if x.__class__ is _TensorArg and isinstance(x.ref, int)
            else repr(x.ref)
            if x.__class__ is _TensorArg
            else type(x).__name__
            for x in self.leaves
        )
        outs = ", ".join(f"%{s}" for _, s in self.outs)
        name = getattr(self.func, "__qualname__", repr(self.func))
        return f"{outs + ' = ' if outs else ''}host {name}({ins})"


def finalize(steps, io_functions, output_refs) -> list:
    """The steps a replay runs: ops a gradient walks through keep their arrays on the op;
    ops whose output nothing uses (model building, unused values) are dropped."""
    live = {r for r in output_refs if r.__class__ is int}
    kept = []
    walked: set = set()  # ops a later gradient step walks through
    for step in reversed(steps):
        if isinstance(step, GradStep):
            ops = {id(fn) for fn, _, _, _ in step.plan.plan}
            step.plan.release = step.plan.release and not (ops & walked)
            walked |= ops
        if (
            isinstance(step, HostStep)
            and not step.effect
            and step.outs
            and not any(slot in live for _, slot in step.outs)
        ):
            continue  # a pure host call (a comparison, an argmax) nothing reads
        branches = getattr(step, "branches", None)  # a CondStep (control_flow.py)
        if branches is not None:
            # a gradient may walk through a branch's ops (cond_gradient.py)
            step.branches = [(_keeping_io(st, io_functions), refs) for st, refs in branches]
        if isinstance(step, OpStep):
            io = id(step.fn) in io_functions
            if not io and step.out not in live:
                continue
            if io:
                step = OpStepIO(step.fn, step.refs, step.out, _Shape(step), step.attrs, step.keys)
        live.update(step.uses())
        kept.append(step)
    kept.reverse()
    return kept


def _keeping_io(steps, io_functions) -> list:
    """``steps`` with each op a gradient walks through keeping its arrays (OpStepIO)."""
    return [
        OpStepIO(s.fn, s.refs, s.out, _Shape(s), s.attrs, s.keys)
        if s.__class__ is OpStep and id(s.fn) in io_functions
        else s
        for s in steps
    ]


class _Shape:
    def __init__(self, step) -> None:
        self.shape, self.dtype = step.shape, step.dtype


def run_steps(steps, slots) -> None:
    for step in steps:
        step.run(slots)
