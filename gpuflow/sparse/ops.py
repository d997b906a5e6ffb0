"""Structural ``tf.sparse`` ops: conversion, reordering, reshaping, slicing, joining, filtering.

Values move by differentiable gathers and segment sums, so gradients reach the values of
the inputs; indices are computed with the device's array module.
"""

from __future__ import annotations

import builtins

import numpy as np

from .._string_arrays import OBJECT
from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..ops.indexing import gather
from ..ops.shape import concat as dense_concat
from ..ops.shape import reshape as dense_reshape
from ..tensor import Tensor
from ._segment import SegmentSum
from .sparse_tensor import SparseTensor


def _error(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{op}: {message}")


def _check(sp, op: str) -> SparseTensor:
    if not isinstance(sp, SparseTensor):
        raise TypeError(f"{op}: expected a SparseTensor, received {type(sp).__name__}")
    return sp


def _take(values: Tensor, order) -> Tensor:
    """``values[order]`` (differentiable); ``order`` an index array of the values' device."""
    return gather(values, Tensor._wrap(order, values._device))


def _flat(indices, shape, xp):
    """Row-major linear positions of ``indices`` in ``shape`` (int64)."""
    strides = np.ones(len(shape), dtype=np.int64)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * max(int(shape[i + 1]), 1)
    if not len(shape):
        return xp.zeros(len(indices), np.int64)
    # a broadcast multiply-sum, not `@`: integer GEMM is not a cuBLAS operation
    return (indices * xp.asarray(strides)).sum(axis=1)


def _unflat(flat, shape, xp):
    out, rest = [], flat
    for n in reversed(shape):
        out.append(rest % max(int(n), 1))
        rest = rest // max(int(n), 1)
    return xp.stack(out[::-1], axis=1) if shape else xp.zeros((len(flat), 0), np.int64)


def from_dense(tensor) -> SparseTensor:
    """The non-zero entries of a dense tensor as a SparseTensor (gradients reach ``tensor``)."""
    x = as_tensor(tensor)
    xp = x._device.xp
    indices = (
        xp.stack(xp.nonzero(x._data), axis=1).astype(np.int64)
        if x.ndim
        else xp.zeros((int(bool(x._data)), 0), np.int64)
    )
    flat = _flat(indices, x.shape, xp)
    values = _take(dense_reshape(x, [-1]), flat)
    return SparseTensor._trusted(indices, values, x.shape)


def to_dense(sp_input, default_value=None, validate_indices: bool = True, name=None) -> Tensor:
    """The dense tensor: the values at their indices, ``default_value`` (0) elsewhere.

    Raises:
        InvalidArgumentError: with ``validate_indices``, for a position given twice.
    """
    sp = _check(sp_input, "sparse.to_dense")
    xp = sp.values._device.xp
    size = int(np.prod(sp.shape, dtype=np.int64))
    flat = _flat(sp.indices._data, sp.shape, xp)
    if validate_indices and len(flat) > 1:
        unique = xp.unique(flat)
        if len(unique) != len(flat):
            raise _error(
                "sparse.to_dense",
                f"{len(flat) - len(unique)} position(s) appear more than once in indices",
            )
    if sp.values._data.dtype is OBJECT:  # tf.string values: b"" (or the default) elsewhere
        return _strings_to_dense(sp, flat, size, default_value)
    dense = SegmentSum(flat, size)(sp.values)
    if default_value is not None and default_value != 0:
        mask = xp.ones(size, dtype=bool)
        mask[flat] = False
        fill = Tensor._wrap(
            mask.astype(sp.dtype) * xp.asarray(default_value, dtype=sp.dtype), sp.values._device
        )
        dense = dense + fill
    return dense_reshape(dense, list(sp.shape))


def _strings_to_dense(sp, flat, size, default_value) -> Tensor:
    fill = b"" if default_value is None else default_value
    if isinstance(fill, Tensor):
        fill = fill.numpy()
    if isinstance(fill, np.ndarray) and fill.ndim == 0:
        fill = fill.item()
    if isinstance(fill, str):
        fill = fill.encode()
    if not isinstance(fill, bytes):
        raise TypeError(
            f"sparse.to_dense: default_value must be a string for string values, received "
            f"{default_value!r}"
        )
    out = np.empty(size, dtype=OBJECT)
    out.fill(fill)
    out[np.asarray(flat.get() if hasattr(flat, "get") else flat)] = sp.values._data.reshape(-1)
    return Tensor(out.reshape(tuple(sp.shape)))


def reorder(sp_input, name=None) -> SparseTensor:
    """The same entries with indices in row-major order (as most sparse ops expect)."""
    sp = _check(sp_input, "sparse.reorder")
    xp = sp.values._device.xp
    order = (
        xp.argsort(_flat(sp.indices._data, sp.shape, xp), kind="stable")
        if xp is np
        else xp.argsort(_flat(sp.indices._data, sp.shape, xp))
    )
    return SparseTensor._trusted(sp.indices._data[order], _take(sp.values, order), sp.shape)


def reshape(sp_input, shape, name=None) -> SparseTensor:
    """The same entries in a dense shape of as many elements (one ``-1`` is inferred)."""
    sp = _check(sp_input, "sparse.reshape")
    new = [int(n) for n in (shape.numpy() if isinstance(shape, Tensor) else shape)]
    total = int(np.prod(sp.shape, dtype=np.int64))
    known = int(np.prod([n for n in new if n != -1], dtype=np.int64))
    if new.count(-1) == 1 and known and total % known == 0:
        new[new.index(-1)] = total // known
    if new.count(-1) or int(np.prod(new, dtype=np.int64)) != total:
        raise _error(
            "sparse.reshape",
            f"cannot reshape dense_shape {list(sp.shape)} ({total} elements) into {list(shape)}",
        )
    xp = sp.values._device.xp
    indices = _unflat(_flat(sp.indices._data, sp.shape, xp), new, xp)
    return SparseTensor._trusted(indices, sp.values, new)


def slice(sp_input, start, size, name=None) -> SparseTensor:  # noqa: A001 - TF's name
    """The entries inside the box ``[start, start + size)``, re-indexed from ``start``."""
    sp = _check(sp_input, "sparse.slice")
    start = [int(n) for n in (start.numpy() if isinstance(start, Tensor) else start)]
    size = [int(n) for n in (size.numpy() if isinstance(size, Tensor) else size)]
    if len(start) != sp.ndim or len(size) != sp.ndim:
        raise _error(
            "sparse.slice",
            f"start {start} and size {size} must have {sp.ndim} entries, "
            f"one per axis of dense_shape {list(sp.shape)}",
        )
    if any(s < 0 for s in start + size):
        raise _error("sparse.slice", f"start {start} and size {size} must be >= 0")
    xp = sp.values._device.xp
    lo = xp.asarray(start, dtype=np.int64)
    hi = xp.asarray([s + n for s, n in zip(start, size)], dtype=np.int64)
    idx = sp.indices._data
    keep = xp.nonzero(((idx >= lo) & (idx < hi)).all(axis=1))[0]
    shape = [max(0, min(n, d - s)) for s, n, d in zip(start, size, sp.shape)]
    return SparseTensor._trusted(idx[keep] - lo, _take(sp.values, keep), shape)


def concat(axis, sp_inputs, expand_nonconcat_dims: bool = False, name=None) -> SparseTensor:
    """Join sparse tensors along ``axis`` (the other sizes must match unless expanded)."""
    inputs = [_check(s, "sparse.concat") for s in sp_inputs]
    if not inputs:
        raise _error("sparse.concat", "expected at least one SparseTensor")
    rank = inputs[0].ndim
    if any(s.ndim != rank for s in inputs):
        raise _error("sparse.concat", f"ranks differ: {[s.ndim for s in inputs]}")
    axis = int(axis) % rank if -rank <= int(axis) < rank else None
    if axis is None:
        raise _error("sparse.concat", f"axis out of range for rank {rank}")
    shapes = [list(s.shape) for s in inputs]
    others = [[n for i, n in enumerate(sh) if i != axis] for sh in shapes]
    if not expand_nonconcat_dims and any(o != others[0] for o in others):
        raise _error(
            "sparse.concat",
            f"dense shapes {shapes} differ outside axis {axis}; pass "
            "expand_nonconcat_dims=True to take the largest",
        )
    xp = inputs[0].values._device.xp
    out_shape = [max(sh[i] for sh in shapes) for i in range(rank)]
    out_shape[axis] = sum(sh[axis] for sh in shapes)
    parts, offset = [], 0
    for s in inputs:
        idx = s.indices._data.copy()
        idx[:, axis] += offset
        parts.append(idx)
        offset += s.shape[axis]
    joined = SparseTensor._trusted(
        xp.concatenate(parts, axis=0), dense_concat([s.values for s in inputs], 0), out_shape
    )
    return reorder(joined)


def add(a, b, threshold=0, name=None):
    """``a + b``: two SparseTensors give a SparseTensor (sums below ``threshold`` in magnitude
    dropped), a SparseTensor and a dense tensor give a dense tensor."""
    if not isinstance(a, SparseTensor):
        a, b = b, a
    _check(a, "sparse.add")
    if not isinstance(b, SparseTensor):
        dense = as_tensor(b, device=a.values._device)
        if tuple(dense.shape) != tuple(a.shape):
            raise _error(
                "sparse.add",
                f"dense shape {tuple(dense.shape)} differs from dense_shape {list(a.shape)}",
            )
        return to_dense(a) + dense
    if list(a.shape) != list(b.shape):
        raise _error("sparse.add", f"dense shapes differ: {list(a.shape)} and {list(b.shape)}")
    xp = a.values._device.xp
    flat = xp.concatenate(
        [_flat(a.indices._data, a.shape, xp), _flat(b.indices._data, b.shape, xp)]
    )
    positions, ids = xp.unique(flat, return_inverse=True)
    ids = ids.reshape(-1)
    sums = SegmentSum(ids, len(positions))(dense_concat([a.values, b.values], 0))
    indices = _unflat(positions, list(a.shape), xp)
    if threshold:
        keep = xp.nonzero(xp.abs(sums._data) >= threshold)[0]
        return SparseTensor._trusted(indices[keep], _take(sums, keep), a.shape)
    return SparseTensor._trusted(indices, sums, a.shape)


def retain(sp_input, to_retain) -> SparseTensor:
    """The entries where the boolean vector ``to_retain`` is True."""
    sp = _check(sp_input, "sparse.retain")
    mask = as_tensor(to_retain, device=sp.values._device)
    if tuple(mask.shape) != (sp.values.shape[0],):
        raise _error(
            "sparse.retain",
            f"to_retain of shape {tuple(mask.shape)} must have one "
            f"entry per value ({sp.values.shape[0]})",
        )
    xp = sp.values._device.xp
    keep = xp.nonzero(mask._data.astype(bool))[0]
    return SparseTensor._trusted(sp.indices._data[keep], _take(sp.values, keep), sp.shape)


def fill_empty_rows(sp_input, default_value, name=None):
    """Give every empty row (axis 0) one entry ``default_value`` at column 0.

    Returns:
        ``(filled SparseTensor in row-major order, bool vector: which rows were empty)``.
    """
    sp = _check(sp_input, "sparse.fill_empty_rows")
    if sp.ndim < 1:
        raise _error("sparse.fill_empty_rows", "expected a SparseTensor of rank >= 1")
    device = sp.values._device
    xp = device.xp
    rows = sp.shape[0]
    has = xp.zeros(rows, dtype=bool)
    has[sp.indices._data[:, 0]] = True
    empty_rows = xp.nonzero(~has)[0]
    extra = xp.zeros((len(empty_rows), sp.ndim), dtype=np.int64)
    extra[:, 0] = empty_rows
    fill = Tensor._wrap(xp.full(len(empty_rows), default_value, dtype=sp.dtype), device)
    joined = SparseTensor._trusted(
        xp.concatenate([sp.indices._data, extra], axis=0),
        dense_concat([sp.values, fill], 0),
        sp.shape,
    )
    return reorder(joined), Tensor._wrap(~has, device)


def to_indicator(sp_input, vocab_size, name=None) -> Tensor:
    """Dense bool ``[..., vocab_size]``: True at ``(row..., value)`` for each entry's id value."""
    sp = _check(sp_input, "sparse.to_indicator")
    if sp.values.dtype.kind not in "iu":
        raise TypeError(f"sparse.to_indicator: expected integer ids, received {sp.dtype.name}")
    device = sp.values._device
    xp = device.xp
    ids = sp.values._data.astype(np.int64)
    vocab = int(vocab_size)
    if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= vocab):
        raise _error(
            "sparse.to_indicator",
            f"ids must be in [0, {vocab}), received values in [{int(ids.min())}, {int(ids.max())}]",
        )
    shape = list(sp.shape[:-1]) + [vocab]
    out = xp.zeros(shape, dtype=bool)
    out[tuple(sp.indices._data[:, :-1].T) + (ids,)] = True
    return Tensor._wrap(out, device)


