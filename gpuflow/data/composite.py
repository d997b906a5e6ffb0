"""Ragged and sparse dataset elements: their host leaves and one function per operation.

A dataset element's leaf is a host NumPy array (a dense tensor), a :class:`RaggedValue`
(a ``tf.RaggedTensor``) or a :class:`SparseValue` (a ``tf.SparseTensor``). The two value
classes hold host NumPy arrays only, as the pipeline keeps everything on the host; they
become gpuflow RaggedTensors / SparseTensors on the pass's device where the user sees
them (:func:`to_tensor`). ``structure.py`` calls the functions here for these leaves:

- :func:`from_value`: a user's RaggedTensor / SparseTensor as a leaf;
- :func:`spec_of`, :func:`batched_spec`, :func:`unbatched_spec`, :func:`merge_specs`;
- :func:`stack` (``batch``), :func:`unstack` (``unbatch``, ``from_tensor_slices``);
- :func:`to_tensor` (iteration), :func:`numpy_value` (``as_numpy_iterator``);
- :func:`zeros` (a stand-in element of a spec).

As in TensorFlow, slicing a RaggedTensor of ragged_rank 1 along its rows gives dense rows
that are still ragged components (``RaggedTensorSpec`` of ragged_rank 0): they reach the
user as Tensors, and batching them makes a RaggedTensor again. A RaggedValue of
ragged_rank 0 is such a row.
"""

from __future__ import annotations

import numpy as np

from .. import _string_arrays, dtypes
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from ..tensor_spec import RaggedTensorSpec, TensorSpec
from ..type_specs import SparseTensorSpec

_OBJECT = _string_arrays.OBJECT


class RaggedValue:
    """A ragged component on the host: ``flat_values`` and ``nested_row_splits`` (int64,
    outermost first; empty for a ragged_rank-0 row)."""

    __slots__ = ("flat_values", "nested_row_splits")

    def __init__(self, flat_values: np.ndarray, nested_row_splits: tuple = ()) -> None:
        self.flat_values = flat_values
        self.nested_row_splits = tuple(nested_row_splits)

    @property
    def ragged_rank(self) -> int:
        return len(self.nested_row_splits)

    @property
    def dtype(self):
        return self.flat_values.dtype

    @property
    def nrows(self) -> int:
        splits = self.nested_row_splits
        return len(splits[0]) - 1 if splits else int(self.flat_values.shape[0])

    @property
    def shape(self) -> tuple:
        """``(nrows, None, ..., inner dims)``; a ragged_rank-0 row's exact shape."""
        inner = tuple(self.flat_values.shape[1:])
        return (self.nrows,) + (None,) * self.ragged_rank + inner

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"RaggedValue(ragged_rank={self.ragged_rank}, shape={self.shape})"


class SparseValue:
    """A sparse component on the host: ``indices`` int64 [N, rank], ``values`` [N] and
    ``dense_shape`` (a tuple of ints)."""

    __slots__ = ("indices", "values", "dense_shape")

    def __init__(self, indices: np.ndarray, values: np.ndarray, dense_shape) -> None:
        self.indices = indices
        self.values = values
        self.dense_shape = tuple(int(n) for n in dense_shape)

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self) -> tuple:
        return self.dense_shape

    @property
    def ndim(self) -> int:
        return len(self.dense_shape)

    def __repr__(self) -> str:
        return f"SparseValue(dense_shape={list(self.dense_shape)}, nnz={len(self.values)})"


#: The leaf types besides dense NumPy arrays.
LEAF_TYPES = (RaggedValue, SparseValue)


def _host_array(t: Tensor) -> np.ndarray:
    return t._data if t._data.dtype is _OBJECT else np.asarray(t.numpy())


def is_composite(value) -> bool:
    """Whether ``value`` is a gpuflow RaggedTensor or SparseTensor."""
    return getattr(type(value), "_is_composite_tensor", False) and (
        hasattr(value, "ragged_rank") or hasattr(value, "dense_shape")
    )


