"""Array creation of ``tf.experimental.numpy``: ``array``, ``arange``, ``zeros``, ...

Defaults follow TensorFlow's NumPy API: floats are the default float type (float64, or
float32 after ``experimental_enable_numpy_behavior(prefer_float32=True)``), integers int64.
"""

from __future__ import annotations

import numpy as np

from ...keras import ops as _ops
from ...ops.cast import cast
from ...ops.creation import constant
from ...ops.shape import reshape
from ...tensor import Tensor
from . import _dtypes
from ._convert import _numpy_dtype, asarray


def _default_float():
    return np.dtype(_dtypes.default_float_type())


def _dtype_or_float(dtype, where):
    return _default_float() if dtype is None else _numpy_dtype(dtype, where)


def array(val, dtype=None, copy=True, ndmin=0) -> Tensor:
    """``val`` as a tensor (a new one when ``copy``), with at least ``ndmin`` dimensions."""
    t = asarray(val, dtype)
    if copy and t is val:
        t = _ops.copy(t)
    if ndmin > 32:
        raise ValueError(f"ndmin bigger than allowable number of dimensions: 32, received {ndmin}.")
    if t.ndim < ndmin:
        t = reshape(t, (1,) * (ndmin - t.ndim) + tuple(t.shape))
    return t


def asanyarray(a, dtype=None) -> Tensor:
    """As :func:`asarray` (tensors have no subclasses to keep)."""
    return asarray(a, dtype)


def ascontiguousarray(a, dtype=None) -> Tensor:
    """``a`` as a tensor with at least one dimension."""
    return array(a, dtype, ndmin=1)


def copy(a) -> Tensor:
    """A copy of ``a`` as a tensor."""
    return array(a, copy=True)


def arange(start, stop=None, step=1, dtype=None) -> Tensor:
    """Values from ``start`` to ``stop`` (excluded) by ``step``; the dtype of the largest
    of the three unless ``dtype``."""
    if not step:
        raise ValueError("tnp.arange: step must be non-zero.")
    if dtype is not None:
        target = _numpy_dtype(dtype, "tnp.arange")
    else:
        target = _dtypes.result_type(start, step, *([] if stop is None else [stop]))
    if stop is None:
        start, stop = 0, start
    return constant(np.arange(start, stop, step).astype(target))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=float, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop``. As TensorFlow's with
    NumPy 2, the dtype is that of ``start`` and ``stop`` as floats."""
    if num < 0:
        raise ValueError(
            "Argument `num` (number of samples) must be a non-negative integer. "
            f"Received: num={num}"
        )
    target = _dtypes.result_type(_as_float(start), _as_float(stop)) if dtype else _default_float()
    lo, hi = asarray(start, target), asarray(stop, target)
    out = cast(_ops.linspace(lo, hi, num, endpoint=endpoint, axis=axis), target)
    if retstep:
        div = (num - 1) if endpoint else num
        step = (hi - lo) / div if div > 0 else constant(np.array(np.nan, target))
        return out, step
    return out


def _as_float(value):
    if isinstance(value, Tensor):
        return value if value.dtype.kind in "fc" else cast(value, _default_float())
    return value * 1.0


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0) -> Tensor:
    """``base ** linspace(start, stop, num)``. As TensorFlow's with NumPy 2, the dtype is
    that of ``start`` and ``stop`` as floats (``dtype`` is not consulted)."""
    exps = linspace(start, stop, num, endpoint=endpoint, dtype=float, axis=axis)
    return asarray(base, exps._data.dtype) ** exps


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0) -> Tensor:
    """``num`` values evenly spaced on a log scale from ``start`` to ``stop``."""
    target = _dtype_or_float(dtype, "tnp.geomspace")
    out = _ops.geomspace(
        asarray(start, np.float64), asarray(stop, np.float64), num, endpoint=endpoint, axis=axis
    )
    return cast(out, target)


def _filled(shape, value, dtype, where):
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return constant(np.full(shape, value, dtype=dtype))


def zeros(shape, dtype=float) -> Tensor:
    """Zeros of ``shape``; the default float type unless ``dtype``."""
    return _filled(shape, 0, _dtype_or_float(dtype, "tnp.zeros"), "tnp.zeros")


def ones(shape, dtype=float) -> Tensor:
    """Ones of ``shape``; the default float type unless ``dtype``."""
    return _filled(shape, 1, _dtype_or_float(dtype, "tnp.ones"), "tnp.ones")


def empty(shape, dtype=float) -> Tensor:
    """As :func:`zeros` (TensorFlow's ``tnp.empty`` is zero-filled)."""
    return zeros(shape, dtype)


def full(shape, fill_value, dtype=None) -> Tensor:
    """``fill_value`` broadcast to ``shape``; the dtype of ``fill_value`` unless ``dtype``."""
    fill = asarray(fill_value, dtype)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return _ops.broadcast_to(fill, shape)


def _like(a, dtype, value, where):
    t = asarray(a)
    target = t._data.dtype if dtype is None else _numpy_dtype(dtype, where)
    return _filled(tuple(t.shape), value, target, where)


def zeros_like(a, dtype=None) -> Tensor:
    """Zeros of ``a``'s shape and dtype (or ``dtype``)."""
    return _like(a, dtype, 0, "tnp.zeros_like")


def ones_like(a, dtype=None) -> Tensor:
    """Ones of ``a``'s shape and dtype (or ``dtype``)."""
    return _like(a, dtype, 1, "tnp.ones_like")


def empty_like(a, dtype=None) -> Tensor:
    """As :func:`zeros_like`."""
    return _like(a, dtype, 0, "tnp.empty_like")


def full_like(a, fill_value, dtype=None) -> Tensor:
    """``fill_value`` in ``a``'s shape and dtype (or ``dtype``)."""
    t = asarray(a)
    target = t._data.dtype if dtype is None else _numpy_dtype(dtype, "tnp.full_like")
    return _ops.broadcast_to(asarray(fill_value, target), tuple(t.shape))


def eye(N, M=None, k=0, dtype=float) -> Tensor:  # noqa: N803 - NumPy's names
    """An ``N x M`` matrix with ones on diagonal ``k``."""
    return constant(np.eye(N, M, k, dtype=_dtype_or_float(dtype, "tnp.eye")))


def identity(n, dtype=float) -> Tensor:
    """The ``n x n`` identity matrix."""
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None) -> Tensor:  # noqa: N803 - NumPy's names
    """Ones at and below diagonal ``k`` of an ``N x M`` matrix."""
    return constant(np.tri(N, M, k, dtype=_dtype_or_float(dtype, "tnp.tri")))


def diag_indices(n, ndim=2):
    """The indices of the main diagonal of an ``n``-sided array of ``ndim`` dimensions."""
    if n < 0:
        raise ValueError(f"n argument to diag_indices must be nonnegative, got {n}")
    return tuple(arange(n) for _ in range(ndim))
