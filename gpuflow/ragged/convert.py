"""RaggedTensor to dense (``to_tensor``) and to sparse, differentiable in the flat values."""

from __future__ import annotations

import numpy as np

from .._string_arrays import to_bytes
from ..ops.shape import concat, reshape
from ..sparse._segment import SegmentSum
from ..tensor import Tensor
from .ragged_tensor import RaggedTensor, _error


def _positions(rt: RaggedTensor):
    """``(row id, position in row)`` of each value of ``rt``'s first ragged axis."""
    device = rt._row_splits._device
    xp = device.xp
    rows = rt.value_rowids()._data
    cols = xp.arange(len(rows), dtype=np.int64) - rt._row_splits._data[rows]
    return rows, cols


def _dense_values(rt: RaggedTensor, default_value):
    values = rt._values
    if isinstance(values, RaggedTensor):
        return to_tensor(values, default_value, None)
    return values


def to_tensor(rt: RaggedTensor, default_value=None, shape=None) -> Tensor:
    """See :meth:`RaggedTensor.to_tensor`."""
    values = _dense_values(rt, default_value)
    device = values._device
    xp = device.xp
    rows, cols = _positions(rt)
    nrows = rt.nrows_int()
    lengths = rt.row_lengths()._data
    width = int(lengths.max()) if nrows and len(lengths) else 0
    inner = list(values.shape[1:])
    flat_index = rows * width + cols
    if values._data.dtype.kind == "O":  # tf.string values: place them on the host
        dense = _dense_strings(values, flat_index, nrows * width, default_value)
    else:
        dense = SegmentSum(flat_index, nrows * width)(values)
    if values._data.dtype.kind != "O" and default_value is not None and not _is_zero(default_value):
        filled = xp.ones(nrows * width, dtype=bool)
        filled[flat_index] = False
        mask = filled.reshape((-1,) + (1,) * len(inner)).astype(values.dtype)
        pad = Tensor._wrap(mask * xp.asarray(_host(default_value), dtype=values.dtype), device)
        if values.dtype.kind == "b":  # bools have no +: the padding is an or
            from ..ops.math import logical_or

            dense = logical_or(dense, pad)
        else:
            dense = dense + pad
    dense = reshape(dense, [nrows, width] + inner)
    if shape is not None:
        dense = _fit_shape(dense, shape, default_value)
    return dense


def _dense_strings(values: Tensor, flat_index, size: int, default_value) -> Tensor:
    fill = b"" if default_value is None else _one_string(default_value)
    out = np.empty((size,) + tuple(values.shape[1:]), dtype=object)
    out[...] = fill
    out[flat_index] = values._data
    return Tensor._wrap(out, values._device)


def _one_string(value) -> bytes:
    return to_bytes(value.numpy() if isinstance(value, Tensor) else value, "to_tensor")


def _is_zero(value) -> bool:
    return bool(np.all(_host(value) == 0))


def _host(value):
    return value.numpy() if isinstance(value, Tensor) else np.asarray(value)


def _fit_shape(dense: Tensor, shape, default_value) -> Tensor:
    """Crop or pad ``dense`` to ``shape`` (None entries keep the size)."""
    target = [
        None if n is None or n == -1 else int(n)
        for n in (shape.as_list() if hasattr(shape, "as_list") else list(shape))
    ]
    if len(target) != dense.ndim:
        raise _error(
            "RaggedTensor.to_tensor",
            f"shape {list(shape)} must have {dense.ndim} entries for a tensor of shape "
            f"{tuple(dense.shape)}",
        )
    if dense._data.dtype.kind == "O":  # tf.string
        fill_value = b"" if default_value is None else _one_string(default_value)
    else:
        fill_value = 0 if default_value is None else _host(default_value).item()
    for axis, n in enumerate(target):
        have = dense.shape[axis]
        if n is None or n == have:
            continue
        if n < have:
            index = (slice(None),) * axis + (slice(0, n),)
            dense = dense[index]
        else:
            pad_shape = list(dense.shape)
            pad_shape[axis] = n - have
            pad = Tensor._wrap(
                dense._device.xp.full(pad_shape, fill_value, dtype=dense.dtype), dense._device
            )
            dense = concat([dense, pad], axis)
    return dense


