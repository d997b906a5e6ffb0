"""``tf.reverse`` of a RaggedTensor, as TensorFlow's ragged dispatch: axis 0 reverses the
rows, a ragged axis reverses the items inside each row, a uniform inner axis reverses the
flat values along it. Gathers, so gradients flow to the values."""

from __future__ import annotations

import numpy as np

from .indexing import _take, _take_rows
from .ragged_tensor import RaggedTensor


def reverse(tensor: RaggedTensor, axis, name=None) -> RaggedTensor:
    """``tensor`` with the order of its items along each of ``axis`` reversed."""
    axes = np.asarray(axis.numpy() if hasattr(axis, "numpy") else axis).reshape(-1)
    if axes.dtype.kind not in "iu":
        raise TypeError(f"reverse: axis must be integers, received {axis!r}")
    rank = tensor.ndim
    seen = set()  # a repeated axis counts once, as TensorFlow's ragged reverse
    for i, a in enumerate(axes.tolist()):
        if not -rank <= a < rank:
            raise ValueError(f"axis[{i}]={a} out of bounds: expected {-rank}<=axis[{i}]<{rank}")
        seen.add(a % rank)
    out = tensor
    for a in sorted(seen):
        out = _reverse_axis(out, a)
    return out


def _reverse_axis(rt, axis: int):
    if not isinstance(rt, RaggedTensor):  # dense values below the ragged axes
        from ..ops.rearrange import reverse as dense_reverse

        return dense_reverse(rt, [axis])
    if axis == 0:
        return _take_rows(rt, np.arange(rt.nrows_int())[::-1].astype(np.int64))
    if axis == 1:  # inside each row: the items of rt.values in each row, last first
        device = rt._row_splits._device
        splits = device.to_host(rt._row_splits._data).astype(np.int64)
        order = np.concatenate(
            [np.arange(b - 1, a - 1, -1, dtype=np.int64) for a, b in zip(splits, splits[1:])]
            or [np.zeros(0, np.int64)]
        )
        return rt.with_values(_take(rt.values, order, device))
    return rt.with_values(_reverse_axis(rt.values, axis - 1))
