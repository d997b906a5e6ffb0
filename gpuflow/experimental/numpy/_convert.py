"""``tnp.asarray`` and the dtype rules every ``tnp`` function applies to its inputs."""

from __future__ import annotations

import numpy as np

from ...dtypes import DType
from ...ops.cast import cast
from ...ops.creation import constant
from ...tensor import Tensor, Variable
from . import _dtypes


def _numpy_dtype(dtype, where: str):
    """``dtype`` (NumPy type, ``np.dtype``, TensorFlow DType, Python type or name) as a
    ``np.dtype``; Python ``float`` follows ``prefer_float32``."""
    if isinstance(dtype, DType):
        return np.dtype(dtype.as_numpy_dtype)
    if dtype is float:
        return np.dtype(_dtypes.default_float_type())
    try:
        return np.dtype(_dtypes._as_numpy_dtype(dtype))
    except TypeError:
        raise TypeError(f"{where}: expected a dtype, received {dtype!r}") from None


def infer_dtype(value):
    """The dtype ``tnp.asarray(value)`` gives: NumPy's, with Python floats as the default
    float type (float64 unless ``prefer_float32``)."""
    if isinstance(value, Tensor):
        return value._data.dtype
    if isinstance(value, (np.ndarray, np.generic)):
        return value.dtype
    if isinstance(value, (list, tuple)) and not value:
        return np.dtype(_dtypes.default_float_type())
    if isinstance(value, str):
        return np.dtype(object)
    return _dtypes.result_type(value)


def asarray(a, dtype=None) -> Tensor:
    """``a`` as a tensor (the tensor itself when it already is one of ``dtype``)."""
    if isinstance(a, Variable):
        a = a.read_value()
    target = None if dtype is None else _numpy_dtype(dtype, "tnp.asarray")
    if isinstance(a, Tensor):
        return a if target is None or a._data.dtype == target else cast(a, target)
    if target is None:
        target = infer_dtype(a)
    if target.kind == "O" or (isinstance(a, (list, tuple)) and _has_strings(a)):
        return constant(a)
    if _has_tensors(a):  # stacked as tensors, so that a traced function replays them
        from ...ops.shape import stack

        return stack([asarray(v, target) for v in a])
    try:
        values = np.asarray(a, dtype=target)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"tnp.asarray: cannot convert {type(a).__name__} to an array ({exc})")
    return constant(values)


def _has_tensors(a) -> bool:
    return isinstance(a, (list, tuple)) and any(isinstance(v, Tensor) or _has_tensors(v) for v in a)


def _has_strings(a) -> bool:
    return any(
        isinstance(v, (str, bytes)) or (isinstance(v, (list, tuple)) and _has_strings(v)) for v in a
    )


def promote_all(values, float_result: bool = False) -> list[Tensor]:
    """``values`` as tensors of their NumPy result dtype (the default float type where
    ``float_result`` and that dtype is integer or bool)."""
    dtype = _dtypes.result_type(*[v if not _is_sequence(v) else infer_dtype(v) for v in values])
    if float_result and dtype.kind not in "fc":
        dtype = np.dtype(_dtypes.default_float_type())
    return [asarray(v, dtype) for v in values]


def _is_sequence(v) -> bool:
    return isinstance(v, (list, tuple, np.ndarray))


def as_float(x) -> Tensor:
    """``x`` as a tensor, integers and bools cast to the default float type."""
    t = asarray(x)
    if t.dtype.kind not in "fc":
        t = cast(t, _dtypes.default_float_type())
    return t
