"""``keras.ops`` quantiles and NaN-ignoring ops: ``quantile`` / ``percentile`` / ``median``
(NaN where a slice holds one, as NumPy and Keras), ``nanquantile`` / ``nanpercentile`` /
``nanmedian`` (quantiles of the non-NaN values; NaN where none), all with NumPy's five
methods; ``nanargmax``/``nanargmin`` (-1 where a slice is all NaN) and
``nancumsum``/``nancumprod`` (NaN counts as 0 / 1)."""

from __future__ import annotations

import numpy as np

from ...ops import math as _m
from ...ops import reduce as _r
from ...ops import shape as _sh
from ...ops import sorting as _s
from ...ops import unary as _u
from ...ops.cast import cast as _cast
from ...ops.creation import zeros_like as _zeros_like
from ...ops.select import where as _where
from ...tensor import Tensor
from ._dtypes import as_float, convert_to_tensor
from .numpy_math import nan_to_num
from .numpy_reduce import argmax, argmin, cumprod, cumsum
from .numpy_shape import take_along_axis

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _nan_arg(pick, fill: float, name: str):
    def op(x, axis=None, keepdims=False):
        t = convert_to_tensor(x)
        if not t.dtype.is_floating:
            return pick(t, axis=axis, keepdims=keepdims)
        nan = _u.is_nan(t)
        index = pick(
            _where(nan, convert_to_tensor(fill, t.dtype.name), t), axis=axis, keepdims=keepdims
        )
        all_nan = _r.reduce_all(nan, axis=axis, keepdims=keepdims)
        return _where(all_nan, convert_to_tensor(-1, index.dtype.name), index)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"The index of the {'largest' if fill < 0 else 'smallest'} non-NaN value along "
        "``axis`` (of the flattened tensor when None); -1 where every value is NaN."
    )
    return op


nanargmax = _nan_arg(argmax, -np.inf, "nanargmax")
nanargmin = _nan_arg(argmin, np.inf, "nanargmin")


def nancumsum(x, axis=None, dtype=None):
    """The cumulative sum along ``axis`` with NaN taken as 0."""
    return cumsum(nan_to_num(x), axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    """The cumulative product along ``axis`` with NaN taken as 1."""
    return cumprod(nan_to_num(x, nan=1.0), axis=axis, dtype=dtype)


def _rows(t: Tensor, axis, op: str):
    """``t`` as ``rest + [n]`` (the reduced axes flattened last), with ``rest`` and the
    sorted reduced axes."""
    ndim = t.ndim
    if axis is None:
        return _sh.reshape(t, [-1]), [], list(range(ndim))
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"{op}: axis {a} is out of bounds for a tensor of rank {ndim}")
    axes = sorted({a % ndim for a in axes})
    rest = [a for a in range(ndim) if a not in axes]
    moved = _sh.transpose(t, rest + axes)
    return _sh.reshape(moved, [t.shape[a] for a in rest] + [-1]), [t.shape[a] for a in rest], axes


def _q_values(q, op: str, scale: float) -> np.ndarray:
    qs = np.asarray(q.numpy() if isinstance(q, Tensor) else q, dtype=np.float64) / scale
    if np.any(qs < 0) or np.any(qs > 1) or np.any(np.isnan(qs)):
        bound = "[0, 100]" if scale == 100.0 else "[0, 1]"
        raise ValueError(f"{op}: q must be in {bound}, received {np.asarray(q).tolist()}")
    return qs


def _nanquantile(x, qs: np.ndarray, axis, method: str, keepdims: bool, op: str, skip_nan=True):
    if method not in _METHODS:
        raise ValueError(f"{op}: method must be one of {_METHODS}, received {method!r}")
    t = as_float(x)
    rows, rest, axes = _rows(t, axis, op)
    nan = _u.is_nan(rows)
    count = _r.reduce_sum(_cast(_u.logical_not(nan), "float64"), axis=-1, keepdims=True)
    # Without skip_nan a slice holding a NaN gives NaN: treat it as having no values.
    poisoned = None if skip_nan else _r.reduce_any(nan, axis=-1, keepdims=True)
    values = _s.sort(_where(nan, convert_to_tensor(np.inf, t.dtype.name), rows), axis=-1)
    # Rows of NaN only: zeros, so the arithmetic below stays finite (they give NaN at the end).
    values = _where(count < 0.5, _zeros_like(values), values)
    last = _m.maximum(count - 1.0, 0.0)

    def at(index):
        return take_along_axis(values, _cast(index, "int32"), axis=-1)

    outs = []
    for qv in qs.reshape(-1):
        exact = last * float(qv)
        if method == "lower":
            out = at(_u.floor(exact))
        elif method == "higher":
            out = at(_u.ceil(exact))
        elif method == "nearest":
            out = at(_u.round(exact))
        elif method == "midpoint":
            out = (at(_u.floor(exact)) + at(_u.ceil(exact))) * 0.5
        else:
            larger = _u.ceil(exact)
            smaller = _m.maximum(larger - 1.0, 0.0)
            larger = _m.minimum(smaller + 1.0, last)
            fraction = _cast(larger - exact, t.dtype.name)
            out = at(larger) * (1.0 - fraction) + at(smaller) * fraction
        empty = count < 0.5 if poisoned is None else _m.logical_or(count < 0.5, poisoned)
        out = _where(empty, convert_to_tensor(np.nan, t.dtype.name), out)
        if keepdims:
            shape = [1 if a in axes else t.shape[a] for a in range(t.ndim)]
            out = _sh.reshape(out, shape)
        else:
            out = _sh.reshape(out, rest)
        outs.append(out)
    if qs.ndim == 0:
        return outs[0]
    return _sh.reshape(_sh.stack(outs), list(qs.shape) + list(outs[0].shape))


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) of the non-NaN values over ``axis``; NaN
    where a slice has none. ``method``: "linear", "lower", "higher", "midpoint" or
    "nearest". A non-scalar ``q`` gives its axes first, as NumPy."""
    return _nanquantile(x, _q_values(q, "nanquantile", 1.0), axis, method, keepdims, "nanquantile")


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """:func:`nanquantile` with ``q`` in percent ([0, 100])."""
    return _nanquantile(
        x, _q_values(q, "nanpercentile", 100.0), axis, method, keepdims, "nanpercentile"
    )


def nanmedian(x, axis=None, keepdims=False):
    """The median of the non-NaN values over ``axis``; NaN where a slice has none."""
    if axis == () or axis == []:
        return convert_to_tensor(x)
    return _nanquantile(x, np.asarray(0.5), axis, "linear", keepdims, "nanmedian")


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) over ``axis`` (all axes when None); NaN
    where a slice holds a NaN. ``method``: "linear", "lower", "higher", "midpoint" or
    "nearest". A non-scalar ``q`` gives its axes first, as NumPy."""
    return _nanquantile(
        x, _q_values(q, "quantile", 1.0), axis, method, keepdims, "quantile", skip_nan=False
    )


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """:func:`quantile` with ``q`` in percent ([0, 100])."""
    return _nanquantile(
        x, _q_values(q, "percentile", 100.0), axis, method, keepdims, "percentile", skip_nan=False
    )


def median(x, axis=None, keepdims=False):
    """The median over ``axis`` (the mean of the two middle values for even counts)."""
    return _nanquantile(x, np.asarray(0.5), axis, "linear", keepdims, "median", skip_nan=False)