def from_value(value):
    """A gpuflow RaggedTensor or SparseTensor as a host leaf."""
    if hasattr(value, "ragged_rank"):
        splits = tuple(np.asarray(s.numpy(), dtype=np.int64) for s in value.nested_row_splits)
        return RaggedValue(_host_array(value.flat_values), splits)
    return SparseValue(
        np.asarray(value.indices.numpy(), dtype=np.int64).reshape(-1, value.ndim),
        _host_array(value.values),
        tuple(value.shape),
    )


# -- specs ------------------------------------------------------------------------------
def spec_of(leaf):
    if isinstance(leaf, RaggedValue):
        return RaggedTensorSpec(leaf.shape, leaf.dtype, leaf.ragged_rank, dtypes.int64)
    return SparseTensorSpec(leaf.dense_shape, leaf.dtype)


def is_composite_spec(spec) -> bool:
    return isinstance(spec, (RaggedTensorSpec, SparseTensorSpec))


def _dims(spec):
    shape = spec.shape
    if shape is None or getattr(shape, "rank", 0) is None:
        return None
    return tuple(shape)


def batched_spec(spec, batch_dim):
    """A ragged or sparse spec with a leading batch dimension (one more ragged dimension)."""
    dims = _dims(spec)
    shape = None if dims is None else (batch_dim,) + dims
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank + 1, spec.row_splits_dtype)
    return SparseTensorSpec(shape, spec.dtype)


def unbatched_spec(spec, op: str, whole):
    """A ragged or sparse spec without its leading dimension. A ragged_rank-0 component
    unbatches into dense scalars-or-rows (TensorFlow keeps a RaggedTensorSpec of ragged_rank
    -1 there; gpuflow gives the TensorSpec of what the elements are)."""
    dims = _dims(spec)
    if dims is not None and len(dims) == 0:
        raise ValueError(
            f"{op}: every component must have a batch dimension, received "
            f"a scalar component in {whole!r}"
        )
    shape = None if dims is None else dims[1:]
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(shape, spec.dtype)
    if spec.ragged_rank == 0:
        return TensorSpec(shape, spec.dtype)
    return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank - 1, spec.row_splits_dtype)


def merge_specs(a, b):
    """The most specific spec of both kinds' values, or None when they cannot merge."""
    if type(a) is not type(b) or a.dtype != b.dtype:
        return None
    da, db = _dims(a), _dims(b)
    shape = None
    if da is not None and db is not None and len(da) == len(db):
        shape = tuple(x if x == y else None for x, y in zip(da, db))
    if isinstance(a, SparseTensorSpec):
        return SparseTensorSpec(shape, a.dtype)
    if a.ragged_rank != b.ragged_rank:
        return None
    return RaggedTensorSpec(shape, a.dtype, a.ragged_rank, a.row_splits_dtype)


def zeros(spec):
    """A stand-in value of ``spec`` (unknown dimensions 1, no stored values)."""
    dims = [1 if d is None else d for d in (_dims(spec) or ())]
    dtype = np.dtype(object) if spec.dtype == "string" else np.dtype(spec.dtype)
    if isinstance(spec, SparseTensorSpec):
        return SparseValue(np.zeros((0, len(dims)), np.int64), np.zeros(0, dtype), tuple(dims))
    k = spec.ragged_rank
    if k == 0:
        return RaggedValue(np.zeros(dims, dtype))
    splits = (np.zeros(dims[0] + 1, np.int64),) + tuple(np.zeros(1, np.int64) for _ in range(k - 1))
    return RaggedValue(np.zeros([0] + dims[k + 1 :], dtype), splits)


# -- batch and unbatch ------------------------------------------------------------------
def stack(column, op: str, c: int):
    """Batch one component's values (RaggedValues or SparseValues) into one value."""
    first = column[0]
    for j, v in enumerate(column):
        if type(v) is not type(first):
            raise TypeError(
                f"{op}: component {c} mixes values of different kinds: the first element "
                f"had {_kind(first)}, element {j} had {_kind(v)}"
            )
    if isinstance(first, SparseValue):
        return _stack_sparse(column, op, c)
    return _stack_ragged(column, op, c)


def _kind(v) -> str:
    if isinstance(v, RaggedValue):
        return f"a RaggedTensor of ragged_rank {v.ragged_rank}"
    if isinstance(v, SparseValue):
        return "a SparseTensor"
    return "a dense tensor"


