"""``rt[i]``, ``rt[a:b]``, ``rt[:, j]``, ``rt[:, a:b]``: row indexing and slicing."""

from __future__ import annotations

import numpy as np

from ..ops.indexing import gather
from ..tensor import Tensor
from .ragged_tensor import RaggedTensor, _error


def _take(values, index_array, device):
    """``values`` rows at ``index_array`` (Tensor values: differentiable gather)."""
    if isinstance(values, RaggedTensor):
        return _take_rows(values, index_array)
    return gather(values, Tensor._wrap(device.asarray(index_array), device))


def _take_rows(rt: RaggedTensor, rows: np.ndarray) -> RaggedTensor:
    """A RaggedTensor of ``rt``'s rows ``rows`` (host int64 vector)."""
    device = rt._row_splits._device
    splits = device.to_host(rt._row_splits._data)
    starts, limits = splits[rows], splits[rows + 1]
    lengths = limits - starts
    order = (
        np.concatenate([np.arange(a, b) for a, b in zip(starts, limits)])
        if len(rows)
        else np.zeros(0, np.int64)
    )
    values = _take(rt._values, order.astype(np.int64), device)
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)


def getitem(rt: RaggedTensor, key):
    op = "RaggedTensor.__getitem__"
    if not isinstance(key, tuple):
        key = (key,)
    if not key:
        return rt
    key = _expand_ellipsis(rt, key, op)
    if not key:
        return rt
    first, rest = key[0], key[1:]
    n = rt.nrows_int()
    if isinstance(first, Tensor):
        first = first.numpy().item() if first.ndim == 0 else first.numpy()
    if isinstance(first, (int, np.integer)):
        i = int(first)
        if not -n <= i < n:
            raise _error(op, f"row index {i} is out of range for {n} rows")
        row = _take_rows(rt, np.array([i % n]))._values
        return row[rest] if rest else row
    if isinstance(first, slice):
        rows = np.arange(n)[first]
        out = _take_rows(rt, rows.astype(np.int64))
        return _inner(out, rest, op) if rest else out
    raise TypeError(f"{op}: expected an int, a slice or Ellipsis, received {type(first).__name__}")


def _expand_ellipsis(rt: RaggedTensor, key: tuple, op: str) -> tuple:
    """``key`` with its Ellipsis written out as full slices (``rt[..., :-1]`` is
    ``rt[:, :-1]`` for a rank-2 RaggedTensor), trailing full slices dropped."""
    count = sum(1 for k in key if k is Ellipsis)
    if count == 0:
        return key
    if count > 1:
        raise _error(op, "an index can only have a single ellipsis ('...')")
    at = key.index(Ellipsis)
    fill = len(rt.shape) - (len(key) - 1)
    if fill < 0:
        raise _error(
            op, f"too many indices for a RaggedTensor of rank {len(rt.shape)}: {len(key) - 1}"
        )
    key = key[:at] + (slice(None),) * fill + key[at + 1 :]
    while key and key[-1] == slice(None):
        key = key[:-1]
    return key


def _inner(rt: RaggedTensor, key, op):
    """Index the ragged axis 1 (and below) of every row."""
    first, rest = key[0], key[1:]
    device = rt._row_splits._device
    splits = device.to_host(rt._row_splits._data)
    starts, lengths = splits[:-1], np.diff(splits)
    if isinstance(first, (int, np.integer)):
        j = int(first)
        pos = np.where(j < 0, lengths + j, j)
        bad = (pos < 0) | (pos >= lengths)
        if bad.any():
            r = int(np.argmax(bad))
            raise _error(
                op, f"index {j} along axis 1 is out of range for row {r} of length {lengths[r]}"
            )
        out = _take(rt._values, (starts + pos).astype(np.int64), device)
        return out[(slice(None),) + rest] if rest else out
    if isinstance(first, slice):
        picked, new_lengths = [], []
        for s, length in zip(starts, lengths):
            idx = np.arange(length)[first]
            picked.append(s + idx)
            new_lengths.append(len(idx))
        order = np.concatenate(picked).astype(np.int64) if picked else np.zeros(0, np.int64)
        values = _take(rt._values, order, device)
        if rest:
            if isinstance(values, RaggedTensor):
                values = _inner(values, rest, op)
            else:
                values = values[(slice(None),) + rest]
        return RaggedTensor.from_row_lengths(
            values, np.asarray(new_lengths, np.int64), validate=False
        )
    raise TypeError(f"{op}: expected an int or a slice for axis 1, received {type(first).__name__}")


# Installed here, not defined in ragged_tensor.py, because this module imports that one.
RaggedTensor.__getitem__ = getitem
