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

The step classes and the replay loop are in ``steps.py``.
"""

from __future__ import annotations

import sys

import numpy as np

from .. import nest
from .._tracing import NotSupportedInGraphError, TracingError, tracing
from ..autodiff.backprop import backprop
from ..autodiff.state import state as tape_state
from ..errors import OperatorNotAllowedInGraphError
from ..tensor import Tensor, Variable
from .custom_backward import record_custom_backward
from .fast_steps import ApplyStep
from .out_of_scope import Made
from .steps import Const, GradStep, HostStep, OpStep, VarRef, _graph_functions, _TensorArg

# Modules whose Tensor._wrap calls make constants (not computed from traced values).
_CONSTANT_MODULES = frozenset(
    {
        "gpuflow.ops.creation",
        "gpuflow.ops._common",
        "gpuflow.autodiff.function",
        "gpuflow.autodiff.tape",
        "gpuflow.graph.trace",
        "gpuflow.graph.control_flow",
        "gpuflow.graph.symbolic_gradients",  # wraps of recorded slots and constants
        # tf.shape, tf.size, tf.rank, tf.shape_n: a trace's shapes are fixed (a new shape
        # is a new trace), so the values these make from shapes are constants of the trace
        "gpuflow.ops.shape",
    }
)


# Arguments a host call on constants may take and still be folded into a constant.
_PLAIN_VALUES = (int, float, bool, str, bytes, type(None), np.generic, np.ndarray)

# Attributes Function.__call__ and the tape set on an op: not constructor arguments.
_OP_STATE = frozenset({"inputs", "needs_grad", "_xs", "_y", "device", "xp"})


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


def _optimizer_slots(func, args):
    """The slot dict of the optimizer whose ``apply_gradients`` ``func`` is, else None."""
    if not args or getattr(func, "__name__", "") != "apply_gradients":
        return None
    slots = getattr(args[0], "_slots", None)
    return slots if isinstance(slots, dict) else None


def _is_iterator(value) -> bool:
    return hasattr(value, "__next__") and not isinstance(value, (Tensor, str, bytes))


class Trace:
    """Records steps while active; shared by nested control-flow sub-traces."""

    # An op on constants only becomes a constant of the trace; a graph built with
    # ``tf.Graph().as_default()`` records it as an operation instead (graph_view.py).
    fold_constants = True

    def __init__(self, function_name: str, dry: bool = False) -> None:
        self.name = function_name
        self.steps: list = []
        self.slot_of: dict[int, int] = {}
        self.owners: set = set()  # ids of the arrays owning the slots' memory (views' bases)
        self.variables: dict = {}  # id -> (Variable an op read, its array's owner's id)
        self.arrays: list = []  # every slot's array at trace time (keeps ids unique)
        self.devices: list = []
        self.unrecorded: dict[int, str] = {}
        self.keep: list = []
        # ops folded into constants, in order, as OpSteps whose ``out`` is the id of the
        # result's array: tf.gradients recomputes them when xs is one of those constants
        self.folded: list = []
        self.created_variables: list = []
        # ops a recorded gradient walks through, by id; the dict keeps each op alive, so
        # that an op of a dropped sub-trace cannot free its id for a later op to reuse
        self.io_functions: dict = {}
        self.dry = dry  # effects are recorded, not run (untaken cond branch)
        # tf.shape of a traced tensor is a step, not a constant (tracing.symbolic_shapes)
        self.symbolic_shapes = tracing.symbolic_shapes
        self.read_sizes = False  # tf.shape of a traced tensor became a constant
        self.keep_arrays = 0  # > 0 while a custom gradient's backward is recorded
        # id(input tensor) -> (the tensor, its static shape with None sizes): what ``x.shape``
        # shows inside the trace for inputs declared with unknown sizes
        self.static_shapes: dict = {}
        self.input_names: dict = {}  # input slot -> its name in the graph ("x", "x_1")
        self.optimizer_variables = 0  # slots an optimizer's first apply made while tracing
        # why this trace cannot be replayed, though it ran (a failed untaken cond branch)
        self.unreplayable: str | None = None
        # host results whose size along an axis follows their arguments' values (the token
        # count of strings): [(slot, axis)]; step_compare.py checks the steps do not hold it
        self.varying: list = []
        self.widen = 0  # > 0: such results get this many more entries (the second record)
        self.made = Made()  # its tensors, out of scope once the function is traced

    # -- slots and references ----------------------------------------------------------
    def new_slot(self, tensor) -> int:
        if isinstance(tensor._data, np.generic):
            # NumPy scalars can be shared objects (np.True_): give each slot its own array,
            # since slots are found by the identity of their array.
            tensor._data = np.asarray(tensor._data)
        slot = len(self.arrays)
        self.made.note(tensor)
        self.arrays.append(tensor._data)
        self.devices.append(tensor._device)
        self.slot_of[id(tensor._data)] = slot
        self.owners.add(id(_owner(tensor._data)))
        return slot

    def input_tensor(self, tensor) -> tuple[Tensor, int]:
        """A fresh tensor standing for a function input, and its slot."""
        t = Tensor._wrap(tensor._data.view(), tensor._device)
        return t, self.new_slot(t)

    def ref(self, t):
        if isinstance(t, Variable):
            self.variables.setdefault(id(t), (t, id(_owner(t._data))))
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
                "(True), or drop the @gpuflow.function decorator)."
            )
        self.keep.append(a)
        return Const(a)

    def is_traced(self, t) -> bool:
        return (
            isinstance(t, Variable) or id(t._data) in self.slot_of or id(t._data) in self.unrecorded
        )

    # -- what the hooks call -------------------------------------------------------------
    def record_op(self, fn, inputs, built, y, out) -> None:
        """Called by ``Function.__call__`` after the op ran; ``built``: the op's attributes
        before it ran (its constructor's arguments)."""
        refs = tuple([self.ref(t) for t in inputs])
        attrs = self._traced_attributes(fn, built)
        if (
            self.fold_constants
            and attrs is None
            and out._node is None
            and all(r.__class__ is Const for r in refs)
        ):
            # Made from constants only, and no gradient flows through it (``tf.shape(x)[0]``,
            # arithmetic on Python numbers): a constant of this trace, usable as a Python
            # value (``int(batch)``) as it would be eagerly.
            self.keep.append(out._data)
            keys = tuple([k for k in built if k not in _OP_STATE])
            self.folded.append(OpStep(fn, refs, id(out._data), y, None, keys))
            return
        slot = self.new_slot(out)
        keys = tuple([k for k in built if k not in _OP_STATE])
        self.steps.append(OpStep(fn, refs, slot, y, attrs, keys))

    def _traced_attributes(self, fn, built: dict) -> tuple | None:
        """The op's constructor arguments that hold traced arrays (the indices of a gather
        taken from an input): ``(name, template, [(position, slot), ...])`` each, set from
        this replay's arrays before the op runs. An array derived from a traced one outside
        the recorded ops (a view, a column) could not be recomputed: a TracingError."""
        found = []
        for name, value in built.items():
            if name in _OP_STATE:
                continue
            items = value if value.__class__ in (tuple, list) else (value,)
            positions = []
            for i, item in enumerate(items):
                if not hasattr(item, "__array_interface__") and not hasattr(
                    item, "__cuda_array_interface__"
                ):
                    continue
                slot = self.slot_of.get(id(item))
                if slot is not None:
                    positions.append((i, slot))
                elif self._derived_from_traced(item):
                    raise TracingError(
                        f"gpuflow.function {self.name!r}: {fn.op_name()} was built with an "
                        f"array ({name}) derived from a traced tensor outside the recorded "
                        "operations, so a compiled call could not recompute it. Run this "
                        "function eagerly (gpuflow.config.run_functions_eagerly(True), or "
                        "drop the @gpuflow.function decorator)."
                    )
            if positions:
                template = value if value.__class__ in (tuple, list) else None
                found.append((name, template, positions))
        return tuple(found) or None

    def _derived_from_traced(self, array) -> bool:
        """Made from a traced value without a recorded op: a tensor made outside the ops,
        or a view of (memory shared with) a traced array."""
        return id(array) in self.unrecorded or id(_owner(array)) in self.owners

    def gradient(
        self, targets, seeds, sources, record, zero, listen=False, stop_at_sources=False
    ) -> list:
        """``tape.gradient`` inside a trace: computed now, recorded as one GradStep.

        ``listen``: tell the gradient-ready listener (``autodiff/state.py``), now and in
        each replay (``tape.gradient`` does; jacobians do not). ``stop_at_sources``: the
        walk does not go past the sources (each gets only the paths that end at it)."""
        if record:
            # works eagerly: tf.function and a Trainer step run this signature eagerly
            raise NotSupportedInGraphError(
                f"gpuflow.function {self.name!r}: a gradient recorded by an outer tape (second "
                "derivatives, gradient penalties, nested custom gradients) is not supported "
                "inside gpuflow.function yet; it runs eagerly."
            )
        seed_refs = []
        for seed, target in zip(seeds, targets):
            slot = self.slot_of.get(id(seed))
            if slot is None:  # ones / one-hot seeds of a fixed shape: constants
                self.keep.append(seed)
                seed_refs.append(Const(seed))
            else:
                seed_refs.append(slot)
        stop = frozenset(id(s) for s in sources) if stop_at_sources else frozenset()
        for fn in _graph_functions(targets, stop):
            self.io_functions[id(fn)] = fn
        node_grads, leaf_grads = backprop(
            targets, seeds, sources=sources if listen else None, stop=stop, wanted=sources
        )
        out, slots = [], []
        for source in sources:
            g = (
                node_grads.get(id(source._node))
                if source._node is not None
                else leaf_grads.get(id(source))
            )
            if g is None and not zero:
                out.append(None)
                slots.append(None)
                continue
            if g is None:
                g = source._device.xp.zeros(source._data.shape, source._data.dtype)
            elif id(g) in self.slot_of:
                # the walk passed an existing slot's array through (the seed): the
                # gradient's slot gets its own array object, so that one stays found
                g = g.view()
            t = Tensor._wrap(g, source._device)
            slots.append(self.new_slot(t))
            out.append(t)
        step = GradStep(list(targets), seed_refs, list(sources), slots, zero, listen, stop)
        if self.keep_arrays:  # inside a custom gradient's program (custom_backward.py)
            step.plan.release = False
        self.steps.append(step)
        return out

    def custom_backward(self, fn, upstream, gradients) -> list:
        """A custom gradient's ``grad_fn`` met by a trace-time gradient walk: recorded as
        the op's own backward program (see ``custom_backward.py``)."""
        return record_custom_backward(self, fn, upstream, gradients, NotSupportedInGraphError)

    def host_call(self, func, args, kwargs, effect, dry_result, droppable=False, varying=None):
        args = tuple(list(a) if _is_iterator(a) else a for a in args)
        structure = (args, kwargs)
        leaves = [
            _TensorArg(self.ref(x), x._device) if type(x) is Tensor else x
            for x in nest.flatten(structure)
        ]
        if self._foldable(effect, droppable, leaves):
            # A pure call on constants only (``tf.shape(x)[1] // 2``): a constant of this
            # trace, usable as a Python value, as record_op folds an op on constants.
            tracing.trace = None
            try:
                result = func(*args, **kwargs)
            finally:
                tracing.trace = self
            self.keep.extend(x._data for x in nest.flatten(result) if type(x) is Tensor)
            return result
        if self.dry and effect:
            result = dry_result(args, kwargs) if dry_result is not None else None
        else:
            slots = _optimizer_slots(func, args)
            before = None if slots is None else len(slots)
            tracing.trace = None
            dry_call, tracing.dry_call = tracing.dry_call, self.dry
            try:
                result = func(*args, **kwargs)
            finally:
                tracing.trace = self
                tracing.dry_call = dry_call
            if before is not None and len(slots) > before:
                # the optimizer's first apply made its slot variables here (Keras 3 builds
                # them as tf.Variables): the function must not trace such a step again
                self.optimizer_variables += len(slots) - before
        if varying is not None and type(result) is Tensor:
            result = self._varying_result(result, varying)
        outs = [
            (i, self.new_slot(x)) for i, x in enumerate(nest.flatten(result)) if type(x) is Tensor
        ]
        if varying is not None and type(result) is Tensor:
            self.varying.append((outs[0][1], varying))
        if getattr(func, "__qualname__", "") == "Optimizer.apply_gradients" and not kwargs:
            self.steps.append(_apply_step(self, args))
        else:
            self.steps.append(HostStep(func, structure, leaves, outs, not droppable))
        return result

    def _varying_result(self, result, axis: int):
        """A host result whose size along ``axis`` follows the values of the call: that
        size shows as None in ``x.shape`` (as TensorFlow's static shape); in the second
        record of the body (``widen``) the result is ``widen`` zeros longer there."""
        data = result._data
        axis = axis % data.ndim
        if self.widen:
            xp = result._device.xp
            pad = list(data.shape)
            pad[axis] = self.widen
            data = xp.concatenate([data, xp.zeros(tuple(pad), data.dtype)], axis=axis)
            result = Tensor._wrap(data, result._device)
        static = list(data.shape)
        static[axis] = None
        self.static_shapes[id(result)] = (result, tuple(static))
        return result

    def _foldable(self, effect, droppable, leaves) -> bool:
        """A host call without effects on constant tensors and plain Python values only."""
        return (
            self.fold_constants
            and not effect
            and droppable
            and all(
                x.ref.__class__ is Const
                if x.__class__ is _TensorArg
                else isinstance(x, _PLAIN_VALUES)
                for x in leaves
            )
        )

    def host_read(self, t, what: str) -> None:
        """``bool(t)``, ``t.numpy()`` ...: refused for traced values."""
        if not self.is_traced(t):
            return
        if what == "bool":
            raise OperatorNotAllowedInGraphError(
                f"Using a gpuflow.Tensor as a Python `bool` is not allowed inside "
                f"gpuflow.function {self.name!r}: the branch would be fixed when the function is "
                "traced. Use gpuflow.cond(pred, true_fn, false_fn) for `if` and "
                "gpuflow.while_loop(cond, body, loop_vars) for `while` on tensor values."
            )
        raise OperatorNotAllowedInGraphError(
            f"Tensor.{what}() is not available inside gpuflow.function {self.name!r}: the value "
            "is only known when the compiled step runs. Return the tensor from the function, "
            "print it with gpuflow.print, or use gpuflow.cond / gpuflow.while_loop for "
            "control flow on tensor values."
        )

    def forget_internal_readers(self, outputs) -> None:
        """Let the optimizer update the variables this trace read in place again.

        Each op that read a variable while tracing noted its output as a reader (see
        ``Variable._update_buffer``), and the recorded graph keeps those tensors alive, so
        every later update would copy. The replay's own arrays never outlive their step,
        so only readers that may share the variable's memory (views of it) or that the
        function returned are kept; a variable with such a reader keeps copying.
        """
        returned = {id(t) for t in nest.flatten(outputs) if isinstance(t, Tensor)}
        for var, owner in self.variables.values():
            kept = []
            for r in var._readers:
                t = r()
                if t is None:
                    continue
                if id(t) in returned or id(_owner(t._data)) == owner:
                    kept = None  # a view or a result: keep every reader
                    break
                if id(t._data) not in self.slot_of:
                    kept.append(r)  # made outside this trace
            if kept is not None:
                var._readers[:] = kept

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


def _owner(array):
    """The array that owns ``array``'s memory (itself unless it is a view)."""
    base = getattr(array, "base", None)
    while base is not None and getattr(base, "base", None) is not None:
        base = base.base
    return array if base is None else base


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


def needs_tape_fallback() -> bool:
    """A tape outside the function records: run the body eagerly so gradients flow."""
    return tape_state.recording