def _stack_ragged(column, op: str, c: int) -> RaggedValue:
    first = column[0]
    k = first.ragged_rank
    inner = first.flat_values.shape[1:]
    for j, v in enumerate(column):
        if v.ragged_rank != k or v.flat_values.shape[1:] != inner:
            raise ValueError(
                f"{op}: cannot batch the ragged values of component {c}: the first "
                f"element had shape {list(first.shape)} (ragged_rank {k}) and element {j} "
                f"had shape {list(v.shape)} (ragged_rank {v.ragged_rank}); only their "
                f"ragged dimensions may differ"
            )
    outer = np.zeros(len(column) + 1, np.int64)
    np.cumsum([v.nrows for v in column], out=outer[1:])
    levels = []
    for level in range(k):
        parts, offset = [], 0
        for v in column:
            splits = v.nested_row_splits[level]
            parts.append(splits[:-1] + offset)
            offset += int(splits[-1])
        parts.append(np.asarray([offset], np.int64))
        levels.append(np.concatenate(parts))
    flat = np.concatenate([v.flat_values for v in column])
    return RaggedValue(flat, (outer,) + tuple(levels))


def _stack_sparse(column, op: str, c: int) -> SparseValue:
    rank = column[0].ndim
    for j, v in enumerate(column):
        if v.ndim != rank:
            raise ValueError(
                f"{op}: cannot batch the SparseTensors of component {c}: the first element "
                f"had rank {rank} (dense_shape {list(column[0].dense_shape)}) and element "
                f"{j} had rank {v.ndim} (dense_shape {list(v.dense_shape)})"
            )
    shape = (len(column),) + tuple(
        max(v.dense_shape[d] for v in column) for d in range(rank)
    )  # as TensorFlow: each dimension the largest in the batch
    indices = np.concatenate(
        [
            np.concatenate([np.full((len(v.values), 1), i, np.int64), v.indices], axis=1)
            for i, v in enumerate(column)
        ]
    )
    values = np.concatenate([v.values for v in column])
    return SparseValue(indices, values, shape)


def unstack(leaf) -> list:
    """The value's rows along its first dimension (a ragged row of ragged_rank 0 is a
    RaggedValue too: it batches into a RaggedTensor again)."""
    if isinstance(leaf, SparseValue):
        return _unstack_sparse(leaf)
    if leaf.ragged_rank == 0:
        return [np.asarray(row) for row in leaf.flat_values]
    return [_ragged_row(leaf, i) for i in range(leaf.nrows)]


def _ragged_row(leaf: RaggedValue, i: int) -> RaggedValue:
    splits = leaf.nested_row_splits
    lo, hi = int(splits[0][i]), int(splits[0][i + 1])
    inner = []
    for level in splits[1:]:
        part = level[lo : hi + 1]
        inner.append(part - part[0])
        lo, hi = int(part[0]), int(part[-1])
    return RaggedValue(leaf.flat_values[lo:hi], tuple(inner))


def _unstack_sparse(leaf: SparseValue) -> list:
    n = leaf.dense_shape[0]
    first = leaf.indices[:, 0]
    order = np.argsort(first, kind="stable")  # each row keeps its entries' order
    bounds = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(first, minlength=n), out=bounds[1:])
    indices, values = leaf.indices[order][:, 1:], leaf.values[order]
    shape = leaf.dense_shape[1:]
    return [
        SparseValue(indices[bounds[i] : bounds[i + 1]], values[bounds[i] : bounds[i + 1]], shape)
        for i in range(n)
    ]


def check_sliceable(leaf, op: str) -> None:
    """``from_tensor_slices``' checks, as TensorFlow's: a SparseTensor must have rank > 1
    and its indices in row-major order, none repeated."""
    if not isinstance(leaf, SparseValue):
        return
    if leaf.ndim < 2:
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: rank of input SparseTensor should be > 1, but saw rank: {leaf.ndim}",
        )
    indices = leaf.indices
    if len(indices) < 2:
        return
    step = indices[1:] - indices[:-1]
    nonzero = step != 0
    first = np.argmax(nonzero, axis=1)  # the first column where neighbours differ
    sign = step[np.arange(len(step)), first]
    bad = np.nonzero(sign <= 0)[0]
    if len(bad):
        i = int(bad[0]) + 1
        what = "is repeated" if sign[i - 1] == 0 else "is out of order"
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: indices[{i}] = {indices[i].tolist()} {what}. Many sparse ops require "
            "sorted indices. Use `tf.sparse.reorder` to create a correctly ordered copy.",
        )


