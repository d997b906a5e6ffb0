"""TF's op dispatch for symbolic tensors: ``tf.concat([a, b], 1)`` on KerasTensors builds a layer.

``install(namespace)`` wraps each op of a public namespace (``gpuflow``, ``gpuflow.math``,
``gpuflow.nn``) so that a call with a KerasTensor among its arguments returns the output of
an auto-wrapped ``TFOpLambda`` layer, as TensorFlow's Keras does; any other call goes
straight to the op. Nothing here imports the layers until such a call happens.
"""

from __future__ import annotations

import functools
import importlib
import sys

import numpy as np

from . import _api_dispatch, _deferred_error
from ._tracing import tracing


def _symbolic(value):
    """The kind of symbolic tensor in ``value`` (``"keras"`` for a KerasTensor, ``"v1"``
    for a TF 1 graph tensor, looked for in lists, tuples and dicts), else None."""
    kind = getattr(type(value), "_symbolic_kind", None)
    if kind is not None:
        return kind
    if isinstance(value, (list, tuple)):
        for v in value:
            kind = _symbolic(v)
            if kind is not None:
                return kind
    elif isinstance(value, dict):
        for v in value.values():
            kind = _symbolic(v)
            if kind is not None:
                return kind
    return None


def _dispatching(fn, module: str, name: str):
    @functools.wraps(fn)
    def op(*args, **kwargs):
        kind = _symbolic(args) or (kwargs and _symbolic(kwargs))
        if kind == "v1":  # a TF 1 graph (tf.compat.v1.placeholder): recorded, run later
            from .compat.v1_record import record

            return record(fn, args, kwargs, name)
        if kind:
            from .layers.op_lambda import TFOpLambda

            return TFOpLambda(module, name)(*args, **kwargs)
        if _api_dispatch.active():  # tf.experimental.dispatch_for_api registrations
            target = _api_dispatch.find(fn, name, args, kwargs)
            if target is not None:
                return target(*args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            tracing_now = tracing.trace is not None
            failed = _deferred_error.failed_in([*args, *kwargs.values()]) if tracing_now else None
            plain = isinstance(exc, (TypeError, ValueError, AttributeError, IndexError))
            if plain and failed is None:
                from .ragged import dispatch as ragged

                if ragged.has_ragged(args, kwargs):  # TF's ragged dispatch (elementwise)
                    return ragged.call(fn, name, args, kwargs, exc)
                from .sparse import dispatch as sparse

                out = sparse.call(fn, name, args, kwargs)  # unary ops keeping zeros zero
                if out is not NotImplemented:
                    return out
            if tracing_now and stateless:
                deferred = _defer_in_trace(exc, failed)
                if deferred is not None:
                    return deferred
            if (
                plain
                and _raw_error(exc)
                and (_text(args) or any(_text(v, top=True) for v in kwargs.values()))
            ):
                raise _no_string_kernel(name) from None
            raise

    # TensorFlow runs a function's stateful ops (asserts, variable updates) even when
    # nothing uses their results: their errors are never deferred (_deferred_error.py)
    stateless = module not in _STATEFUL_MODULES and not name.startswith(("assert", "check"))
    op.__wrapped_op__ = fn
    return op


_STATEFUL_MODULES = frozenset({"checks", "variable_ops", "control_flow"})


def _defer_in_trace(exc, failed):
    """A FailedResult standing in for the result of an op that failed while tracing
    (``exc``, or the error of ``failed``, a FailedResult among its arguments), when the
    user's code called it (gpuflow's own code sees its errors as they happen); None to
    raise ``exc`` now."""
    from .errors import OpError

    if failed is not None:
        error = object.__getattribute__(failed, "_failed_error")  # a failed input's error
    elif isinstance(exc, OpError):
        error = exc
    else:
        return None
    caller = sys._getframe(2).f_globals.get("__name__", "")
    if caller == "gpuflow" or caller.startswith("gpuflow."):
        if failed is not None:
            raise error
        return None
    return _deferred_error.FailedResult(error)


def _text(value, top: bool = False) -> bool:
    """Whether ``value`` holds text: a str/bytes, a tf.string tensor, a NumPy array of
    strings, or lists/dicts of them. With ``top``, a lone str does not count: keyword
    arguments given as strings are options (``device="tpu"``, ``padding="SAME"``), and
    their errors are the op's own."""
    if isinstance(value, (str, bytes)):
        return not top
    data = getattr(value, "_data", value)
    if getattr(data, "dtype", None) is _OBJECT or getattr(
        getattr(data, "dtype", None), "kind", ""
    ) in ("U", "S"):
        return True
    if isinstance(value, (list, tuple)):
        return any(_text(v) for v in value)
    if isinstance(value, dict):
        return any(_text(v) for v in value.values())
    return False


def _raw_error(exc: Exception) -> bool:
    """An error NumPy raised (gpuflow's own messages start with ``"op_name: "``)."""
    head, colon, _ = str(exc).partition(":")
    return not colon or " " in head.strip() or "'" in head


def _no_string_kernel(name: str) -> Exception:
    from .errors import InvalidArgumentError

    return InvalidArgumentError(
        None,
        name,
        f"{name}: string arguments are not supported (dtype string is not in the op's list "
        "of allowed dtypes); the tf.strings ops work on text",
    )


_OBJECT = np.dtype(object)

# One wrapper per op, shared by every namespace and alias (`gf.math.matmul is gf.matmul`).
_WRAPPERS: dict = {}


def v1_aware(fn):
    """``fn`` (a function outside ``gpuflow.ops``, such as ``stop_gradient``) recorded as a
    TF 1 graph op when a graph tensor (tf.compat.v1.placeholder) is among its arguments."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if _symbolic(args) == "v1" or (kwargs and _symbolic(kwargs) == "v1"):
            from .compat.v1_record import record

            return record(fn, args, kwargs, fn.__name__)
        return fn(*args, **kwargs)

    return call


def install(namespace: dict) -> None:
    """Wrap, in ``namespace``, every function defined in a ``gpuflow.ops`` module."""
    for key, fn in list(namespace.items()):
        if key.startswith("_") or not callable(fn) or isinstance(fn, type):
            continue
        if hasattr(fn, "__wrapped_op__"):
            continue
        owner = getattr(fn, "__module__", "") or ""
        if not owner.startswith("gpuflow.ops.") or owner == "gpuflow.ops.operators":
            continue
        module = owner[len("gpuflow.ops.") :]
        name = getattr(fn, "__name__", key)
        # Saved configs name the op by module and function: only ops reachable that way.
        if getattr(importlib.import_module(owner), name, None) is not fn:
            continue
        if fn not in _WRAPPERS:
            _WRAPPERS[fn] = _dispatching(fn, module, name)
        namespace[key] = _WRAPPERS[fn]
