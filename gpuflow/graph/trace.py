"""Trace: the device-level steps a Python function ran, recorded once; replayed per call.

While a trace is active (``gpuflow._tracing.tracing.trace``), every autodiff ``Function``
that runs is recorded as a step (the op object with its constructor attributes, where its
inputs come from, which slot its output fills), and every ``host_call`` (variable
assignment, optimizer update, metric update, random draw, ``tf.print``) as one Python
call. ``tape.gradient`` is recorded as one step that runs the eager backward walk (on
arrays) over the graph recorded while tracing; the ops it walks through keep this replay's
input and output arrays on themselves, as under a tape. Replaying a trace runs the steps on
new input arrays: no Python function body, no layer dispatch, no tape, no new ``Function``
objects.

Where an input of a step comes from:
    int          a slot: an array produced earlier in the same replay (or an input);
    VarRef       a Variable, read when the step runs (so assignments are seen in order);
    Const        an array that existed before the trace (a constant).
"""
from __future__ import annotations

import sys

import numpy as np

from .. import nest
from .._tracing import tracing
from ..autodiff.backprop import backprop
from ..autodiff.state import state as tape_state
from ..tensor import Tensor, Variable
from .fast_steps import ApplyStep, BackwardPlan, _UseGeneralWalk, builder


class OperatorNotAllowedInGraphError(TypeError):
    """A traced tensor was used where its value is needed in Python (as TensorFlow's)."""


class TracingError(ValueError):
    """Something ran inside ``gpuflow.function`` that cannot be recorded and replayed."""


# Modules whose Tensor._wrap calls make constants (not computed from traced values).
_CONSTANT_MODULES = frozenset({"gpuflow.ops.creation", "gpuflow.ops._common",
                               "gpuflow.autodiff.function", "gpuflow.autodiff.tape",
                               "gpuflow.graph.trace", "gpuflow.graph.control_flow"})


class VarRef:
    __slots__ = ("var",)

    def __init__(self, var) -> None:
        self.var = var

    def get(self, slots):
        return self.var._data

    def __repr__(self) -> str:
        return f"var:{self.var.name}"


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
    """One differentiable op: ``slots[out] = fn.forward(*inputs)``."""

    __slots__ = ("fn", "refs", "out", "shape", "dtype")

    def __init__(self, fn, refs, out, y) -> None:
        self.fn, self.refs, self.out = fn, refs, out
        self.shape, self.dtype = tuple(y.shape), y.dtype

    def run(self, slots) -> None:
        slots[self.out] = self.fn.forward(*[slots[r] if r.__class__ is int else r.get(slots)
                                            for r in self.refs])

    def uses(self):
        return [r for r in self.refs if r.__class__ is int]

    def describe(self) -> str:
        ins = ", ".join(f"%{r}" if isinstance(r, int) else repr(r) for r in self.refs)
        return f"%{self.out} = {self.fn.op_name()}({ins}) -> {self.dtype}{list(self.shape)}"


class OpStepIO(OpStep):
    """An op a recorded gradient walks back through: it also keeps its input and output
    arrays on the op (``_xs``, ``_y``), as ``Function.__call__`` does under a tape."""

    __slots__ = ()

    def run(self, slots) -> None:
        fn = self.fn
        fn._xs = xs = [slots[r] if r.__class__ is int else r.get(slots) for r in self.refs]
        fn._y = slots[self.out] = fn.forward(*xs)


class GradStep:
    """``tape.gradient``: the eager backward walk (``backprop`` on arrays) over the graph
    recorded while tracing, whose ops hold this replay's arrays."""

    __slots__ = ("targets", "seeds", "sources", "outs", "zero", "plan")

    def __init__(self, targets, seeds, sources, outs, zero) -> None:
        self.targets, self.seeds, self.sources, self.outs = targets, seeds, sources, outs
        self.zero = zero
        self.plan = BackwardPlan(targets, sources)

    def run(self, slots) -> None:
        seeds = [resolve(r, slots) for r in self.seeds]
        try:
            grads = self.plan.run(seeds)
        except _UseGeneralWalk:
            node_grads, leaf_grads = backprop(self.targets, seeds)
            grads = [node_grads.get(id(s._node)) if s._node is not None
                     else leaf_grads.get(id(s)) for s in self.sources]
        for source, slot, g in zip(self.sources, self.outs, grads):
            if slot is None:
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
        names = ", ".join(s.name if isinstance(s, Variable) else "tensor" for s in self.sources)
        return f"{outs} = gradient(wrt {names})"

class _TensorArg:
    __slots__ = ("ref", "device")

    def __init__(self, ref, device) -> None:
        self.ref, self.device = ref, device


def _graph_functions(targets) -> list:
    from ..autodiff.backprop import _topological

    return _topological(targets)


