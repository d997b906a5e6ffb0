"""Sorting and selection: sort, argsort, top_k, in_top_k, unique."""

from __future__ import annotations

import collections

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    invalid_argument,
    normalize_axis,
    ordered_only,
    unsupported_dtype,
)
from .cast import cast
from .indexing import GetItem
from .unregistered_gradient import without_gradient


def _along(x, order, ax):
    """``x`` gathered by the index array ``order`` along ``ax`` (differentiable)."""
    xp = x._device.xp
    index = tuple(
        order if i == ax else xp.arange(n).reshape((1,) * i + (n,) + (1,) * (x.ndim - i - 1))
        for i, n in enumerate(order.shape)
    )
    return GetItem(index)(x)


def _direction(direction, op):
    d = str(direction).upper()
    if d not in ("ASCENDING", "DESCENDING"):
        raise invalid_argument(
            op, f"direction must be 'ASCENDING' or 'DESCENDING', received {direction!r}"
        )
    return d


def _order(x, ax, direction, op):
    if x.dtype == dtypes.bool_:
        raise unsupported_dtype(op, "expected a number tensor, received dtype bool")
    xp = x._device.xp
    if _direction(direction, op) == "ASCENDING":
        return xp.argsort(x._data, axis=ax, kind="stable")
    # Descending and stable: sort the negated ranks (ties keep their order).
    flipped = xp.flip(xp.argsort(xp.flip(x._data, ax), axis=ax, kind="stable"), ax)
    return x._data.shape[ax] - 1 - flipped


@host_call(effect=False)  # one host step when traced: its indices feed the gather after it
def _order_tensor(x, ax, direction, op, k=None, dtype=None) -> Tensor:
    """The indices that sort ``x`` along ``ax`` (the first ``k`` along the last axis), as a
    tensor of ``dtype`` (the index array's own by default)."""
    order = _order(x, ax, direction, op)
    if k is not None:
        order = order[..., :k]
    order = x._device.xp.ascontiguousarray(order)
    return Tensor._wrap(order if dtype is None else order.astype(dtype), x._device)


def sort(values, axis=-1, direction="ASCENDING", name=None) -> Tensor:
    """``values`` sorted along ``axis``; differentiable (the gradient follows the order)."""
    x = as_tensor(values)
    ordered_only("sort", x)
    if x.ndim == 0:
        raise invalid_argument("sort", "expected a tensor of rank >= 1, received a scalar")
    (ax,) = normalize_axis(axis, x.ndim, "sort")
    _direction(direction, "sort")
    return _along(x, _order_tensor(x, ax, direction, "sort")._data, ax)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None) -> Tensor:
    """Indices (int32) that sort ``values`` along ``axis``."""
    x = as_tensor(values)
    ordered_only("argsort", x)
    if x.ndim == 0:
        raise invalid_argument("argsort", "expected a tensor of rank >= 1, received a scalar")
    (ax,) = normalize_axis(axis, x.ndim, "argsort")
    _direction(direction, "argsort")
    return _order_tensor(x, ax, direction, "argsort", dtype=np.dtype(np.int32))


TopK = collections.namedtuple("TopKV2", ["values", "indices"])
TopK.__doc__ = "``(values, indices)``: TensorFlow's namedtuple ``TopKV2``."


def top_k(input, k=1, sorted=True, index_type="int32", name=None) -> TopK:  # noqa: A002
    """The ``k`` largest entries of the last axis and their indices (ties: lower index first)."""
    x = as_tensor(input)
    ordered_only("top_k", x)
    if x.ndim == 0:
        raise invalid_argument("top_k", "expected a tensor of rank >= 1, received a scalar")
    k = as_int("top_k", "k", k, minimum=0)
    if k > x.shape[-1]:
        raise invalid_argument("top_k", f"k={k} is larger than the last axis ({x.shape[-1]})")
    index_dtype = dtypes.as_dtype(index_type, "top_k")._np
    order = _order_tensor(x, x.ndim - 1, "DESCENDING", "top_k", k)  # one sort for both
    indices = order if order.dtype == index_dtype else cast(order, index_dtype)
    return TopK(_along(x, order._data, x.ndim - 1), indices)


@host_call(effect=False)  # reads host values: one host step when traced
def in_top_k(targets, predictions, k, name=None) -> Tensor:
    """Whether ``predictions[i, targets[i]]`` is among the ``k`` largest of row ``i``
    (ties with the k-th value count as in, as TensorFlow)."""
    t, p = as_tensor(targets), as_tensor(predictions)
    if p.ndim != 2 or t.ndim != 1 or t.shape[0] != p.shape[0]:
        raise invalid_argument(
            "in_top_k",
            f"expected targets [batch] and predictions "
            f"[batch, classes], received {tuple(t.shape)} and "
            f"{tuple(p.shape)}",
        )
    if t.dtype.kind not in "iu":
        raise unsupported_dtype(
            "in_top_k", f"targets must be integers, received dtype {t.dtype.name}"
        )
    k = as_int("in_top_k", "k", k, minimum=0)
    pred, tgt = p.numpy(), t.numpy()
    valid = (tgt >= 0) & (tgt < pred.shape[1])
    picked = pred[np.arange(len(tgt)), np.clip(tgt, 0, pred.shape[1] - 1)]
    better = (pred > picked[:, None]).sum(axis=1)
    out = valid & (better < k) & np.isfinite(picked)
    return Tensor._wrap(p._device.asarray(out), p._device)


Unique = collections.namedtuple("Unique", ["y", "idx"])


@host_call(effect=False)  # output size depends on the values: one host step when traced
def unique(x, out_idx="int32", name=None) -> Unique:
    """``Unique(y, idx)``: the distinct values of 1-D ``x`` in order of first appearance, and for
    each element of ``x`` the position of its value in ``y``."""
    t = as_tensor(x)
    if t.ndim != 1:
        raise invalid_argument("unique", f"expected a 1-D tensor, received shape {tuple(t.shape)}")
    values = t.numpy()
    # each NaN is its own value, as in TensorFlow (NaN != NaN); NumPy merges them by default
    nan_kw = {"equal_nan": False} if values.dtype.kind in "fc" else {}
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True, **nan_kw)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    y = values[np.sort(first)]
    idx = rank[inverse.reshape(-1)].astype(dtypes.as_dtype(out_idx))
    distinct = Tensor._wrap(t._device.asarray(y), t._device)
    # TensorFlow registers no gradient for Unique: tape.gradient raises its LookupError
    distinct = without_gradient("Unique", lambda _: distinct, t)
    return Unique(distinct, Tensor._wrap(t._device.asarray(idx), t._device))
