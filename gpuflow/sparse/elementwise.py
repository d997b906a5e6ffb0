"""More ``tf.sparse`` ops: per-value maps, element-wise max/min, softmax, transposes, splits,
identity matrices, and the segment reductions and bincount that take sparse positions.

Values move through differentiable gathers and segment sums (as in ``ops.py``); indices
are computed with the device's array module.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..indexed_slices import IndexedSlices
from ..ops._common import as_tensor
from ..ops.indexing import gather
from ..ops.math import maximum as dense_maximum
from ..ops.math import minimum as dense_minimum
from ..tensor import Tensor
from ._segment import SegmentSum
from .ops import _check, _error, _flat, _unflat, reorder
from .ops import slice as sparse_slice
from .sparse_tensor import SparseTensor


def map_values(op, *args, **kwargs):
    """``op`` applied to the values of the SparseTensors among ``args`` and ``kwargs`` (all
    with the same positions), as a SparseTensor at those positions.

    Raises:
        ValueError: when no argument is a SparseTensor.
        InvalidArgumentError: when their positions differ (as TensorFlow).
    """
    sparse = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not sparse:
        raise ValueError("sparse.map_values: No SparseTensor in argument list of map_values")
    first = sparse[0]
    xp = first.values._device.xp
    for other in sparse[1:]:
        if list(other.shape) != list(first.shape) or not (
            other.indices._data.shape == first.indices._data.shape
            and bool(xp.all(other.indices._data == first.indices._data))
        ):
            raise _error(
                "sparse.map_values",
                "the SparseTensors must have the same indices and dense_shape; received "
                f"shapes {list(first.shape)} and {list(other.shape)}",
            )

    def values(a):
        return a.values if isinstance(a, SparseTensor) else a

    out = op(*[values(a) for a in args], **{k: values(v) for k, v in kwargs.items()})
    return SparseTensor._trusted(first.indices._data, as_tensor(out), first.shape)


def _on_union(a: SparseTensor, b: SparseTensor, op: str):
    """Both operands' values on the union of their positions (0 where one has none)."""
    _check(a, op)
    _check(b, op)
    if list(a.shape) != list(b.shape):
        raise _error(op, f"dense shapes differ: {list(a.shape)} and {list(b.shape)}")
    xp = a.values._device.xp
    flat_a = _flat(a.indices._data, a.shape, xp)
    flat_b = _flat(b.indices._data, b.shape, xp)
    union = xp.unique(xp.concatenate([flat_a, flat_b]))
    count = len(union)
    on_a = SegmentSum(xp.searchsorted(union, flat_a), count)(a.values)
    on_b = SegmentSum(xp.searchsorted(union, flat_b), count)(b.values)
    return _unflat(union, list(a.shape), xp), on_a, on_b


def maximum(sp_a, sp_b, name=None) -> SparseTensor:
    """Element-wise maximum of two SparseTensors of one shape, on the union of their
    positions (a missing entry counts as 0), as ``tf.sparse.maximum``."""
    indices, a, b = _on_union(sp_a, sp_b, "sparse.maximum")
    return SparseTensor._trusted(indices, dense_maximum(a, b), sp_a.shape)


def minimum(sp_a, sp_b, name=None) -> SparseTensor:
    """Element-wise minimum of two SparseTensors (see :func:`maximum`)."""
    indices, a, b = _on_union(sp_a, sp_b, "sparse.minimum")
    return SparseTensor._trusted(indices, dense_minimum(a, b), sp_a.shape)