class HostStep:
    """One Python call (``host_call``) re-run with this replay's tensors."""

    __slots__ = ("func", "structure", "leaves", "outs", "args", "build", "effect")

    def __init__(self, func, structure, leaves, outs, effect=True) -> None:
        self.func, self.structure, self.leaves, self.outs = func, structure, leaves, outs
        self.effect = effect
        self.args = [x for x in leaves if x.__class__ is _TensorArg]
        self.build = builder(structure, lambda x: type(x) is Tensor)

    def run(self, slots) -> None:
        args, kwargs = self.build([Tensor._wrap(resolve(x.ref, slots), x.device)
                                   for x in self.args])
        result = self.func(*args, **kwargs)
        if self.outs:
            flat = nest.flatten(result)
            for i, slot in self.outs:
                slots[slot] = flat[i]._data

    def uses(self):
        return [x.ref for x in self.leaves if x.__class__ is _TensorArg and x.ref.__class__ is int]

    def describe(self) -> str:
        ins = ", ".join(f"%{x.ref}" if x.__class__ is _TensorArg and isinstance(x.ref, int)
                        else repr(x.ref) if x.__class__ is _TensorArg else type(x).__name__
                        for x in self.leaves)
        outs = ", ".join(f"%{s}" for _, s in self.outs)
        name = getattr(self.func, "__qualname__", repr(self.func))
        return f"{outs + ' = ' if outs else ''}host {name}({ins})"


def _apply_step(trace, args) -> ApplyStep:
    optimizer, pairs = args[0], args[1]
    refs, variables, dtypes = [], [], []
    for grad, var in pairs:
        if grad is None:
            continue
        array, _ = optimizer._checked_pair((grad, var))
        refs.append(trace.ref(grad) if isinstance(grad, Tensor) else Const(array))
        variables.append(var)
        dtypes.append(array.dtype)
    return ApplyStep(optimizer, refs, variables, dtypes)


def _is_iterator(value) -> bool:
    return hasattr(value, "__next__") and not isinstance(value, (Tensor, str, bytes))


class Trace:
    """Records steps while active; shared by nested control-flow sub-traces."""

    def __init__(self, function_name: str, dry: bool = False) -> None:
        self.name = function_name
        self.steps: list = []
        self.slot_of: dict[int, int] = {}
        self.arrays: list = []       # every slot's array at trace time (keeps ids unique)
        self.devices: list = []
        self.unrecorded: dict[int, str] = {}
        self.keep: list = []
        self.created_variables: list = []
        self.io_functions: set = set()  # ids of ops a recorded gradient walks through
        self.dry = dry                # effects are recorded, not run (untaken cond branch)

    # -- slots and references ----------------------------------------------------------
    def new_slot(self, tensor) -> int:
        if isinstance(tensor._data, np.generic):
            # NumPy scalars can be shared objects (np.True_): give each slot its own array,
            # since slots are found by the identity of their array.
            tensor._data = np.asarray(tensor._data)
        slot = len(self.arrays)
        self.arrays.append(tensor._data)
        self.devices.append(tensor._device)
        self.slot_of[id(tensor._data)] = slot
        return slot

    def input_tensor(self, tensor) -> tuple[Tensor, int]:
        """A fresh tensor standing for a function input, and its slot."""
        t = Tensor._wrap(tensor._data.view(), tensor._device)
        return t, self.new_slot(t)

    def ref(self, t):
        if isinstance(t, Variable):
            return VarRef(t)
        a = t._data
        slot = self.slot_of.get(id(a))
        if slot is not None:
            return slot
        origin = self.unrecorded.get(id(a))
        if origin is not None:
            raise TracingError(
                f"gpuflow.function {self.name!r}: a tensor was computed by {origin}, which "
                "works on arrays outside the recorded operations, so a compiled call could not "
                "recompute it. Run this function eagerly (gpuflow.config.run_functions_eagerly"
                "(True), or drop the @gpuflow.function decorator).")
        self.keep.append(a)
        return Const(a)

    def is_traced(self, t) -> bool:
        return isinstance(t, Variable) or id(t._data) in self.slot_of \
            or id(t._data) in self.unrecorded

    # -- what the hooks call -------------------------------------------------------------
    def record_op(self, fn, inputs, arrays, y, out) -> None:
        """Called by ``Function.__call__`` after the op ran."""
        refs = tuple([self.ref(t) for t in inputs])
        slot = self.new_slot(out)
        self.steps.append(OpStep(fn, refs, slot, y))

    def gradient(self, targets, seeds, sources, record, zero) -> list:
        """``tape.gradient`` inside a trace: computed now, recorded as one GradStep."""
        if record:
            raise TracingError(
                f"gpuflow.function {self.name!r}: a gradient recorded by an outer tape (second "
                "derivatives, gradient penalties) is not supported inside gpuflow.function yet; "
                "run this function eagerly.")
        seed_refs = []
        for seed, target in zip(seeds, targets):
            slot = self.slot_of.get(id(seed))
            if slot is None:  # ones / one-hot seeds of a fixed shape: constants
                self.keep.append(seed)
                seed_refs.append(Const(seed))
            else:
                seed_refs.append(slot)
        for fn in _graph_functions(targets):
            self.io_functions.add(id(fn))
        node_grads, leaf_grads = backprop(targets, seeds)
        out, slots = [], []
        for source in sources:
            g = node_grads.get(id(source._node)) if source._node is not None \
                else leaf_grads.get(id(source))
            if g is None and not zero:
                out.append(None)
                slots.append(None)
                continue
            if g is None:
                g = source._device.xp.zeros(source._data.shape, source._data.dtype)
            t = Tensor._wrap(g, source._device)
            slots.append(self.new_slot(t))
            out.append(t)
        self.steps.append(GradStep(list(targets), seed_refs, list(sources), slots, zero))
        return out

    def host_call(self, func, args, kwargs, effect, dry_result, droppable=False):
        args = tuple(list(a) if _is_iterator(a) else a for a in args)
        structure = (args, kwargs)
        leaves = [_TensorArg(self.ref(x), x._device) if type(x) is Tensor else x
                  for x in nest.flatten(structure)]
        if self.dry and effect:
            result = dry_result(args, kwargs) if dry_result is not None else None
        else:
            tracing.trace = None
            try:
                result = func(*args, **kwargs)
            finally:
                tracing.trace = self
        outs = [(i, self.new_slot(x)) for i, x in enumerate(nest.flatten(result))
                if type(x) is Tensor]
        if getattr(func, "__qualname__", "") == "Optimizer.apply_gradients" and not kwargs:
            self.steps.append(_apply_step(self, args))
        else:
            self.steps.append(HostStep(func, structure, leaves, outs, not droppable))
        return result

    def host_read(self, t, what: str) -> None:
        """``bool(t)``, ``t.numpy()`` ...: refused for traced values."""
        if not self.is_traced(t):
            return
        if what == "bool":
            raise OperatorNotAllowedInGraphError(
                f"Using a gpuflow.Tensor as a Python `bool` is not allowed inside "
                f"gpuflow.function {self.name!r}: the branch would be fixed when the function is "
                "traced. Use gpuflow.cond(pred, true_fn, false_fn) for `if` and "
                "gpuflow.while_loop(cond, body, loop_vars) for `while` on tensor values.")
        raise OperatorNotAllowedInGraphError(
            f"Tensor.{what}() is not available inside gpuflow.function {self.name!r}: the value "
            "is only known when the compiled step runs. Return the tensor from the function, "
            "print it with gpuflow.print, or use gpuflow.cond / gpuflow.while_loop for "
            "control flow on tensor values.")

    def variable_created(self, var) -> None:
        self.created_variables.append(var)

    # -- recording scope ----------------------------------------------------------------
    def __enter__(self) -> "Trace":
        self._previous = tracing.trace
        tracing.trace = self
        self._patch = _wrap_patch(self)
        return self

    def __exit__(self, *exc) -> None:
        tracing.trace = self._previous
        Tensor._wrap = self._patch


