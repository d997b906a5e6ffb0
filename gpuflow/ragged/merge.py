"""``RaggedTensor.merge_dims(outer_axis, inner_axis)``: axes ``outer..inner`` become one."""

from __future__ import annotations

import numpy as np

from ..ops.shape import reshape
from .ragged_tensor import RaggedTensor, _error

_OP = "RaggedTensor.merge_dims"


def _merge_dense(t, outer: int, inner: int):
    shape = list(t.shape)
    merged = int(np.prod(shape[outer : inner + 1], dtype=np.int64))
    return reshape(t, shape[:outer] + [merged] + shape[inner + 1 :])


def _merge(rt, outer: int, inner: int):
    if outer == inner:
        return rt
    if not isinstance(rt, RaggedTensor):
        return _merge_dense(rt, outer, inner)
    if outer == 0:  # rows and the axis below: the rows' contents laid end to end
        return _merge(rt._values, 0, inner - 1)
    values = rt._values
    if outer == 1 and not isinstance(values, RaggedTensor):
        # a ragged axis merged with uniform axes below it: each row grows by their size
        factor = int(np.prod(list(values.shape[1:inner]), dtype=np.int64))
        splits = rt._row_splits._device.to_host(rt._row_splits._data) * factor
        return RaggedTensor.from_row_splits(
            _merge_dense(values, 0, inner - 1), splits, validate=False
        )
    if outer == 1:  # two ragged axes: each outer row holds its sub-rows' values
        splits = rt._row_splits._device.to_host(rt._row_splits._data)
        inner_splits = values._row_splits._device.to_host(values._row_splits._data)
        merged = RaggedTensor.from_row_splits(values._values, inner_splits[splits], validate=False)
        return _merge(merged, 1, inner - 1)
    return rt.with_values(_merge(values, outer - 1, inner - 1))


def merge_dims(self, outer_axis, inner_axis):
    """Merge axes ``outer_axis`` through ``inner_axis`` into one (a RaggedTensor, or a
    dense tensor when no ragged axis is left)."""
    rank = self.ndim
    axes = []
    for axis in (outer_axis, inner_axis):
        if not -rank <= int(axis) < rank:
            raise _error(_OP, f"axis {axis} is out of range for a RaggedTensor of rank {rank}")
        axes.append(int(axis) % rank)
    outer, inner = axes
    if outer > inner:
        raise _error(
            _OP, f"outer_axis ({outer_axis}) must not come after inner_axis ({inner_axis})"
        )
    return _merge(self, outer, inner)


RaggedTensor.merge_dims = merge_dims
