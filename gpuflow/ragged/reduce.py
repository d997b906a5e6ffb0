"""Reductions of RaggedTensors (``tf.reduce_sum/mean/max/min/prod/any/all`` dispatch here).

Along the innermost ragged axis each row reduces to one value (a segment reduction over
the flat values): an empty row gives 0 for sum, NaN for mean, and the dtype's lowest
(highest) value for max (min), as in TensorFlow. Along axis 0 of a ragged_rank-1 tensor
the positions reduce column by column over the rows long enough to have them.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..errors import UnimplementedError
from ..ops import math as m
from ..ops import reduce as dense_reduce
from ..ops.shape import expand_dims
from ..sparse._segment import SegmentMax, SegmentSum
from ..tensor import Tensor
from .ragged_tensor import RaggedTensor, _error

_DENSE = {
    "sum": dense_reduce.reduce_sum,
    "mean": dense_reduce.reduce_mean,
    "max": dense_reduce.reduce_max,
    "min": dense_reduce.reduce_min,
    "prod": dense_reduce.reduce_prod,
    "any": dense_reduce.reduce_any,
    "all": dense_reduce.reduce_all,
}
# reductions computed on the rows padded with their identity (an empty row gives it)
_IDENTITY = {"prod": 1, "any": False, "all": True}


def _segment(kind: str, values: Tensor, ids, count: int) -> Tensor:
    if kind == "sum":
        return SegmentSum(ids, count)(values)
    if kind in ("max", "min"):
        dtype = values.dtype
        info = dtypes.info(np.dtype(dtype))
        if kind == "max":
            return SegmentMax(ids, count, empty_value=info.min)(values)
        return m.negative(SegmentMax(ids, count, empty_value=-info.max)(m.negative(values)))
    # mean: sum / count (0 / 0 = NaN for empty rows, as TensorFlow)
    xp = values._device.xp
    counts = xp.zeros(count, dtype=values.dtype)
    from ..sparse._segment import scatter_add

    scatter_add(xp, counts, ids, xp.ones(len(ids), dtype=values.dtype))
    counts = Tensor._wrap(counts.reshape((-1,) + (1,) * (values.ndim - 1)), values._device)
    with np.errstate(invalid="ignore", divide="ignore"):
        return m.divide(SegmentSum(ids, count)(values), counts)


def _mean_values(values: Tensor, op: str) -> Tensor:
    """Integer values as the floats TensorFlow's ragged mean divides in (its ``truediv``:
    float32 for 8/16-bit integers, float64 for wider ones)."""
    from ..ops.cast import cast

    if values.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: the mean of a RaggedTensor needs a numeric dtype, received {values.dtype.name}"
        )
    return cast(values, "float32" if values.dtype.itemsize <= 2 else "float64")


def reduce(rt: RaggedTensor, kind: str, axis, keepdims: bool):
    op = f"reduce_{kind}"
    if kind == "mean" and rt.dtype.kind not in "fc":
        rt = rt.with_flat_values(_mean_values(rt.flat_values, op))
    rank = rt.ndim
    if axis is None:
        return _DENSE[kind](rt.flat_values, None, keepdims=False)
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple)):
        if len(axis) != 1:
            raise UnimplementedError(
                None,
                op,
                f"{op}: reducing a RaggedTensor over several axes "
                f"({list(axis)}) at once; reduce one at a time",
            )
        axis = axis[0]
    if not -rank <= int(axis) < rank:
        raise _error(op, f"axis {axis} is out of range for a RaggedTensor of rank {rank}")
    axis = int(axis) % rank
    ragged = rt.ragged_rank
    if axis > ragged:  # a uniform inner axis: reduce the flat values
        return rt.with_flat_values(_DENSE[kind](rt.flat_values, axis - ragged, keepdims))
    if axis == ragged:
        inner = _innermost(rt)
        if kind in _IDENTITY:
            padded = inner.to_tensor(default_value=_IDENTITY[kind])
            reduced = _DENSE[kind](padded, 1)
        else:
            reduced = _segment(kind, inner.values, inner.value_rowids()._data, inner.nrows_int())
        out = _replace_innermost(rt, reduced)
        if keepdims:
            if isinstance(out, RaggedTensor):
                return out.with_flat_values(expand_dims(out.flat_values, 1))
            return expand_dims(out, axis)
        return out
    if axis == 0 and ragged == 1 and kind in _IDENTITY:
        return _DENSE[kind](rt.to_tensor(default_value=_IDENTITY[kind]), 0, keepdims)
    if axis == 0 and ragged == 1:
        xp = rt._row_splits._device.xp
        rows = rt.value_rowids()._data
        cols = xp.arange(len(rows), dtype=np.int64) - rt._row_splits._data[rows]
        lengths = rt.row_lengths()._data
        width = int(lengths.max()) if len(lengths) else 0
        out = _segment(kind, rt.values, cols, width)
        return expand_dims(out, 0) if keepdims else out
    raise UnimplementedError(
        None,
        op,
        f"{op}: axis {axis} of a RaggedTensor with ragged_rank "
        f"{ragged}; gpuflow reduces axis 0 (ragged_rank 1), the "
        f"innermost ragged axis, uniform inner axes, or all",
    )


def _innermost(rt: RaggedTensor) -> RaggedTensor:
    while isinstance(rt._values, RaggedTensor):
        rt = rt._values
    return rt


def _replace_innermost(rt: RaggedTensor, reduced: Tensor):
    """``rt`` with its innermost ragged level collapsed into ``reduced`` (one value a row)."""
    if not isinstance(rt._values, RaggedTensor):
        return reduced
    return rt.with_values(_replace_innermost(rt._values, reduced))


# The hook gpuflow.reduce_* call on a RaggedTensor; installed here, not defined in
# ragged_tensor.py, because this module imports that one.
RaggedTensor._reduce = reduce