def _dense_at(sp: SparseTensor, other, op: str) -> Tensor:
    """``other`` (scalar or dense, broadcast to the dense shape) read at ``sp``'s indices."""
    device = sp.values._device
    dense = as_tensor(other, device=device)
    if dense.ndim == 0:
        return dense
    try:
        target = np.broadcast_shapes(tuple(dense.shape), tuple(sp.shape))
    except ValueError:
        target = None
    if target != tuple(sp.shape):
        raise _error(
            f"SparseTensor.{op}",
            f"cannot broadcast shape {tuple(dense.shape)} to dense_shape {list(sp.shape)}",
        )
    from ..ops.shape import broadcast_to

    full = broadcast_to(dense, list(sp.shape))
    return _take(dense_reshape(full, [-1]), _flat(sp.indices._data, sp.shape, device.xp))


# SparseTensor's `*` and `/` by a scalar or dense tensor, installed here (next to
# _dense_at, which they need) rather than defined in sparse_tensor.py, which this module
# imports; gpuflow/sparse/__init__.py imports this module, so they are always in place.
def _mul(self, other) -> SparseTensor:
    """Elementwise product with a scalar or a dense tensor broadcast to ``dense_shape``."""
    return self.with_values(self._values * _dense_at(self, other, "__mul__"))


