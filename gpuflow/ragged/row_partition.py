"""``tf.experimental.RowPartition``: how the values of one ragged dimension split into rows,
kept as row splits (and, when built so, a uniform row length), convertible to every other
encoding TensorFlow offers: row lengths, starts, limits, value row ids.

Partitions hold host integers: every encoding is checked when the partition is made, and
``static_nrows`` / ``static_nvals`` are always known (eager values).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..ops.creation import constant
from ..tensor import Tensor


def _ints(value, what: str, dtype, dtype_hint, rank: int = 1) -> np.ndarray:
    """``value`` as a host int32/int64 array of ``rank``; ``dtype`` casts, ``dtype_hint``
    applies to plain Python values only (TensorFlow's rule)."""
    given = value.dtype.as_numpy_dtype if isinstance(value, Tensor) else None
    array = np.asarray(value.numpy() if isinstance(value, Tensor) else value)
    if array.ndim != rank:
        raise ValueError(f"Shape {array.shape} must have rank {rank}")
    if array.size and array.dtype.kind not in "iu":
        raise ValueError(f"{what} must have dtype int32 or int64")
    if dtype is not None:
        target = dtypes.as_dtype(dtype, "RowPartition").as_numpy_dtype
    elif given is not None:
        target = given
    elif dtype_hint is not None:
        target = dtypes.as_dtype(dtype_hint, "RowPartition").as_numpy_dtype
    else:
        target = np.int64
    if np.dtype(target) not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise ValueError(f"{what} must have dtype int32 or int64")
    return array.astype(target)


def _invalid(op: str, problem: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        None, op, f"Arguments to {op} do not form a valid RowPartition: {problem}"
    )


class RowPartition:
    """The row partitioning of one ragged dimension (``RowPartition.from_row_lengths([2, 0,
    3])`` splits five values into rows of 2, 0 and 3)."""

    def __init__(self, row_splits: np.ndarray, uniform_row_length=None, _internal=False):
        if not _internal:
            raise ValueError(
                "RowPartition constructor is private; please use one of the factory methods "
                "instead (e.g., RowPartition.from_row_lengths())"
            )
        self._splits = row_splits
        self._uniform = uniform_row_length

    # -- factories ---------------------------------------------------------------------------
    @classmethod
    def from_row_splits(cls, row_splits, validate=True, dtype=None, dtype_hint=None):
        """Row ``i`` holds values ``row_splits[i]`` to ``row_splits[i + 1]``."""
        splits = _ints(row_splits, "row_splits", dtype, dtype_hint)
        if splits.size == 0 or splits[0] != 0:
            raise _invalid("from_row_splits", f"row_splits must start at 0, received {splits}")
        if np.any(np.diff(splits) < 0):
            raise _invalid("from_row_splits", f"row_splits must not decrease, received {splits}")
        return cls(splits, _internal=True)

    @classmethod
    def from_row_lengths(cls, row_lengths, validate=True, dtype=None, dtype_hint=None):
        """Row ``i`` holds ``row_lengths[i]`` values."""
        lengths = _ints(row_lengths, "row_lengths", dtype, dtype_hint)
        if np.any(lengths < 0):
            raise _invalid("from_row_lengths", f"row lengths must be >= 0, received {lengths}")
        splits = np.concatenate([np.zeros(1, lengths.dtype), np.cumsum(lengths)])
        return cls(splits.astype(lengths.dtype), _internal=True)

    @classmethod
    def from_row_starts(cls, row_starts, nvals, validate=True, dtype=None, dtype_hint=None):
        """Row ``i`` starts at ``row_starts[i]``; the last row ends at ``nvals``."""
        starts = _ints(row_starts, "row_starts", dtype, dtype_hint)
        splits = np.concatenate([starts, [int(nvals)]]).astype(starts.dtype)
        return cls._checked(splits, "from_row_starts")

    @classmethod
    def from_row_limits(cls, row_limits, validate=True, dtype=None, dtype_hint=None):
        """Row ``i`` ends at ``row_limits[i]``; the first row starts at 0."""
        limits = _ints(row_limits, "row_limits", dtype, dtype_hint)
        splits = np.concatenate([np.zeros(1, limits.dtype), limits]).astype(limits.dtype)
        return cls._checked(splits, "from_row_limits")

    @classmethod
    def from_value_rowids(
        cls, value_rowids, nrows=None, validate=True, dtype=None, dtype_hint=None
    ):
        """Value ``j`` belongs to row ``value_rowids[j]`` (sorted); ``nrows`` defaults to
        the last row id + 1."""
        rowids = _ints(value_rowids, "value_rowids", dtype, dtype_hint)
        if np.any(rowids < 0) or np.any(np.diff(rowids) < 0):
            raise _invalid(
                "from_value_rowids", f"value_rowids must be sorted and >= 0, received {rowids}"
            )
        last = int(rowids[-1]) + 1 if rowids.size else 0
        n = last if nrows is None else int(np.asarray(nrows))
        if n < last:
            raise ValueError(
                f"Expected nrows >= value_rowids[-1] + 1; got nrows={n}, "
                f"value_rowids[-1]={last - 1}"
            )
        counts = np.bincount(rowids, minlength=n) if rowids.size else np.zeros(n, np.int64)
        splits = np.concatenate([[0], np.cumsum(counts)]).astype(rowids.dtype)
        return cls(splits, _internal=True)

    @classmethod
    def from_uniform_row_length(
        cls, uniform_row_length, nvals=None, nrows=None, validate=True, dtype=None, dtype_hint=None
    ):
        """Rows of ``uniform_row_length`` values each: ``nrows`` of them, or as many as
        ``nvals`` makes."""
        (length,) = _ints([uniform_row_length], "uniform_row_length", dtype, dtype_hint)
        if length < 0:
            raise ValueError(f"uniform_row_length must be >= 0, received {length}")
        if nrows is None:
            if nvals is None:
                raise ValueError("from_uniform_row_length: give nvals or nrows")
            nrows = int(nvals) // int(length) if length else 0
        nrows = int(nrows)
        if nvals is not None and int(nvals) != nrows * int(length):
            raise ValueError(
                f"uniform_row_length={length} times nrows={nrows} must equal nvals={int(nvals)}"
            )
        splits = (np.arange(nrows + 1) * int(length)).astype(np.asarray(length).dtype)
        return cls(splits, uniform_row_length=length, _internal=True)

    @classmethod
    def _checked(cls, splits, op):
        if splits[0] != 0 or np.any(np.diff(splits) < 0):
            raise _invalid(op, f"rows must start at 0 and not overlap, received splits {splits}")
        return cls(splits, _internal=True)

    # -- encodings ---------------------------------------------------------------------------
    @property
    def dtype(self):
        """int32 or int64: the dtype of every encoding."""
        return dtypes.as_dtype(self._splits.dtype.name)

    def _tensor(self, array) -> Tensor:
        return constant(np.asarray(array, dtype=self._splits.dtype))

    def row_splits(self) -> Tensor:
        return self._tensor(self._splits)

    def row_lengths(self) -> Tensor:
        return self._tensor(np.diff(self._splits))

    def row_starts(self) -> Tensor:
        return self._tensor(self._splits[:-1])

    def row_limits(self) -> Tensor:
        return self._tensor(self._splits[1:])

    def value_rowids(self) -> Tensor:
        return self._tensor(np.repeat(np.arange(self.static_nrows), np.diff(self._splits)))

    def offsets_in_rows(self) -> Tensor:
        """Each value's position inside its row."""
        rowids = np.repeat(np.arange(self.static_nrows), np.diff(self._splits))
        return self._tensor(np.arange(self.static_nvals) - self._splits[rowids])

    def nrows(self) -> Tensor:
        return self._tensor(self.static_nrows)

    def nvals(self) -> Tensor:
        return self._tensor(self.static_nvals)

    def uniform_row_length(self):
        """The row length when built with ``from_uniform_row_length``, else None."""
        return None if self._uniform is None else self._tensor(self._uniform)

    def is_uniform(self) -> bool:
        return self._uniform is not None

    @property
    def static_nrows(self) -> int:
        return len(self._splits) - 1

    @property
    def static_nvals(self) -> int:
        return int(self._splits[-1])

    @property
    def static_uniform_row_length(self):
        return None if self._uniform is None else int(self._uniform)

    def with_dtype(self, dtype) -> "RowPartition":
        """This partition with int32 or int64 encodings."""
        target = dtypes.as_dtype(dtype, "RowPartition.with_dtype").as_numpy_dtype
        if np.dtype(target) not in (np.dtype(np.int32), np.dtype(np.int64)):
            raise ValueError(f"dtype must be int32 or int64, received {dtype}")
        uniform = None if self._uniform is None else np.asarray(self._uniform).astype(target)
        return RowPartition(self._splits.astype(target), uniform, _internal=True)

    def __repr__(self) -> str:
        if self._uniform is not None:
            return f"tf.RowPartition(nrows={self.static_nrows}, uniform_row_length={self._uniform})"
        return f"tf.RowPartition(row_splits={np.array2string(self._splits)})"