def _wrap_patch(trace):
    """Swap ``Tensor._wrap`` for one that notes where tensors were made outside ops."""
    original = Tensor.__dict__["_wrap"]
    raw = original.__func__

    def _wrap(cls, array, device):
        t = raw(cls, array, device)
        current = tracing.trace
        if current is not None:
            frame = sys._getframe(1)
            module = frame.f_globals.get("__name__", "")
            if module not in _CONSTANT_MODULES:
                current.unrecorded[id(array)] = f"{module}.{frame.f_code.co_name}"
                current.keep.append(array)
        return t

    Tensor._wrap = classmethod(_wrap)
    return original


def finalize(steps, io_functions, output_refs) -> list:
    """The steps a replay runs: ops a gradient walks through keep their arrays on the op;
    ops whose output nothing uses (model building, unused values) are dropped."""
    live = {r for r in output_refs if r.__class__ is int}
    kept = []
    walked: set = set()  # ops a later gradient step walks through
    for step in reversed(steps):
        if isinstance(step, GradStep):
            ops = {id(fn) for fn, _, _, _ in step.plan.plan}
            step.plan.release = not (ops & walked)
            walked |= ops
        if isinstance(step, HostStep) and not step.effect and step.outs \
                and not any(slot in live for _, slot in step.outs):
            continue  # a pure host call (a comparison, an argmax) nothing reads
        if isinstance(step, OpStep):
            io = id(step.fn) in io_functions
            if not io and step.out not in live:
                continue
            if io:
                step = OpStepIO(step.fn, step.refs, step.out, _Shape(step))
        live.update(step.uses())
        kept.append(step)
    kept.reverse()
    return kept


class _Shape:
    def __init__(self, step) -> None:
        self.shape, self.dtype = step.shape, step.dtype


def run_steps(steps, slots) -> None:
    for step in steps:
        step.run(slots)


def needs_tape_fallback() -> bool:
    """A tape outside the function records: run the body eagerly so gradients flow."""
    return tape_state.recording