def _truediv(self, other) -> SparseTensor:
    """Elementwise quotient by a scalar or a dense tensor broadcast to ``dense_shape``."""
    return self.with_values(self._values / _dense_at(self, other, "__truediv__"))


SparseTensor.__mul__ = SparseTensor.__rmul__ = _mul
SparseTensor.__truediv__ = _truediv


def take_rows(sp_input, rows) -> SparseTensor:
    """The rows ``rows`` (a slice or an index vector along axis 0) as a new SparseTensor.

    gpuflow's own helper (TensorFlow has no such op) for batching sparse inputs in ``fit``:
    batch ``b`` of a SparseTensor ``x`` is ``take_rows(x, index_of_batch_b)``. A row taken
    twice appears twice. Gradients reach the values.
    """
    sp = _check(sp_input, "sparse.take_rows")
    device = sp.values._device
    xp = device.xp
    n = sp.shape[0]
    if isinstance(rows, builtins.slice):
        rows = np.arange(n)[rows]
    rows = np.asarray(rows.numpy() if isinstance(rows, Tensor) else rows, dtype=np.int64)
    if rows.ndim != 1 or (len(rows) and (rows.min() < -n or rows.max() >= n)):
        raise _error(
            "sparse.take_rows",
            f"rows must be a vector of indices in [0, {n}), received {rows.tolist()}",
        )
    rows = rows % max(n, 1)
    order = np.argsort(rows, kind="stable")  # output positions, grouped by source row
    counts = np.bincount(rows, minlength=n)  # how often each source row is taken
    first = np.cumsum(counts) - counts  # where each source row's group starts
    old_rows = device.to_host(sp.indices._data[:, 0])
    reps = counts[old_rows]  # copies of each stored entry
    take = np.repeat(np.arange(len(old_rows)), reps)
    copy = np.arange(len(take)) - np.repeat(np.cumsum(reps) - reps, reps)
    new_rows = order[first[old_rows[take]] + copy]
    indices = sp.indices._data[xp.asarray(take)]
    indices[:, 0] = xp.asarray(new_rows)
    picked = SparseTensor._trusted(
        indices, _take(sp.values, xp.asarray(take)), [len(rows)] + list(sp.shape[1:])
    )
    return reorder(picked)