def softmax(sp_input, name=None) -> SparseTensor:
    """Softmax over the last dimension, among each row's present entries only (missing
    entries are not zeros here: they stay missing), as ``tf.sparse.softmax``."""
    from ..ops.math import exp
    from ..ops.math_more import unsorted_segment_max

    sp = reorder(_check(sp_input, "sparse.softmax"))
    if sp.ndim < 2:
        raise _error("sparse.softmax", f"expected a rank >= 2 input, received rank {sp.ndim}")
    if not dtypes.as_dtype(sp.dtype).is_floating:
        raise TypeError(f"sparse.softmax: expected floating values, received {sp.dtype.name}")
    xp = sp.values._device.xp
    rows = _flat(sp.indices._data[:, :-1], list(sp.shape)[:-1], xp)
    _, row_ids = xp.unique(rows, return_inverse=True)
    row_ids = row_ids.reshape(-1)
    count = int(row_ids.max()) + 1 if len(row_ids) else 0
    ids = Tensor._wrap(row_ids, sp.values._device)
    v = sp.values
    peak = unsorted_segment_max(v, ids, count)
    e = exp(v - gather(peak, ids))
    total = SegmentSum(row_ids, count)(e)
    return SparseTensor._trusted(sp.indices._data, e / gather(total, ids), sp.shape)


def transpose(sp_input, perm=None, name=None) -> SparseTensor:
    """The SparseTensor with its dimensions permuted by ``perm`` (reversed by default),
    entries in row-major order."""
    sp = _check(sp_input, "sparse.transpose")
    rank = sp.ndim
    perm = list(range(rank))[::-1] if perm is None else [int(p) for p in np.asarray(perm)]
    if sorted(perm) != list(range(rank)):
        raise _error(
            "sparse.transpose", f"perm must be a permutation of 0..{rank - 1}, received {perm}"
        )
    shape = [sp.shape[p] for p in perm]
    moved = SparseTensor._trusted(sp.indices._data[:, perm], sp.values, shape)
    return reorder(moved)


def expand_dims(sp_input, axis=None, name=None) -> SparseTensor:
    """A size-1 dimension inserted at ``axis`` (negative counts from the end; default -1)."""
    sp = _check(sp_input, "sparse.expand_dims")
    rank = sp.ndim
    axis = -1 if axis is None else int(axis)
    if not -rank - 1 <= axis <= rank:
        raise _error("sparse.expand_dims", f"axis {axis} out of range for a rank {rank} input")
    axis = axis + rank + 1 if axis < 0 else axis
    xp = sp.values._device.xp
    idx = sp.indices._data
    zeros = xp.zeros((idx.shape[0], 1), idx.dtype)
    indices = xp.concatenate([idx[:, :axis], zeros, idx[:, axis:]], axis=1)
    shape = list(sp.shape)
    shape.insert(axis, 1)
    return SparseTensor._trusted(indices, sp.values, shape)


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None) -> SparseTensor:
    """The ``num_rows x num_columns`` identity as a SparseTensor."""
    rows = int(num_rows)
    cols = rows if num_columns is None else int(num_columns)
    if rows < 0 or cols < 0:
        raise ValueError(f"sparse.eye: sizes must be >= 0, received {rows} x {cols}")
    n = min(rows, cols)
    diagonal = np.arange(n, dtype=np.int64)
    values = Tensor(np.ones(n, dtypes.as_dtype(dtype).as_numpy_dtype))
    device = values._device
    indices = device.asarray(np.stack([diagonal, diagonal], axis=1))
    return SparseTensor._trusted(indices, values, [rows, cols])


def split(sp_input=None, num_split=None, axis=None, name=None, keyword_required=None) -> list:
    """``num_split`` SparseTensors cut along ``axis``; the first ``size % num_split`` pieces
    are one larger, as ``tf.sparse.split``."""
    sp = _check(sp_input, "sparse.split")
    if num_split is None or axis is None:
        raise ValueError("sparse.split: num_split and axis are required")
    num_split, axis = int(num_split), int(axis)
    rank = sp.ndim
    if not -rank <= axis < rank:
        raise _error("sparse.split", f"axis {axis} is out of range for a rank {rank} input")
    axis %= rank
    size = sp.shape[axis]
    if num_split < 1 or num_split > max(size, 1):
        raise _error(
            "sparse.split", f"num_split {num_split} must be in 1..{size} (the size of axis {axis})"
        )
    pieces, start = [], 0
    for i in range(num_split):
        length = size // num_split + (1 if i < size % num_split else 0)
        begin = [0] * rank
        extent = list(sp.shape)
        begin[axis], extent[axis] = start, length
        pieces.append(sparse_slice(sp, begin, extent))
        start += length
    return pieces