def dense_as_ragged(array: np.ndarray, ragged_rank: int) -> RaggedValue:
    """A dense array as a RaggedValue of ``ragged_rank`` (uniform rows; ``ragged_batch``)."""
    shape = array.shape
    splits = []
    for level in range(ragged_rank):
        count, length = int(np.prod(shape[: level + 1])), shape[level + 1]
        splits.append(np.arange(count + 1, dtype=np.int64) * length)
    flat = array.reshape((-1,) + shape[ragged_rank + 1 :]) if ragged_rank else array
    return RaggedValue(flat, tuple(splits))


# -- what the user sees -----------------------------------------------------------------
def _dense_tensor(array: np.ndarray, device, host) -> Tensor:
    if array.dtype is _OBJECT:
        return Tensor._wrap(array, host)
    return Tensor._wrap(device.asarray(array), device)


def to_tensor(leaf, device, host):
    """The leaf as a gpuflow RaggedTensor / SparseTensor on ``device`` (strings stay on
    ``host``); a ragged_rank-0 row as a Tensor, as TensorFlow yields it."""
    from ..ragged import RaggedTensor
    from ..sparse import SparseTensor

    if isinstance(leaf, SparseValue):
        values = _dense_tensor(leaf.values, device, host)
        indices = values._device.asarray(leaf.indices)
        return SparseTensor._trusted(indices, values, leaf.dense_shape)
    result = _dense_tensor(leaf.flat_values, device, host)
    on = result._device
    for splits in reversed(leaf.nested_row_splits):
        result = RaggedTensor(result, Tensor._wrap(on.asarray(splits), on), _internal=True)
    return result


def numpy_value(leaf):
    """What ``as_numpy_iterator`` gives, as TensorFlow: a RaggedTensor's ``numpy()`` (an
    object array of rows, or a dense array when the rows agree), a SparseTensor densified."""
    if isinstance(leaf, SparseValue):
        dtype = object if leaf.values.dtype is _OBJECT else leaf.values.dtype
        dense = np.zeros(leaf.dense_shape, dtype=dtype)
        if len(leaf.values):
            dense[tuple(leaf.indices.T)] = leaf.values
        return dense
    return _ragged_numpy(np.array(leaf.flat_values), leaf.nested_row_splits)


def _ragged_numpy(flat: np.ndarray, splits: tuple):
    if not splits:
        return flat[()] if flat.ndim == 0 else flat
    values = _ragged_numpy(flat, splits[1:])
    outer = splits[0]
    rows = [values[outer[i] : outer[i + 1]] for i in range(len(outer) - 1)]
    if not rows:
        return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
    if any(len(row) != len(rows[0]) for row in rows):
        out = np.empty(len(rows), dtype=object)
        for i, row in enumerate(rows):
            out[i] = row
        return out
    return np.array(rows)


# -- files (Dataset.cache) --------------------------------------------------------------
def components(leaf) -> list:
    """A leaf as plain arrays (dense: itself), for files that store arrays only."""
    if isinstance(leaf, RaggedValue):
        return [leaf.flat_values, *leaf.nested_row_splits]
    if isinstance(leaf, SparseValue):
        return [leaf.indices, leaf.values, np.asarray(leaf.dense_shape, np.int64)]
    return [leaf]


def component_count(spec) -> int:
    if isinstance(spec, RaggedTensorSpec):
        return spec.ragged_rank + 1
    return 3 if isinstance(spec, SparseTensorSpec) else 1


def from_components(spec, arrays: list):
    """The inverse of :func:`components`, given the leaf's spec."""
    if isinstance(spec, RaggedTensorSpec):
        return RaggedValue(arrays[0], tuple(np.asarray(a, np.int64) for a in arrays[1:]))
    if isinstance(spec, SparseTensorSpec):
        indices, values, shape = arrays
        return SparseValue(np.asarray(indices, np.int64), values, tuple(shape.tolist()))
    return arrays[0]
