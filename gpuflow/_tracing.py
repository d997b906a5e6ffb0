"""The hooks ``gpuflow.function`` traces through: which trace is active, and ``host_call``.

A leaf module (imports nothing from gpuflow) so that the lowest layers (Tensor, Variable,
the autodiff ``Function``) can ask one thread-local attribute whether a trace records
them. The trace itself lives in ``gpuflow/graph/trace.py``.
"""

from __future__ import annotations

import contextlib
import functools
import threading


class _Local(threading.local):
    def __init__(self) -> None:
        #: the active ``gpuflow.graph.trace.Trace`` of this thread, or None.
        self.trace = None
        #: a host call of a trace recorded without running its effects (get_concrete_function)
        #: is running: state it keeps outside tensors (a random Generator's) stays as it was.
        self.dry_call = False
        #: how many ``tf.data`` functions (map, filter, ...) this thread is running now.
        self.data_functions = 0
        #: traces made now record ``tf.shape`` of traced tensors as a step instead of a
        #: constant (tf.saved_model.save's traces for None sizes; see symbolic_shapes)
        self.symbolic_shapes = False
        #: traces made now record each custom gradient's grad_fn as steps (tf.saved_model.save
        #: stores them; see gpuflow/graph/custom_backward.py record_programs)
        self.custom_programs = False
        #: > 0 while this thread computes a TF 1 graph's values (Session.run): ops run
        #: eagerly there although eager execution is disabled (gpuflow/compat/v1_graph.py).
        self.eager_suspended = 0

    @property
    def eager_disabled(self) -> bool:
        """``tf.compat.v1.disable_eager_execution()`` was called (in any thread: TF's switch
        is process-wide): TF 1 graph mode (gpuflow/compat/v1_graph.py), where
        ``tf.executing_eagerly()`` is False; not while this thread runs a graph."""
        return _EAGER_DISABLED[0] and not self.eager_suspended

    @eager_disabled.setter
    def eager_disabled(self, value: bool) -> None:
        _EAGER_DISABLED[0] = bool(value)


_EAGER_DISABLED = [False]  # process-wide, as TensorFlow's
tracing = _Local()


class TracingError(ValueError):
    """Something ran inside ``gpuflow.function`` that cannot be recorded and replayed."""


class NotSupportedInGraphError(TracingError, NotImplementedError):
    """Works eagerly, not yet inside ``gpuflow.function`` (a TracingError, so that a
    Trainer step compiled by default runs eagerly instead). Defined here, beside the
    trace hook, so that ops below the graph package can raise it."""


def in_tf_graph() -> bool:
    """Whether the calling code runs where TensorFlow would build a graph: inside a
    ``gpuflow.function`` trace or a ``tf.data`` function (Keras' ``in_tf_graph``, which its
    preprocessing layers read to cast their inputs to the compute dtype)."""
    return tracing.trace is not None or tracing.data_functions > 0


@contextlib.contextmanager
def data_function():
    """Mark a block as running a ``tf.data`` function (see :func:`in_tf_graph`)."""
    tracing.data_functions += 1
    try:
        yield
    finally:
        tracing.data_functions -= 1


@contextlib.contextmanager
def symbolic_shapes():
    """Traces made in this block record ``tf.shape`` (and ``tf.range`` on its values,
    reshapes to its values) as steps run on each call's sizes, as TensorFlow's graph
    does, instead of constants of the traced sizes: tf.saved_model.save traces a function
    whose steps hold its None sizes so (arithmetic on ``tf.shape(x)[1]``), to save one trace
    for every size. Such a trace refuses Python use of those values (``int(n)``)."""
    before = tracing.symbolic_shapes
    tracing.symbolic_shapes = True
    try:
        yield
    finally:
        tracing.symbolic_shapes = before


def dynamic_sizes(*values) -> bool:
    """Whether any of ``values`` is a tensor the active trace computes (a size from a
    recorded ``tf.shape``)."""
    trace = tracing.trace
    return trace is not None and any(hasattr(v, "_data") and trace.is_traced(v) for v in values)


@contextlib.contextmanager
def paused():
    """Run a block outside the active trace (nothing in it is recorded or replayed): what
    is done once, as computing a new weight's initial value on the first trace."""
    trace = tracing.trace
    tracing.trace = None
    try:
        yield
    finally:
        tracing.trace = trace


def host_call(func=None, *, effect: bool = True, dry_result=None, droppable=None, varying=None):
    """Mark a Python function that works on host values as one replayable step of a trace.

    Outside a trace the function runs as it is. Inside one it runs once (with the trace
    paused, so what it does inside is not recorded op by op) and is recorded as a single
    step: each replay calls it again with the tensors of that replay. This is how state
    kept outside tensors (optimizer slots, metric totals), variable assignments, random
    draws and ``tf.print`` stay live in a compiled function.

    Args:
        effect: the call changes state outside its result (assignments, printing). While
            a branch of ``gpuflow.cond`` / ``while_loop`` is traced without being taken,
            such calls are recorded but not run.
        dry_result: ``(args, kwargs) -> value`` returned instead of running an effect
            call there (default None).
        droppable: a compiled step may skip the call when nothing reads its result
            (default: when it has no effect; random draws pass False, since skipping one
            would change the random stream).
        varying: an axis of the (one tensor) result whose size follows the values, not the
            shapes, of the arguments (the token count of a batch of strings). A trace that
            records it is checked to hold no step that depends on that size (see
            graph/step_compare.py), else it runs eagerly (default None).
    """
    drop = (not effect) if droppable is None else bool(droppable)

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            trace = tracing.trace
            if trace is None:
                return f(*args, **kwargs)
            if varying is None:
                return trace.host_call(f, args, kwargs, effect, dry_result, drop)
            return trace.host_call(f, args, kwargs, effect, dry_result, drop, varying)

        wrapper.__gpuflow_host_call__ = f
        return wrapper

    return decorate if func is None else decorate(func)


def returns_first(args, kwargs):
    """``dry_result`` of methods that return ``self`` (Variable.assign)."""
    return args[0]
