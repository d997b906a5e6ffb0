"""``tf.sparse.reduce_sum`` / ``reduce_max``: reductions over the stored values only."""

from __future__ import annotations

import numpy as np

from ..ops.shape import reshape as dense_reshape
from ..tensor import Tensor
from ._segment import SegmentMax, SegmentSum
from .ops import _check, _error, _flat, _unflat
from .sparse_tensor import SparseTensor


def _axes(axis, rank: int, op: str) -> tuple:
    if axis is None:
        return tuple(range(rank))
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    for a in axes:
        if not -rank <= int(a) < rank:
            raise _error(op, f"axis {a} is out of range for a SparseTensor of rank {rank}")
    return tuple(sorted({int(a) % rank for a in axes}))


def _reduce(sp, axis, keepdims, output_is_sparse, op, fn):
    sp = _check(sp, op)
    axes = _axes(axis, sp.ndim, op)
    xp = sp.values._device.xp
    kept = [i for i in range(sp.ndim) if i not in axes]
    out_shape = [sp.shape[i] for i in kept]
    keys = _flat(sp.indices._data[:, kept], out_shape, xp)
    final_shape = [1 if i in axes else n for i, n in enumerate(sp.shape)] if keepdims else out_shape
    if output_is_sparse:
        positions, ids = xp.unique(keys, return_inverse=True)
        values = fn(ids.reshape(-1), len(positions))(sp.values)
        indices = _unflat(positions, out_shape, xp)
        if keepdims:
            full = xp.zeros((len(positions), sp.ndim), dtype=np.int64)
            full[:, kept] = indices
            indices = full
        return SparseTensor._trusted(indices, values, final_shape)
    size = int(np.prod(out_shape, dtype=np.int64))
    return dense_reshape(fn(keys, size)(sp.values), final_shape)


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse: bool = False, name=None):
    """Sum of the stored values over ``axis`` (all axes if None); differentiable in the values.

    Returns:
        a dense Tensor, or a SparseTensor of the non-empty sums with ``output_is_sparse``.
    """
    return _reduce(
        sp_input, axis, bool(keepdims), output_is_sparse, "sparse.reduce_sum", SegmentSum
    )


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse: bool = False, name=None):
    """Maximum of the stored values over ``axis``; the implicit zeros do not take part.

    As in TensorFlow, a position with no stored value gives 0 in the dense result (and is
    absent from the sparse one). Differentiable in the values (ties share the gradient).
    """
    return _reduce(
        sp_input, axis, bool(keepdims), output_is_sparse, "sparse.reduce_max", SegmentMax
    )


__all__ = ["reduce_max", "reduce_sum"]