def to_sparse(rt: RaggedTensor):
    """The SparseTensor with an entry per flat value (ragged axes become index columns)."""
    from ..sparse import SparseTensor

    flat = rt.flat_values
    if flat.ndim > 1:
        raise _error(
            "RaggedTensor.to_sparse",
            f"expected scalar flat values, received flat values of shape {tuple(flat.shape)}",
        )
    xp = flat._device.xp
    chain = []
    level = rt
    while isinstance(level, RaggedTensor):
        chain.append(level)
        level = level._values
    parent, cols = _positions(chain[-1])
    columns = [cols]
    for outer in reversed(chain[:-1]):  # map each value's row up one level at a time
        rows, cols = _positions(outer)
        columns.insert(0, cols[parent])
        parent = rows[parent]
    columns.insert(0, parent)
    indices = xp.stack(columns, axis=1).astype(np.int64)
    shape = [rt.nrows_int()] + [int(c.max()) + 1 if len(c) else 0 for c in columns[1:]]
    return SparseTensor._trusted(indices, flat, shape)


def from_sparse(st_input, name=None, row_splits_dtype="int64") -> RaggedTensor:
    """``RaggedTensor.from_sparse``: row i holds the values of a 2-D SparseTensor's row i in
    index order. As TensorFlow, the SparseTensor must be right-ragged (each row's entries
    at columns 0, 1, 2, ... with no gaps), as ``RaggedTensor.to_sparse`` makes them."""
    from ..sparse import SparseTensor

    op = "RaggedTensor.from_sparse"
    if not isinstance(st_input, SparseTensor):
        raise TypeError(f"{op}: expected a SparseTensor, received {type(st_input).__name__}")
    indices = st_input.indices.numpy()
    shape = st_input.dense_shape.numpy().tolist()
    if len(shape) != 2:
        raise ValueError(f"{op}: rank(st_input) must be 2, received rank {len(shape)}")
    keys = indices[:, 0] * max(shape[1], 1) + indices[:, 1]
    if len(keys) > 1 and not bool((keys[1:] > keys[:-1]).all()):
        raise _error(
            op, "the SparseTensor's indices must be in row-major order (tf.sparse.reorder)"
        )
    rows = indices[:, 0]
    columns = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    gaps = np.flatnonzero(indices[:, 1] != columns)
    if gaps.size:
        raise _error(
            op,
            f"SparseTensor is not right-ragged: entry {int(gaps[0])} is at "
            f"{indices[gaps[0]].tolist()}, where column {int(columns[gaps[0]])} was expected "
            "(each row's entries must fill columns 0, 1, 2, ...)",
        )
    return RaggedTensor.from_value_rowids(st_input.values, indices[:, 0], nrows=shape[0])


# RaggedTensor's conversion methods: installed here, not defined in ragged_tensor.py,
# because they need this module, which imports that one (arrows point down).
def _to_tensor_method(self, default_value=None, name=None, shape=None) -> Tensor:
    """A dense tensor padded with ``default_value`` (0); ``shape`` crops or pads to a size.

    Differentiable in the flat values.
    """
    return to_tensor(self, default_value, shape)


def _to_sparse_method(self, name=None):
    """The SparseTensor with an entry per value, indexed (row, position in row, ...)."""
    return to_sparse(self)


_to_tensor_method.__name__ = "to_tensor"
_to_sparse_method.__name__ = "to_sparse"
RaggedTensor.to_tensor = _to_tensor_method
RaggedTensor.to_sparse = _to_sparse_method
RaggedTensor.from_sparse = staticmethod(from_sparse)
