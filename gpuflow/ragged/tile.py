"""``tf.tile`` of a RaggedTensor: each ragged row's values repeat ``multiples[k]`` times
within the row, and the rows repeat ``multiples[0]`` times, as TensorFlow's ragged tile."""

from __future__ import annotations

import numpy as np

from ..ops._common import as_tensor
from ..ops.indexing import gather
from ..ops.shape import tile as dense_tile
from .ragged_tensor import RaggedTensor, _error


def _multiples(rt: RaggedTensor, multiples) -> list[int]:
    m = as_tensor(multiples)
    if m.ndim != 1 or m.dtype.kind not in "iu" or m.shape[0] != rt.ndim:
        raise _error(
            "tile",
            f"multiples must be a 1-D integer tensor of length {rt.ndim} (the rank), "
            f"received shape {tuple(m.shape)} and dtype {m.dtype.name}",
        )
    values = [int(v) for v in m.numpy().tolist()]
    if any(v < 0 for v in values):
        raise _error("tile", f"multiples must be non-negative, received {values}")
    return values


def _expand(rt: RaggedTensor, rows: np.ndarray, multiples: list[int]) -> RaggedTensor:
    """The rows ``rows`` of ``rt`` in that order, each row's contents tiled by
    ``multiples`` (one entry per axis below the rows)."""
    splits = rt._row_splits._device.to_host(rt._row_splits._data).astype(np.int64)
    starts, limits = splits[rows], splits[rows + 1]
    times = multiples[0]
    children = [np.tile(np.arange(s, e, dtype=np.int64), times) for s, e in zip(starts, limits)]
    children = np.concatenate(children) if children else np.zeros(0, np.int64)
    lengths = (limits - starts) * times
    if isinstance(rt._values, RaggedTensor):
        values = _expand(rt._values, children, multiples[1:])
    else:
        values = gather(rt._values, children)
        if any(v != 1 for v in multiples[1:]):
            values = dense_tile(values, [1] + multiples[1:])
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)


def tile(input, multiples, name=None) -> RaggedTensor:
    m = _multiples(input, multiples)
    rows = np.tile(np.arange(input.nrows_int(), dtype=np.int64), m[0])
    return _expand(input, rows, m[1:])
