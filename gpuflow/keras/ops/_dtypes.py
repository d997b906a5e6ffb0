"""Keras 3's dtype rules for ``keras.ops``: names, conversion and type promotion.

``keras.ops`` promotes as JAX (and Keras) do, on a lattice of dtypes, with Python
``int`` / ``float`` as *weak* types that take the other operand's kind: ``int32 + 1.5`` is
``float32``, ``float16 + 1.5`` is ``float16``, ``int8 + uint8`` is ``int16``. Lists of Python
numbers become ``int32`` / the default float; NumPy arrays keep their dtype.
"""

from __future__ import annotations

import functools

import numpy as np

from ... import dtypes
from ...ops._convert import as_tensor
from ...ops.cast import cast as _tf_cast
from ...tensor import Tensor

_BOOL = ("bool",)
_INTS = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
_FLOATS = ("float16", "bfloat16", "float32", "float64")

# Each dtype and the dtypes directly above it ("int" and "float" are the weak Python types).
_LATTICE = {
    "bool": ("int",),
    "int": ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("float16", "bfloat16"),
    "float16": ("float32",),
    "bfloat16": ("float32",),  # as JAX / Keras: float16 with bfloat16 is float32
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds() -> dict:
    bounds = {node: {node} for node in _LATTICE}
    for node in _LATTICE:
        while True:
            grown = bounds[node].union(*(_LATTICE[b] for b in bounds[node]))
            if grown == bounds[node]:
                break
            bounds[node] = grown
    return bounds


_BOUNDS = _upper_bounds()


@functools.lru_cache(256)
def _least_upper_bound(*nodes) -> str:
    common = set.intersection(*(_BOUNDS[n] for n in nodes))
    least = (common & set(nodes)) or {c for c in common if common <= _BOUNDS[c]}
    if len(least) != 1:
        raise ValueError(
            f"keras.ops: input dtypes {nodes} have no implicit promotion path; cast the "
            "inputs to the dtype you want"
        )
    return least.pop()


def standardize_dtype(dtype) -> str:
    """The Keras name of ``dtype`` (a name, DType, NumPy dtype or Python type)."""
    if dtype is None:
        return dtypes.floatx().name
    if dtype is int:
        return "int64"
    if dtype is float:
        return "float32"
    if dtype is bool:
        return "bool"
    if isinstance(dtype, str) and dtype in _LATTICE:
        return dtype
    return dtypes.as_dtype(dtype, "keras.ops dtype").name


def _weak_or_strong(value) -> tuple[str, bool]:
    """``(dtype name, is weak)`` of an operand: Python numbers are weak."""
    if value is int or value is float:
        return ("int" if value is int else "float"), True
    if isinstance(value, (bool, np.bool_)):
        return "bool", False
    if isinstance(value, int) and not isinstance(value, np.integer):
        return "int", True
    if isinstance(value, float) and not isinstance(value, np.floating):
        return "float", True
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        return standardize_dtype(dtype), False
    return standardize_dtype(value), False


def result_type(*values) -> str:
    """The dtype of an op on ``values`` (tensors, arrays, Python numbers or dtypes) under
    Keras's promotion rules; weak Python types resolve to the default float / ``int32``."""
    if not values:
        return dtypes.floatx().name
    kinds = [_weak_or_strong(v) for v in values]
    names = tuple(sorted({k for k, _ in kinds}))
    if len(names) == 1:
        out = names[0]
    else:
        out = _least_upper_bound(*names)
    if out == "float":
        return dtypes.floatx().name
    if out == "int":
        return "int32"
    if out == "complex128":  # as Keras (aligned with JAX): complex results are 64-bit
        return "complex64"
    return out


def floating_dtype(x) -> str:
    """The dtype of a float function of ``x`` (``exp``, ``mean``): ints go to the default
    float, floats stay (Keras: ``result_type(x.dtype, float)``, int64 too)."""
    name = standardize_dtype(x.dtype)
    return name if name in _FLOATS else dtypes.floatx().name


def int64_as_float64(dtype) -> str:
    """The float dtype of ``cbrt``, ``deg2rad``, ``hypot``, ``heaviside`` in Keras: int64 goes
    to float64, the other ints (and bools) to the default float, floats stay."""
    name = standardize_dtype(dtype)
    if name == "int64":
        return "float64"
    return name if name in _FLOATS else dtypes.floatx().name


def convert_to_tensor(x, dtype=None) -> Tensor:
    """``x`` as a Tensor: Python ints ``int32``, floats the default float, NumPy arrays
    keep their dtype; ``dtype`` casts."""
    if isinstance(x, Tensor):
        t = x
    elif dtype is not None and isinstance(x, (int, float)) and not isinstance(x, bool):
        # Straight to ``dtype``: 1e300 as float64 must not pass through float32 (inf).
        return as_tensor(np.asarray(x, dtype=standardize_dtype(dtype)))
    elif isinstance(x, (list, tuple)) and x and any(isinstance(v, Tensor) for v in x):
        from ...ops.shape import stack

        t = stack([convert_to_tensor(v) for v in x])
    else:
        t = as_tensor(x)
    if dtype is not None:
        name = standardize_dtype(dtype)
        if t.dtype.name != name:
            t = _tf_cast(t, name)
    return t


def tensors(*values, dtype=None) -> list:
    """All ``values`` as tensors of their common Keras dtype (or of ``dtype``)."""
    values = [
        v if isinstance(v, (Tensor, int, float, bool, np.generic)) else convert_to_tensor(v)
        for v in values
    ]
    target = result_type(*values) if dtype is None else standardize_dtype(dtype)
    return [convert_to_tensor(v, target) for v in values]


def as_float(x) -> Tensor:
    """``x`` as a tensor in its float dtype (see :func:`floating_dtype`)."""
    t = convert_to_tensor(x)
    return convert_to_tensor(t, floating_dtype(t))
