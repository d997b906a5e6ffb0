"""``keras.ops`` tensor creation with NumPy's signatures: ``arange`` of ints is int32,
``zeros`` / ``ones`` / ``full`` / ``eye`` default to the float type, ``*_like`` keep the dtype."""

from __future__ import annotations

import numpy as np

from ...ops import creation as _c
from ...tensor import Tensor
from ._dtypes import convert_to_tensor, result_type, standardize_dtype


def _dtype(dtype):
    return standardize_dtype(dtype)


def zeros(shape, dtype=None):
    """A tensor of zeros (default float type)."""
    return _c.zeros(shape, dtype=_dtype(dtype))


def ones(shape, dtype=None):
    """A tensor of ones (default float type)."""
    return _c.ones(shape, dtype=_dtype(dtype))


def empty(shape, dtype=None):
    """A tensor of the given shape (its values are zeros here)."""
    return zeros(shape, dtype=dtype)


def full(shape, fill_value, dtype=None):
    """A tensor filled with ``fill_value`` (default float type)."""
    from ...ops.shape import broadcast_to

    return broadcast_to(convert_to_tensor(fill_value, _dtype(dtype)), shape)


def zeros_like(x, dtype=None):
    """Zeros of ``x``'s shape and dtype (or ``dtype``)."""
    t = convert_to_tensor(x)
    return _c.zeros_like(t, dtype=None if dtype is None else standardize_dtype(dtype))


def ones_like(x, dtype=None):
    """Ones of ``x``'s shape and dtype (or ``dtype``)."""
    t = convert_to_tensor(x)
    return _c.ones_like(t, dtype=None if dtype is None else standardize_dtype(dtype))


def empty_like(x, dtype=None):
    """A tensor of ``x``'s shape and dtype (its values are zeros here)."""
    return zeros_like(x, dtype=dtype)


def full_like(x, fill_value, dtype=None):
    """``fill_value`` in ``x``'s shape and dtype (or ``dtype``)."""
    t = convert_to_tensor(x)
    return full(tuple(t.shape), fill_value, dtype=t.dtype.name if dtype is None else dtype)


def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - NumPy's names
    """A matrix with ones on the ``k``-th diagonal (default float type)."""
    m = N if M is None else M
    return convert_to_tensor(np.eye(int(N), int(m), int(k)), _dtype(dtype))


def identity(n, dtype=None):
    """The ``n`` by ``n`` identity matrix (default float type)."""
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):  # noqa: N803 - NumPy's names
    """A matrix with ones at and below the ``k``-th diagonal (default float type)."""
    m = N if M is None else M
    return convert_to_tensor(np.tri(int(N), int(m), int(k)), _dtype(dtype))


def _scalar(value):
    return value.item() if isinstance(value, Tensor) else value


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in ``[start, stop)``; Python ints give int32, floats the float type."""
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = result_type(start, stop, step)
    start, stop, step = _scalar(start), _scalar(stop), _scalar(step)
    if step == 0:
        raise ValueError("arange: step must not be 0")
    return convert_to_tensor(np.arange(start, stop, step, dtype=np.float64), _dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` (included when ``endpoint``)."""
    dtype = result_type(start, stop, float) if dtype is None else _dtype(dtype)
    a = np.asarray(convert_to_tensor(start).numpy(), dtype=np.float64)
    b = np.asarray(convert_to_tensor(stop).numpy(), dtype=np.float64)
    values, step = np.linspace(a, b, int(num), endpoint=endpoint, retstep=True, axis=axis)
    out = convert_to_tensor(values, dtype)
    if retstep:
        return out, convert_to_tensor(step, dtype)
    return out


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``."""
    exponents = linspace(start, stop, num=num, endpoint=endpoint, axis=axis)
    dtype = exponents.dtype.name if dtype is None else _dtype(dtype)
    values = np.power(float(base), exponents.numpy().astype(np.float64))
    return convert_to_tensor(values, dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` values spaced evenly on a log scale from ``start`` to ``stop``."""
    values = np.geomspace(
        float(_scalar(start)), float(_scalar(stop)), int(num), endpoint=endpoint, axis=axis
    )
    return convert_to_tensor(values, result_type(float) if dtype is None else _dtype(dtype))


def array(x, dtype=None):
    """``x`` as a tensor."""
    return convert_to_tensor(x, dtype)
