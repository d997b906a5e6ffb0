"""A ``gpuflow.function`` called while a GradientTape records: replayed, not re-run.

TensorFlow traces the function once and replays its graph under the tape too (the Python
body, its ``print``, run only while tracing). Here the signature is traced once more for
tape calls, with an inner tape watching its inputs and the Variables it reads, so that
the recorded ops keep their backward links; every op a gradient walks through keeps this
replay's input and output arrays on itself (``OpStepIO``). Each replay then puts one op
per differentiable output on the caller's tape (:class:`_Replayed`), whose backward
walks the trace's graph on the arrays of that replay (saved with the op, since a later
replay overwrites them): the gradients are eager's, and a Dropout mask or random draw is
the one the forward pass used.

That trace is not counted (and prints nothing) when the signature was traced already
for calls without a tape, nor the other way round. As TensorFlow's function call op, an
input or captured Variable that an output does not depend on gets a zero gradient.

What cannot take this path runs the body eagerly, as before: two tapes recording at
once or a persistent one (a second derivative may follow), a Keras StatelessScope, a
body that computes a gradient itself or whose trace fails or cannot be replayed (a
tf.py_function, ragged values), an op the walk needs inside control flow or a custom
gradient (a cond's among them: its ``grad_fn`` is recorded only by a walk while
tracing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from .. import nest
from ..autodiff.backprop import backprop
from ..autodiff.custom_gradient import _Custom
from ..autodiff.function import Function
from ..autodiff.state import is_tracked, state
from ..tensor import Tensor, Variable
from .steps import OpStepIO, _graph_functions

EAGER = object()  # the call must run the Python body eagerly


class _TapedTrace:
    """A trace made for tape calls: the ConcreteFunction, the trace-time tensors the
    gradient walk starts from (per output leaf, None where no gradient flows) and ends at
    (the input placeholders, the Variables read), and the ops it walks through."""

    __slots__ = ("concrete", "targets", "placeholders", "variables", "functions")

    def __init__(self, concrete, targets, placeholders, variables, functions) -> None:
        self.concrete, self.targets = concrete, targets
        self.placeholders, self.variables = placeholders, variables
        self.functions = functions


class _Replayed(Function):
    """One output of a replay, as one op on the caller's tape: its inputs are the call's
    tensors and the Variables the trace reads; its backward walks the trace's graph."""

    # the walk runs on arrays: a second derivative through it raises an error naming it
    twice_differentiable = False

    def __init__(self, name: str, taped: _TapedTrace, target, saved, result) -> None:
        self.name, self.taped, self.target = name, taped, target
        self.saved, self.result = saved, result

    def op_name(self) -> str:  # noqa: D102 - errors name the user's function
        return f"function({self.name})"

    def forward(self, *xs):
        return self.result

    def backward(self, F, g):
        for fn, attributes in self.saved:  # this replay's arrays, back on the ops
            fn.__dict__.update(attributes)
        taped = self.taped
        sources = taped.placeholders + taped.variables
        _, leaf_grads = backprop([self.target], [g], wanted=sources)
        # as TensorFlow's function call op: a float input or Variable the output does not
        # depend on gets a zero gradient, not None
        return tuple(
            leaf_grads.get(id(s))
            if id(s) in leaf_grads or s.dtype.kind not in "fc"
            else self.xp.zeros(s._data.shape, s._data.dtype)
            for s in sources
        )


def call_under_tape(function, args, kwargs, helpers):
    """``function(*args, **kwargs)`` replayed with its outputs on the recording tape, or
    :data:`EAGER` when the body must run eagerly instead. ``helpers``: function.py's
    ``release``, ``silent_print`` and ``spec_or_value`` (passed, not imported: no cycle)."""
    recording = [t for t in state.tapes if t._recording]
    if len(recording) != 1 or recording[0]._persistent or state.substitutes is not None:
        # another tape, or a persistent one (whose gradient taken inside its block it may
        # differentiate again), may need a second derivative: the body runs eagerly
        return EAGER
    args, kwargs = function._canonical(args, kwargs)
    key, relaxed, arrays = function._key(args, kwargs)
    taped_traces = function.__dict__.setdefault("_taped", {})
    taped = taped_traces.get(key)
    if taped is None:
        if key in function._eager_keys:
            return EAGER
        taped = taped_traces[key] = _trace(function, args, kwargs, key, relaxed, helpers)
    if taped is EAGER:
        return EAGER
    inputs: list = []
    _tensor_leaves((args, kwargs), inputs)
    if len(inputs) != len(arrays):
        return EAGER
    concrete = taped.concrete
    concrete._buffers = None  # each replay's arrays are its own: a gradient reads them later
    outputs = concrete._replay(arrays)
    sources = inputs + taped.variables
    if not any(is_tracked(t) for t in sources):
        return outputs
    saved = [(fn, dict(fn.__dict__)) for fn in taped.functions]
    flat = nest.flatten(outputs, expand_composites=True)
    for i, (leaf, target) in enumerate(zip(flat, taped.targets)):
        if target is None or not isinstance(leaf, Tensor):
            continue
        node = _Replayed(function._name, taped, target, saved, leaf._data)
        flat[i] = node(*sources)
    if len(flat) == 1 and flat[0] is not outputs and isinstance(outputs, Tensor):
        return flat[0]
    return nest.pack_sequence_as(outputs, flat, expand_composites=True)


