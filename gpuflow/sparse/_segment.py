"""Segment sums and maxima on any device, as differentiable Functions (sparse and ragged use them).

NumPy: ``np.add.at`` / ``np.maximum.at`` (a fixed order: repeatable bit for bit). CuPy:
``cupyx.scatter_add`` / ``scatter_max``, which use atomics; see
``tf.config.experimental.enable_op_determinism``. Nothing here densifies a sparse operand.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..autodiff.function import Function


def scatter_add(xp, out, index, values) -> None:
    """``out[index] += values`` with repeated indices summed, in place."""
    if xp is np:
        np.add.at(out, index, values)
    else:
        import cupyx

        cupyx.scatter_add(out, index, values)


def scatter_max(xp, out, index, values) -> None:
    """``out[index] = max(out[index], values)`` with repeated indices, in place."""
    if xp is np:
        np.maximum.at(out, index, values)
    else:
        import cupyx

        cupyx.scatter_max(out, index, values)


class SegmentSum(Function):
    """``out[k] = sum of values[i] with ids[i] == k`` for ``k < count``; differentiable."""

    def __init__(self, ids, count: int) -> None:
        self.ids, self.count = ids, int(count)

    def forward(self, values):
        acc = dtypes.accumulation_dtype(values.dtype) if values.dtype.kind == "f" else values.dtype
        out = self.xp.zeros((self.count,) + values.shape[1:], dtype=acc)
        scatter_add(self.xp, out, self.ids, values.astype(acc, copy=False))
        return out.astype(values.dtype, copy=False)

    def backward(self, g):
        return (g[self.ids],)


class SegmentMax(Function):
    """Maximum per segment; empty segments give ``empty_value``. Gradient to the maxima
    (shared among ties), as ``reduce_max``."""

    def __init__(self, ids, count: int, empty_value=0) -> None:
        self.ids, self.count, self.empty_value = ids, int(count), empty_value

    def forward(self, values):
        xp = self.xp
        if values.dtype.kind == "f":
            low = -np.inf
        else:
            low = np.iinfo(values.dtype).min
        out = xp.full((self.count,) + values.shape[1:], low, dtype=values.dtype)
        scatter_max(xp, out, self.ids, values)
        counts = xp.zeros(self.count, dtype=np.int64)
        scatter_add(xp, counts, self.ids, xp.ones(len(self.ids), dtype=np.int64))
        empty = (counts == 0).reshape((-1,) + (1,) * (values.ndim - 1))
        self.values, self.maxima = values, out
        return xp.where(empty, xp.asarray(self.empty_value, dtype=values.dtype), out)

    def backward(self, g):
        xp = self.xp
        winners = (self.values == self.maxima[self.ids]).astype(g.dtype)
        ties = xp.zeros(self.maxima.shape, dtype=g.dtype)
        scatter_add(xp, ties, self.ids, winners)
        return (winners * (g / xp.maximum(ties, 1))[self.ids],)
