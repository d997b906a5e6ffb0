"""TensorFlow's graph-building names as they behave under eager execution:
``control_dependencies``, ``group``, ``tuple``, ``init_scope``, ``inside_function``,
``guarantee_const``, ``gradients`` / ``hessians``, ``no_gradient`` and ``get_logger``.

gpuflow runs ops in program order, so control dependencies are already satisfied: the
context manager and ``group`` / ``tuple`` only check their arguments, exactly as TF 2 does
eagerly. ``tf.gradients`` and ``tf.hessians`` raise TF's own RuntimeError: use
``GradientTape`` (gpuflow has no graph mode in which they would work).
"""

from __future__ import annotations

import contextlib

from ._tracing import tracing
from .ops.shape import identity
from .tensor import Tensor

_builtin_tuple = tuple
_GRADIENTS_MESSAGE = (
    "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead."
)


@contextlib.contextmanager
def control_dependencies(control_inputs):
    """Run the block after ``control_inputs`` (a list of tensors/ops, or None): eager
    ops already ran, so it only accepts them."""
    if control_inputs is not None and not isinstance(control_inputs, (list, tuple)):
        if not (isinstance(control_inputs, Tensor) or callable(control_inputs)):
            raise TypeError(
                f"control_dependencies: control_inputs must be a list of tensors or "
                f"operations (or None), received {control_inputs!r}"
            )
    yield


def group(*inputs, **kwargs):
    """An op that waits for ``inputs``: eagerly they have all run, so it returns None."""
    unknown = set(kwargs) - {"name"}
    if unknown:
        raise TypeError(f"group: unknown keyword arguments: {', '.join(sorted(unknown))}")
    return None


def tuple(tensors, control_inputs=None, name=None) -> list:  # noqa: A001 - TensorFlow's name
    """``tensors`` as a list, after ``control_inputs`` (already run eagerly)."""
    if isinstance(tensors, (str, bytes, Tensor)) or not hasattr(tensors, "__iter__"):
        raise TypeError(f"tuple: tensors must be a list of tensors, received {tensors!r}")
    if control_inputs is not None and not isinstance(control_inputs, (list, _builtin_tuple)):
        raise TypeError(f"tuple: control_inputs must be a list, received {control_inputs!r}")
    return list(tensors)


@contextlib.contextmanager
def init_scope():
    """Run the block eagerly even while ``gpuflow.function`` traces (TF lifts it out of the
    function graph the same way): use it to create state once."""
    saved = tracing.trace
    tracing.trace = None
    try:
        yield
    finally:
        tracing.trace = saved


def guarantee_const(input, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """``input`` unchanged (``tf.identity``): TensorFlow's promise that it is a constant
    only frees its graph optimizer, and gpuflow's replay needs no such hint."""
    return identity(input)


def inside_function() -> bool:
    """Whether ``gpuflow.function`` is tracing the calling code (False when eager)."""
    return tracing.trace is not None


def gradients(
    ys,
    xs,
    grad_ys=None,
    name="gradients",
    gate_gradients=False,
    aggregation_method=None,
    stop_gradients=None,
    unconnected_gradients="none",
):
    """Symbolic gradients of ``sum(ys)`` with respect to each of ``xs`` (a list), inside
    ``gpuflow.function`` as in a TF graph; eagerly an error, as in TF 2 (use
    ``GradientTape``). ``gate_gradients`` and ``aggregation_method`` are accepted."""
    if tracing.trace is None:
        raise RuntimeError(_GRADIENTS_MESSAGE)
    from .graph.symbolic_gradients import gradients_in_trace

    return gradients_in_trace(tracing.trace, ys, xs, grad_ys, stop_gradients, unconnected_gradients)


def hessians(ys, xs, gate_gradients=False, aggregation_method=None, name="hessians"):
    """Symbolic Hessians: unavailable eagerly, as in TF 2; use nested ``GradientTape``s."""
    raise RuntimeError(_GRADIENTS_MESSAGE)


def no_gradient(op_type: str) -> None:
    """Declare that graph op type ``op_type`` has no gradient. gpuflow ops declare their
    own gradients, so this only checks the name, as TF's registry does."""
    if not isinstance(op_type, str):
        raise TypeError(f"no_gradient: op_type must be a string, received {op_type!r}")
    if not op_type:
        raise ValueError("no_gradient: op_type must not be empty")
