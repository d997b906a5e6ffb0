"""``tf.py_function`` and ``tf.numpy_function``: call a Python function on tensor values.

Eagerly the function is simply called (``py_function`` with tensors, so a GradientTape
records the ops inside it; ``numpy_function`` with NumPy arrays, no gradient). Inside
``gpuflow.function`` the call is one host step: each call of the compiled function calls
the Python function again with that call's values (no gradient flows through it there).

An exception raised by the function becomes TensorFlow's error for it:
ValueError/TypeError -> InvalidArgumentError, StopIteration -> OutOfRangeError,
NotImplementedError -> UnimplementedError, MemoryError -> ResourceExhaustedError, any
other -> UnknownError (the original chained as ``__cause__``).
"""

from __future__ import annotations

import functools

import numpy as np

from . import dtypes, errors
from ._tracing import host_call, in_tf_graph
from .tensor import Tensor

_ERRORS = (
    ((ValueError, TypeError), errors.InvalidArgumentError),
    ((StopIteration,), errors.OutOfRangeError),
    ((NotImplementedError,), errors.UnimplementedError),
    ((MemoryError,), errors.ResourceExhaustedError),
)


def as_op_error(exc: Exception, op: str) -> errors.OpError:
    """TensorFlow's error for an exception raised by Python code that ``op`` ran (a
    py_function, a from_generator generator); an OpError is kept as it is."""
    if isinstance(exc, errors.OpError):
        return exc
    kind = next((cls for types, cls in _ERRORS if isinstance(exc, types)), errors.UnknownError)
    return kind(None, op, f"{op}: {type(exc).__name__}: {exc}")


def _call(func, args, op: str):
    try:
        return func(*args)
    except errors.OpError:
        raise
    except Exception as exc:  # noqa: BLE001 (re-raised as TensorFlow's error class)
        raise as_op_error(exc, op) from exc


def _outputs(result, Tout, op: str, cast_numbers: bool):
    """``result`` as tensors in the structure ``Tout`` asks for (one dtype or a list)."""
    from .ops.creation import convert_to_tensor

    def convert(value, dtype):
        if isinstance(value, Tensor):
            if value.dtype != dtype:
                raise errors.InvalidArgumentError(
                    None,
                    op,
                    f"{op}: the function returned a tensor of dtype {value.dtype.name} "
                    f"where Tout is {dtypes.as_dtype(dtype).name}",
                )
            return value
        if not cast_numbers and hasattr(value, "dtype"):
            return convert_to_tensor(np.asarray(value))
        return convert_to_tensor(value, dtype=dtype)

    if isinstance(Tout, (list, tuple)):
        if not Tout:
            return []
        values = list(result) if isinstance(result, (list, tuple)) else [result]
        if len(values) != len(Tout):
            raise errors.InvalidArgumentError(
                None,
                op,
                f"{op}: the function returned {len(values)} values where Tout lists "
                f"{len(Tout)} dtypes",
            )
        return [convert(v, t) for v, t in zip(values, Tout)]
    if isinstance(result, (list, tuple)) and len(result) == 1:
        result = result[0]
    return convert(result, Tout)


def _converted(result, Tout, op: str, cast_numbers: bool):
    """:func:`_outputs`, a value that does not convert to ``Tout`` raising TensorFlow's
    class for it (InvalidArgumentError for ``1.5`` where Tout is int64)."""
    try:
        return _outputs(result, Tout, op, cast_numbers)
    except errors.OpError:
        raise
    except Exception as exc:  # noqa: BLE001 (re-raised as TensorFlow's error class)
        raise as_op_error(exc, op) from exc


@host_call(effect=True)
def _py_function_call(func, inp, Tout):
    result = _call(func, list(inp), "py_function")
    return _converted(result, Tout, "py_function", cast_numbers=True)


@host_call(effect=True)
def _numpy_function_call(func, inp, Tout):
    # as TensorFlow: each tensor's numpy() (a NumPy scalar for a rank-0 tensor)
    arrays = [x.numpy() if isinstance(x, Tensor) else np.asarray(x) for x in inp]
    result = _call(func, arrays, "numpy_function")
    return _converted(result, Tout, "numpy_function", cast_numbers=False)


def _decorator(name: str, run, Tout):
    if Tout is None:
        raise TypeError(
            f"{name}: Missing required argument: 'Tout'. If using tf.{name} as a decorator, set "
            f"`Tout` by name above the function: `@tf.{name}(Tout=tout)`"
        )

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args):
            return run(func, list(args), Tout)

        return wrapper

    return decorate


def _check_callable(op: str, func) -> None:
    if not callable(func):
        raise TypeError(f"{op}: func must be a callable, received {type(func).__name__}")


def _inputs(inp):
    from .ops.creation import convert_to_tensor

    if inp is None:
        return []
    items = inp if isinstance(inp, (list, tuple)) else [inp]
    return [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in items]


def _in_v1_graph(inp) -> bool:
    """Whether a TF 1 graph is being built (tf.compat.v1 graph mode) or a graph tensor is
    among ``inp``: the call is then a node run by Session.run."""
    items = [] if inp is None else inp if isinstance(inp, (list, tuple)) else [inp]
    if any(getattr(type(x), "_symbolic_kind", None) == "v1" for x in items):
        return True
    from .compat.v1_graph import graph_mode

    return graph_mode()


def py_function(func=None, inp=None, Tout=None, name=None):
    """``func(*inp)`` called with tensors; its result as tensors of ``Tout``.

    Args:
        func: a Python function of tensors (None: return a decorator).
        inp: the input tensors (a list).
        Tout: a dtype (the result is one tensor) or a list of dtypes (a list of tensors;
            an empty list for a function that returns nothing).

    Returns:
        A tensor or a list of tensors. Python numbers the function returns take ``Tout``;
        a tensor of another dtype is an InvalidArgumentError.
    """
    if func is None:
        return _decorator("py_function", py_function, Tout)
    if Tout is None:
        return _decorator("py_function", py_function, Tout)
    _check_callable("py_function", func)
    if _in_v1_graph(inp):
        from .compat.v1_pyfunc import graph_py_call

        return graph_py_call(py_function, func, inp, Tout, name, "EagerPyFunc")
    return _py_function_call(func, _inputs(inp), Tout)


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):
    """``func(*arrays)`` called with the inputs as NumPy arrays; the result as tensors.

    As TensorFlow run eagerly, arrays the function returns keep their own dtype (Python
    numbers take ``Tout``). No gradient flows through it.
    """
    if func is None or Tout is None:
        return _decorator("numpy_function", numpy_function, Tout)
    _check_callable("numpy_function", func)
    if _in_v1_graph(inp):
        from .compat.v1_pyfunc import graph_py_call

        return graph_py_call(numpy_function, func, inp, Tout, name, "PyFunc")
    if not in_tf_graph():
        # eagerly TensorFlow passes NumPy arrays (rank 0 too), Python numbers as NumPy
        # makes them (1.0 -> float64); in a graph, rank-0 values come as NumPy scalars
        items = [] if inp is None else inp if isinstance(inp, (list, tuple)) else [inp]
        arrays = [np.asarray(x.numpy() if isinstance(x, Tensor) else x) for x in items]
        result = _call(func, arrays, "numpy_function")
        return _converted(result, Tout, "numpy_function", cast_numbers=False)
    return _numpy_function_call(func, _inputs(inp), Tout)
