"""``tf.sparse.eye``, ``minimum``, ``maximum``, ``softmax`` and ``split``: sparse results
built from the entries, without densifying (values stay differentiable)."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..ops import math as _math
from ..ops.indexing import gather, scatter_nd
from ..tensor import Tensor
from .ops import _check, _error, _flat, reorder
from .sparse_tensor import SparseTensor


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None) -> SparseTensor:
    """A two-dimensional SparseTensor with ones on the diagonal."""
    rows = int(num_rows)
    cols = rows if num_columns is None else int(num_columns)
    if rows < 0 or cols < 0:
        raise _error(
            "sparse.eye", f"num_rows and num_columns must be >= 0, received {rows}, {cols}"
        )
    n = min(rows, cols)
    indices = np.stack([np.arange(n), np.arange(n)], axis=1).astype(np.int64).reshape(n, 2)
    values = Tensor(np.ones(n, dtype=dtypes.as_dtype(dtype, "sparse.eye").as_numpy_dtype))
    return SparseTensor._trusted(values._device.asarray(indices), values, [rows, cols])


def _union(sp_a, sp_b, op: str, combine) -> SparseTensor:
    a, b = _check(sp_a, op), _check(sp_b, op)
    if tuple(a.shape) != tuple(b.shape):
        raise _error(
            op, f"operands must have one dense shape, received {list(a.shape)} and {list(b.shape)}"
        )
    ia, ib = a.indices.numpy(), b.indices.numpy()
    fa, fb = _flat(ia, a.shape, np), _flat(ib, b.shape, np)
    keys, first = np.unique(np.concatenate([fa, fb]), return_index=True)
    indices = np.concatenate([ia, ib])[first].reshape(len(keys), len(a.shape))
    n = len(keys)
    pos_a = np.searchsorted(keys, fa).reshape(-1, 1)
    pos_b = np.searchsorted(keys, fb).reshape(-1, 1)
    left = scatter_nd(pos_a, a.values, [n])  # absent entries are the implicit zeros
    right = scatter_nd(pos_b, b.values, [n])
    values = combine(left, right)
    return SparseTensor._trusted(values._device.asarray(indices.astype(np.int64)), values, a.shape)


def minimum(sp_a, sp_b, name=None) -> SparseTensor:
    """Element-wise minimum of two SparseTensors of one shape (absent entries are 0)."""
    return _union(sp_a, sp_b, "sparse.minimum", _math.minimum)


def maximum(sp_a, sp_b, name=None) -> SparseTensor:
    """Element-wise maximum of two SparseTensors of one shape (absent entries are 0)."""
    return _union(sp_a, sp_b, "sparse.maximum", _math.maximum)


def softmax(sp_input, name=None) -> SparseTensor:
    """Softmax over the entries of each innermost row (absent entries take no part)."""
    from ..ops.math_extra import unsorted_segment_sum
    from ..ops.math_more import unsorted_segment_max

    sp = reorder(_check(sp_input, "sparse.softmax"))
    if len(sp.shape) < 2:
        raise _error(
            "sparse.softmax", f"expected a SparseTensor of rank >= 2, received {list(sp.shape)}"
        )
    rows = _flat(sp.indices.numpy()[:, :-1], sp.shape[:-1], np)
    _, row_ids = np.unique(rows, return_inverse=True)
    count = int(row_ids.max()) + 1 if len(row_ids) else 0
    ids = Tensor(row_ids.astype(np.int64), device=sp.values._device)
    shifted = sp.values - gather(unsorted_segment_max(sp.values, ids, count), ids)
    e = _math.exp(shifted)
    values = e / gather(unsorted_segment_sum(e, ids, count), ids)
    return SparseTensor._trusted(sp.indices._data, values, sp.shape)


def split(sp_input=None, num_split=None, axis=None, name=None) -> list:
    """``num_split`` SparseTensors along ``axis``; when the size does not divide evenly,
    the first ``size % num_split`` pieces are one larger, as TensorFlow."""
    op = "sparse.split"
    sp = _check(sp_input, op)
    rank = len(sp.shape)
    if num_split is None or axis is None:
        raise _error(op, "num_split and axis are required")
    num, ax = int(num_split), int(axis)
    if not -rank <= ax < rank:
        raise _error(op, f"axis {ax} is out of range for a SparseTensor of rank {rank}")
    ax %= rank
    size = int(sp.shape[ax])
    if num < 1 or num > max(size, 1):
        raise _error(op, f"num_split must be in [1, {size}], received {num}")
    base, extra = divmod(size, num)
    indices = sp.indices.numpy()
    out, start = [], 0
    for i in range(num):
        width = base + (1 if i < extra else 0)
        keep = np.nonzero((indices[:, ax] >= start) & (indices[:, ax] < start + width))[0]
        piece = indices[keep].copy()
        piece[:, ax] -= start
        shape = list(sp.shape)
        shape[ax] = width
        values = gather(sp.values, Tensor(keep.astype(np.int64), device=sp.values._device))
        out.append(SparseTensor._trusted(values._device.asarray(piece), values, shape))
        start += width
    return out
