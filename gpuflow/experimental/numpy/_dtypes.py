"""Dtypes of ``tf.experimental.numpy``: NumPy's scalar types and NumPy's promotion.

TensorFlow's NumPy API names its dtypes by NumPy's types (``tnp.float32 is np.float32``)
and infers result dtypes with ``np.result_type``, Python floats included: a Python float
is float64 unless ``experimental_enable_numpy_behavior(prefer_float32=True)`` made it
float32. The flag lives on one config object, as TensorFlow's does (process-wide).
"""

from __future__ import annotations

import numbers

import numpy as np

from ...dtypes import DType, numpy_behavior
from ...tensor import Tensor

bool_ = np.bool_
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
float16, float32, float64 = np.float16, np.float32, np.float64
complex64, complex128 = np.complex64, np.complex128
float_, int_, complex_ = np.float64, np.int64, np.complex128
object_, string_, unicode_ = np.object_, np.bytes_, np.str_
inexact = np.inexact
e, pi, inf, newaxis = np.e, np.pi, np.inf, None
finfo, iinfo, issubdtype = np.finfo, np.iinfo, np.issubdtype


#: ``prefer_float32``: what dtype a Python float takes (float64 as in NumPy, or float32);
#: the one record of what experimental_enable_numpy_behavior switched on
config = numpy_behavior


def default_float_type():
    """float64, or float32 after ``experimental_enable_numpy_behavior(prefer_float32=True)``."""
    return np.float32 if config.prefer_float32 else np.float64


def _as_numpy_dtype(x):
    """What ``np.result_type`` should see for ``x``: a tensor's dtype, a scalar as itself."""
    if isinstance(x, Tensor):
        return x._data.dtype
    if isinstance(x, DType):
        return np.dtype(x.as_numpy_dtype)
    if isinstance(x, float) and config.prefer_float32:
        return np.float32(x)
    if isinstance(x, complex) and config.prefer_float32:
        return np.complex64(x)
    if x is float and config.prefer_float32:
        return np.float32
    if isinstance(x, str) and x in ("string", "bool"):  # TensorFlow's dtype names
        return np.dtype(object) if x == "string" else np.bool_
    return x


def _flatten(values):
    for v in values:
        if isinstance(v, (list, tuple)):
            yield from _flatten(v)
        else:
            yield v


def result_type(*arrays_and_dtypes):
    """The dtype NumPy would give an op on these arrays, dtypes and scalars (a ``np.dtype``).

    Tensors count by their dtype, Python scalars weakly (``int32`` with ``1.5`` is float64,
    ``float32`` with ``1.5`` float32), as ``tnp.result_type`` in TensorFlow.
    """
    values = [_as_numpy_dtype(x) for x in _flatten(arrays_and_dtypes)]
    if not values:
        return np.dtype(np.float64)
    for v in values:
        if not (isinstance(v, (np.dtype, np.generic, np.ndarray, numbers.Number, type, str))):
            raise TypeError(f"tnp.result_type: cannot infer a dtype from {type(v).__name__} {v!r}")
    return np.result_type(*values)


def promote_types(type1, type2):
    """NumPy's ``promote_types`` on NumPy or TensorFlow dtypes."""
    return np.promote_types(_as_numpy_dtype(type1), _as_numpy_dtype(type2))


def is_float_like(dtype) -> bool:
    return np.dtype(dtype).kind in "fc"
