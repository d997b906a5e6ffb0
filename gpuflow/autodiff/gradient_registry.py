"""``tf.RegisterGradient`` and ``Graph.gradient_override_map``: a gradient function
registered under a name replaces the gradient of the ops whose type the override map
sends to that name, for the ops run inside the ``with`` block.

As TensorFlow: ``@tf.RegisterGradient("Name")`` registers ``fn(op, grad)`` (``op.inputs``,
``op.outputs``, ``op.type``; it returns one gradient per input, None for none) and a name
registers once (KeyError). gpuflow's ops know their own gradients, so a registration
only acts through an override map (``tf.compat.v1.get_default_graph()
.gradient_override_map({"Square": "Name"})``), which TensorFlow honours inside
``tf.function``; gpuflow honours it for every op the block runs.
"""

from __future__ import annotations

import contextlib
import threading

_REGISTRY: dict = {}


class _Overrides(threading.local):
    """The op type -> registered name maps active in this thread (innermost last)."""

    def __init__(self) -> None:
        self.active: dict = {}


overrides = _Overrides()


class RegisterGradient:
    """Decorator registering ``fn(op, grad)`` as the gradient named ``op_type``.

    Raises:
        TypeError: ``op_type`` is not a string.
        KeyError: a gradient is already registered under ``op_type``.
    """

    def __init__(self, op_type) -> None:
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        previous = _REGISTRY.get(self._op_type)
        if previous is not None:
            where = f"{getattr(previous, '__module__', '?')}.{getattr(previous, '__name__', '?')}"
            raise KeyError(
                f"Registering two gradient with name '{self._op_type}'! "
                f"(Previous registration was in {where})"
            )
        if not callable(fn):
            raise TypeError(
                f"RegisterGradient({self._op_type!r}): expected a function, received {fn!r}"
            )
        _REGISTRY[self._op_type] = fn
        return fn


def get_gradient_function(name: str):
    """The function registered under ``name`` (LookupError if none)."""
    found = _REGISTRY.get(name)
    if found is None:
        raise LookupError(f"No gradient defined for operation type {name!r}")
    return found


@contextlib.contextmanager
def gradient_override_map(op_type_map):
    """Within the block, ops of type ``key`` take the gradient registered as ``value``."""
    if not isinstance(op_type_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in op_type_map.items()
    ):
        raise TypeError("op_type_map must be a dictionary mapping strings to strings")
    saved = overrides.active
    overrides.active = {**saved, **op_type_map}
    try:
        yield
    finally:
        overrides.active = saved


class OpView:
    """What a registered gradient function sees of the op: TensorFlow's ``op.inputs``,
    ``op.outputs``, ``op.type`` and ``op.name``."""

    def __init__(self, fn, out) -> None:
        self.inputs = list(fn.inputs)
        self.outputs = [out]
        self.type = fn.op_name()
        self.name = self.type

    def get_attr(self, name):
        raise ValueError(f"Operation {self.type!r} has no attr named {name!r} in gpuflow")


def override_backward(fn, out, name: str) -> None:
    """Make ``fn`` (a recorded op) differentiate through the gradient named ``name``."""
    grad_fn = _REGISTRY.get(name)
    if grad_fn is None:
        raise LookupError(
            f"gradient_override_map: no gradient registered as {name!r} (for op "
            f"{fn.op_name()}); register one with @tf.RegisterGradient({name!r})"
        )
    view = OpView(fn, out)

    def backward(F, g):
        from ..tensor import Tensor

        upstream = g if F.tensors else Tensor._wrap(g, fn.device)
        grads = grad_fn(view, upstream)
        grads = [grads] if isinstance(grads, Tensor) or grads is None else list(grads)
        if len(grads) != len(fn.inputs):
            raise ValueError(
                f"gradient {name!r} for op {fn.op_name()} returned {len(grads)} gradients for "
                f"{len(fn.inputs)} inputs"
            )
        result = []
        for grad, x in zip(grads, fn.inputs):
            if grad is not None and not isinstance(grad, Tensor):
                grad = Tensor(grad, device=x._device, dtype=x.dtype)
            result.append(grad if grad is None or F.tensors else grad._data)
        return tuple(result)

    fn.backward = backward
    fn._array_backward = False
