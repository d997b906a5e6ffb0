"""``gpuflow.sets`` (``tf.sets``): set operations along the last dimension of dense tensors
or SparseTensors. Each row (all but the last index) holds a set; results are SparseTensors
with each row's elements sorted, the last dimension as wide as the largest result set
(as TensorFlow). ``size`` counts each row's distinct elements."""

from __future__ import annotations

import numpy as np

from .errors import invalid_argument
from .ops._common import as_tensor
from .sparse import SparseTensor
from .tensor import Tensor

_KINDS = "iuO"


def _rows(value, op, name):
    """``(row shape, {row index tuple: list of values}, numpy dtype)`` of a set operand."""
    if isinstance(value, SparseTensor):
        idx = value.indices.numpy()
        vals = value.values.numpy()
        shape = [int(n) for n in value.shape]
        if len(shape) < 2:
            raise invalid_argument(op, f"{name} must have rank >= 2, received shape {shape}")
        rows: dict = {}
        order = np.lexsort(idx.T[::-1]) if idx.size else np.zeros(0, int)
        for i in order:
            rows.setdefault(tuple(int(v) for v in idx[i, :-1]), []).append(vals[i])
        return shape[:-1], rows, vals.dtype
    t = as_tensor(value)
    data = t.numpy()
    if data.ndim < 2:
        raise invalid_argument(op, f"{name} must have rank >= 2, received shape {data.shape}")
    rows = {
        tuple(int(v) for v in index): list(data[index]) for index in np.ndindex(*data.shape[:-1])
    }
    return list(data.shape[:-1]), rows, data.dtype


def _check_dtype(dtype, op):
    if dtype.kind not in _KINDS or dtype.itemsize < 1:
        raise TypeError(f"{op}: sets hold integers or strings, received dtype {dtype}")


def _sparse_result(shape, results, dtype):
    width = max((len(v) for v in results.values()), default=0)
    indices, values = [], []
    for key in sorted(results):
        for j, v in enumerate(results[key]):
            indices.append(list(key) + [j])
            values.append(v)
    indices = np.asarray(indices, dtype=np.int64).reshape(-1, len(shape) + 1)
    values = np.asarray(values, dtype=dtype) if values else np.zeros(0, dtype=dtype)
    return SparseTensor(indices, Tensor(values), list(shape) + [width])


def _set_op(a, b, op, combine):
    shape_a, rows_a, dtype_a = _rows(a, op, "a")
    shape_b, rows_b, dtype_b = _rows(b, op, "b")
    _check_dtype(dtype_a, op)
    if dtype_a != dtype_b and not (dtype_a.kind == dtype_b.kind == "O"):
        raise TypeError(f"{op}: a and b must have one dtype, received {dtype_a} and {dtype_b}")
    if shape_a != shape_b:
        raise invalid_argument(
            op,
            f"a and b must agree in all but the last dimension, received {shape_a} and {shape_b}",
        )
    results = {}
    for key in np.ndindex(*shape_a):
        got = combine(set(rows_a.get(key, [])), set(rows_b.get(key, [])))
        if got:
            results[key] = sorted(got)
    return _sparse_result(shape_a, results, dtype_a)


def intersection(a, b, validate_indices=True):
    """Per row, the elements in both ``a`` and ``b`` (a SparseTensor)."""
    return _set_op(a, b, "sets.intersection", lambda x, y: x & y)


def union(a, b, validate_indices=True):
    """Per row, the elements in ``a`` or ``b`` (a SparseTensor)."""
    return _set_op(a, b, "sets.union", lambda x, y: x | y)


def difference(a, b, aminusb=True, validate_indices=True):
    """Per row, the elements of ``a`` not in ``b`` (``b - a`` when not ``aminusb``)."""
    return _set_op(
        a, b, "sets.difference", (lambda x, y: x - y) if aminusb else (lambda x, y: y - x)
    )


def size(a, validate_indices=True):
    """The number of distinct elements of each row of the SparseTensor ``a``, int32 of shape
    ``a.dense_shape[:-1]``."""
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a!r}.")
    shape, rows, dtype = _rows(a, "sets.size", "a")
    _check_dtype(dtype, "sets.size")
    out = np.zeros(shape, dtype=np.int32)
    for key, values in rows.items():
        out[key] = len(set(values))
    return Tensor(out)


__all__ = [
    "difference",
    "intersection",
    "size",
    "union",
]