def _trace(function, args, kwargs, key, relaxed, helpers):
    """The tape trace of this signature (counted as a trace unless the signature was
    traced before), or EAGER where the body must run eagerly for it."""
    _release = helpers.release

    internal = relaxed in function._signatures
    if not internal:
        function._signatures.add(relaxed)
        function._tracing_count += 1
    static = function._static_shapes(args, kwargs, relaxed)
    for attempt in range(2):
        try:
            recorded = _record(function, args, kwargs, static, internal, helpers)
        except Exception:  # noqa: BLE001 - the eager run raises the body's own errors
            # a host call that gives no value in a trace recorded without running its
            # effects (tf.py_function), or an op that cannot be recorded
            return EAGER
        trace = recorded[0]
        if not trace.created_variables and not trace.optimizer_variables:
            break
        _release(trace)  # as TensorFlow: a trace that made Variables is made once more
        if not internal:
            function._tracing_count += 1
    else:
        return EAGER
    trace, input_slots, outputs, placeholders = recorded
    if trace.unreplayable is not None or trace.varying:
        _release(trace)
        return EAGER
    if hasattr(type(outputs), "__gpuflow_replay__"):
        _release(trace)
        return EAGER
    flat = nest.flatten(outputs, expand_composites=True)
    targets = [
        t
        if isinstance(t, Tensor) and not isinstance(t, Variable) and t.dtype.kind in "fc"
        else None
        for t in flat
    ]
    walked = [t for t in targets if t is not None and t._node is not None]
    functions = _graph_functions(walked) if walked else []
    for fn in functions:
        trace.io_functions[id(fn)] = fn
    variables = [v for v, _ in trace.variables.values() if v._trainable]
    from .concrete import ConcreteFunction

    signature = nest.map_structure(
        helpers.spec_or_value, (args, kwargs), expand_composites=nest.EXTENSION_TYPES
    )
    concrete = ConcreteFunction(function, trace, input_slots, outputs, signature)
    trace.forget_internal_readers(outputs)
    _release(trace)
    kept = {id(s.fn) for s in concrete._steps if s.__class__ is OpStepIO}
    if any(id(fn) not in kept or isinstance(fn, _Custom) for fn in functions):
        # an op the walk needs is replayed inside control flow (its arrays would be the
        # trace's, not this call's), or is a custom gradient (a cond's among them) whose
        # grad_fn a trace records only when it walks through it
        return EAGER
    return _TapedTrace(concrete, targets, placeholders, variables, functions)


def _record(function, args, kwargs, static, silent: bool, helpers):
    """The body recorded (without running its effects) with an inner tape watching the
    input placeholders and the Variables read; the caller's tapes record none of it."""
    from ..autodiff.tape import GradientTape

    placeholders: list = []

    def watch(t) -> None:
        placeholders.append(t)
        if t.dtype.kind in "fc":
            inner.watch(t)

    with contextlib.ExitStack() as stack:
        for tape in [t for t in state.tapes if t._recording]:
            stack.enter_context(tape.stop_recording())
        inner = stack.enter_context(GradientTape(persistent=True))
        stack.enter_context(helpers.silent_print(silent))
        trace, input_slots, outputs = function._record(
            args, kwargs, dry=True, static=static or None, watch=watch
        )
    return trace, input_slots, outputs, placeholders


def _tensor_leaves(value, out: list) -> None:
    """The tensor arguments (not Variables) in the order ``_key_of`` takes their arrays."""
    if isinstance(value, Variable):
        return
    if isinstance(value, Tensor):
        out.append(value)
        return
    if isinstance(value, Mapping):
        for k in sorted(value):
            _tensor_leaves(value[k], out)
        return
    if hasattr(type(value), "_gpuflow_key"):
        value._gpuflow_key(lambda v: _tensor_leaves(v, out))
        return
    if isinstance(value, (list, tuple)):
        for v in value:
            _tensor_leaves(v, out)
