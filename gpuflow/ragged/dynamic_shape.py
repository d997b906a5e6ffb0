"""``tf.experimental.DynamicRaggedShape``: the shape of a RaggedTensor (what ``tf.shape``
gives for one): the row lengths of each partitioned axis, then the shape of the flat
values (``inner_shape``).

Built by ``tf.shape(rt)``, ``from_tensor`` and ``from_lengths``; read with ``rank``,
``num_row_partitions``, ``inner_shape``, ``static_lengths()`` and indexing by an int (a
uniform axis' size; a ragged axis raises TensorFlow's ValueError). Where TensorFlow's
constructor takes RowPartition objects, gpuflow's takes each partition's row lengths.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..ops.creation import constant
from .ragged_tensor import RaggedTensor


class DynamicRaggedShape:
    """The shape of a (ragged) tensor.

    Args:
        row_partitions: the row lengths (1-D integers) of each partitioned axis, outermost
            first; each one's total is the next one's number of rows.
        inner_shape: the shape of the flat values (its first size: the last partition's
            total).
        dtype: int32 or int64 (default: int64).
    """

    def __init__(
        self, row_partitions, inner_shape, dtype=None, validate=False, static_inner_shape=None
    ) -> None:
        self._dtype = dtypes.as_dtype(dtype or "int64")
        row_partitions = list(row_partitions)
        # RowPartitions (TensorFlow's form) or their row lengths
        self._lengths = [
            np.asarray(_numpy(_row_lengths(p)), np.int64).reshape(-1) for p in row_partitions
        ]
        self._inner = [int(n) for n in np.asarray(_numpy(inner_shape)).reshape(-1)]
        # partitions of one static row length
        self._uniform = [bool(getattr(p, "is_uniform", lambda: False)()) for p in row_partitions]
        for outer, inner in zip(self._lengths, self._lengths[1:] + [None]):
            total = int(outer.sum())
            size = len(inner) if inner is not None else (self._inner[0] if self._inner else None)
            if size is not None and size != total:
                raise ValueError("Shape not consistent.")

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_tensor(cls, t, dtype=None) -> "DynamicRaggedShape":
        """The shape of ``t``, a RaggedTensor or a dense tensor (no row partitions)."""
        if isinstance(t, RaggedTensor):
            lengths = [_numpy(r) for r in t.nested_row_lengths()]
            shape = cls(lengths, list(t.flat_values.shape), dtype=dtype)
            level, uniform = t, []
            while isinstance(level, RaggedTensor):
                uniform.append(level._uniform_length is not None)
                level = level.values
            shape._uniform = uniform
            return shape
        return cls([], list(np.shape(_numpy(t))), dtype=dtype)

    @classmethod
    def from_lengths(cls, lengths, num_row_partitions=None, dtype="int64"):
        """A shape from its sizes: an int for a uniform axis, a tuple of row lengths for a
        ragged one (``[2, (1, 2), 3]``); axes up to the last ragged one are partitions."""
        lengths = list(lengths)
        ragged = [i for i, n in enumerate(lengths) if isinstance(n, (tuple, list))]
        if lengths and isinstance(lengths[0], (tuple, list)):
            raise ValueError("The first dimension of a DynamicRaggedShape must be an int")
        count = ragged[-1] if num_row_partitions is None and ragged else num_row_partitions or 0
        rows = int(lengths[0]) if lengths else 1
        partitions, uniform = [], []
        for n in lengths[1 : count + 1]:
            uniform.append(not isinstance(n, (tuple, list)))
            row = np.asarray(n, np.int64) if isinstance(n, (tuple, list)) else None
            if row is None:
                row = np.full(rows, int(n), np.int64)
            elif len(row) != rows:
                raise ValueError("Shape not consistent.")
            partitions.append(row)
            rows = int(row.sum())
        inner = [rows] + [int(n) for n in lengths[count + 1 :]] if lengths else []
        shape = cls(partitions, inner, dtype=dtype)
        shape._uniform = uniform
        return shape

    # -- reading --------------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def num_row_partitions(self) -> int:
        return len(self._lengths)

    @property
    def inner_rank(self) -> int:
        return len(self._inner)

    @property
    def rank(self) -> int:
        return self.num_row_partitions + self.inner_rank

    @property
    def inner_shape(self):
        """The shape of the flat values, a 1-D tensor of ``dtype``."""
        return constant(self._inner, dtype=self._dtype)

    def _size(self, axis: int):
        """A uniform axis' size (int), or None for a ragged one."""
        if axis == 0:
            return len(self._lengths[0]) if self._lengths else self._inner[0]
        if axis <= self.num_row_partitions:
            row = self._lengths[axis - 1]
            if not self._uniform[axis - 1]:
                return None
            return int(row[0]) if len(row) else 0
        return self._inner[axis - self.num_row_partitions]

    def static_lengths(self, ragged_lengths: bool = True) -> list:
        """Each axis' size: an int when uniform, the row lengths as a tuple when ragged
        (None with ``ragged_lengths=False``)."""
        out = []
        for axis in range(self.rank):
            size = self._size(axis)
            if size is None:
                size = tuple(int(n) for n in self._lengths[axis - 1]) if ragged_lengths else None
            out.append(size)
        return out

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._slice(index)
        if not isinstance(index, (int, np.integer)) or isinstance(index, bool):
            raise TypeError(f"DynamicRaggedShape: index with an int or a slice, received {index!r}")
        axis = int(index) + self.rank if index < 0 else int(index)
        if not 0 <= axis < self.rank:
            raise ValueError(f"Index {index} is out of range for a shape of rank {self.rank}")
        size = self._size(axis)
        if size is None:
            raise ValueError(f"Index {index} is not uniform")
        return constant(size, dtype=self._dtype)

    def _slice(self, index: slice) -> "DynamicRaggedShape":
        """The shape of the leading axes (``shape[:k]``), as TensorFlow slices it; a slice
        that drops leading axes needs the axes it keeps (and the ones before) uniform."""
        start, stop, step = index.indices(self.rank)
        if step != 1:
            raise ValueError(f"DynamicRaggedShape: slices take step 1, received {index!r}")
        stop = max(stop, start)
        lengths = self.static_lengths()
        if start == 0:
            return DynamicRaggedShape.from_lengths(lengths[:stop], dtype=self._dtype)
        if any(isinstance(n, tuple) for n in lengths[:stop]):
            raise ValueError("All relevant dimensions must be uniform")
        return DynamicRaggedShape([], lengths[start:stop], dtype=self._dtype)

    def __repr__(self) -> str:
        lengths = ", ".join(map(str, self.static_lengths()))
        return (
            f"<DynamicRaggedShape lengths=[{lengths}] num_row_partitions={self.num_row_partitions}>"
        )


def _row_lengths(partition):
    """A RowPartition's row lengths; anything else as it is."""
    lengths = getattr(partition, "row_lengths", None)
    return lengths() if callable(lengths) else partition


def _numpy(value):
    return value.numpy() if hasattr(value, "numpy") else value