def reset_shape(sp_input, new_shape=None) -> SparseTensor:
    """The SparseTensor with ``new_shape`` (each size at least the old one), or with the
    smallest shape that holds its indices."""
    sp = _check(sp_input, "sparse.reset_shape")
    idx = sp.indices._data
    if new_shape is None:
        shape = (idx.max(axis=0) + 1).tolist() if len(idx) else [0] * sp.ndim
        return SparseTensor._trusted(idx, sp.values, shape)
    shape = [int(n) for n in np.asarray(new_shape).reshape(-1)]
    if len(shape) != sp.ndim or any(n < o for n, o in zip(shape, sp.shape)):
        raise _error(
            "sparse.reset_shape",
            f"new_shape {shape} must have rank {sp.ndim} and sizes >= {list(sp.shape)}",
        )
    return SparseTensor._trusted(idx, sp.values, shape)


def mask(a, mask_indices, name=None) -> IndexedSlices:
    """The IndexedSlices ``a`` without the rows whose index is in ``mask_indices``."""
    if not isinstance(a, IndexedSlices):
        raise TypeError(f"sparse.mask: expected IndexedSlices, received {type(a).__name__}")
    indices = np.asarray(as_tensor(a.indices).numpy())
    keep = np.nonzero(~np.isin(indices, np.asarray(as_tensor(mask_indices).numpy())))[0]
    values = as_tensor(a.values)
    kept = Tensor._wrap(values._device.asarray(keep), values._device)
    return IndexedSlices(
        gather(values, kept), as_tensor(indices[keep]), getattr(a, "dense_shape", None)
    )


def _segment(data, indices, segment_ids, num_segments, op: str, scale):
    from ..ops.math_extra import segment_sum as dense_segment_sum
    from ..ops.math_extra import unsorted_segment_sum

    rows = gather(as_tensor(data), as_tensor(indices))
    ids = as_tensor(segment_ids)
    if tuple(ids.shape) != (rows.shape[0],):
        raise ValueError(
            f"{op}: expected one segment id per index ({rows.shape[0]}), received shape "
            f"{tuple(ids.shape)}"
        )
    if num_segments is None:
        total = dense_segment_sum(rows, ids)
        count = int(total.shape[0])
    else:
        count = int(num_segments)
        total = unsorted_segment_sum(rows, ids, count)
    if scale is None:
        return total
    sizes = np.bincount(np.asarray(ids.numpy()).reshape(-1), minlength=count)[:count]
    denominator = scale(np.maximum(sizes, 1).astype(np.float64))
    shape = (count,) + (1,) * (len(total.shape) - 1)
    return total / Tensor(denominator.reshape(shape).astype(total.dtype.as_numpy_dtype))


def segment_sum(data, indices, segment_ids, num_segments=None, name=None) -> Tensor:
    """``segment_sum(gather(data, indices), segment_ids)``, as ``tf.sparse.segment_sum``."""
    return _segment(data, indices, segment_ids, num_segments, "sparse.segment_sum", None)


def segment_mean(data, indices, segment_ids, num_segments=None, name=None) -> Tensor:
    """The mean of the gathered rows of each segment (0 for an empty one)."""
    return _segment(data, indices, segment_ids, num_segments, "sparse.segment_mean", lambda n: n)


def segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None) -> Tensor:
    """The sum of the gathered rows of each segment over the square root of its size."""
    return _segment(data, indices, segment_ids, num_segments, "sparse.segment_sqrt_n", np.sqrt)


def bincount(
    values,
    weights=None,
    axis=0,
    minlength=None,
    maxlength=None,
    binary_output=False,
    name=None,
) -> SparseTensor:
    """Counts of each value (or sums of ``weights``) as a SparseTensor: over everything with
    ``axis=0``, per row of a 2-D input with ``axis=-1``; ``values`` dense, sparse or ragged."""
    rows, flat, w = _bincount_inputs(values, weights)
    if axis not in (0, -1):
        raise ValueError(f"sparse.bincount: axis must be 0 or -1, received {axis}")
    if len(flat) and flat.min() < 0:
        raise _error("sparse.bincount", "values must be non-negative")
    size = int(flat.max()) + 1 if len(flat) else 0
    if minlength is not None:
        size = max(size, int(minlength))
    if maxlength is not None:
        keep = flat < int(maxlength)
        rows, flat, w = rows[keep], flat[keep], None if w is None else w[keep]
        size = min(size, int(maxlength))
    # without weights the counts take the values' integer dtype, as TF (its empty weights
    # tensor has the values' dtype)
    dtype = _values_dtype(values) if w is None else w.dtype
    if axis == 0:
        rows = np.zeros_like(flat)
    n_rows = int(rows.max()) + 1 if axis == -1 and len(rows) else 1
    counts = np.zeros((n_rows, size), dtype)
    np.add.at(counts, (rows, flat), 1 if w is None else w)
    if binary_output:
        counts = (counts != 0).astype(dtype)
    nz = np.nonzero(counts)
    if axis == 0:
        indices = np.stack([nz[1]], axis=1).astype(np.int64)
        return SparseTensor(indices, counts[nz], [size])
    indices = np.stack(nz, axis=1).astype(np.int64)
    return SparseTensor(indices, counts[nz], [_row_count(values, n_rows), size])


def _bincount_inputs(values, weights):
    """``(row of each value, values, weights)`` as NumPy arrays for :func:`bincount`."""
    w = None
    if isinstance(values, SparseTensor):
        idx = np.asarray(values.indices.numpy())
        flat = np.asarray(values.values.numpy()).astype(np.int64)
        rows = idx[:, 0] if idx.shape[1] else np.zeros(len(flat), np.int64)
        if weights is not None:
            w = np.asarray((weights.values if isinstance(weights, SparseTensor) else weights))
    elif type(values).__name__ == "RaggedTensor":
        flat = np.asarray(values.flat_values.numpy()).astype(np.int64).reshape(-1)
        rows = np.asarray(values.value_rowids().numpy()).astype(np.int64)
        if weights is not None:
            w = np.asarray(getattr(weights, "flat_values", weights)).reshape(-1)
    else:
        array = np.asarray(as_tensor(values).numpy())
        if array.ndim > 2:
            raise ValueError(
                f"sparse.bincount: expected values of rank 1 or 2, received rank {array.ndim}"
            )
        array2 = array.reshape(1, -1) if array.ndim < 2 else array
        rows = np.repeat(np.arange(array2.shape[0]), array2.shape[1])
        flat = array2.reshape(-1).astype(np.int64)
        if weights is not None:
            w = np.asarray(as_tensor(weights).numpy()).reshape(-1)
    if w is not None and len(w) != len(flat):
        raise ValueError(
            f"sparse.bincount: weights must match values; {len(w)} weights for {len(flat)} values"
        )
    return rows.astype(np.int64), flat, w


def _values_dtype(values) -> np.dtype:
    if isinstance(values, SparseTensor):
        values = values.values
    elif type(values).__name__ == "RaggedTensor":
        values = values.flat_values
    return np.dtype(as_tensor(values).dtype.as_numpy_dtype)


def _row_count(values, counted: int) -> int:
    if isinstance(values, SparseTensor):
        return int(values.shape[0])
    if type(values).__name__ == "RaggedTensor":
        return int(values.nrows())
    shape = as_tensor(values).shape
    return int(shape[0]) if len(shape) == 2 else counted
