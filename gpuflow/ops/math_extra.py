"""Scans, segment sums, counting and norms: cumsum, cumprod, segment_sum,
unsorted_segment_sum, add_n, count_nonzero, bincount, confusion_matrix, l2_normalize,
clip_by_norm, clip_by_global_norm."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    invalid_argument,
    invalid_type,
    normalize_axis,
    unsupported_dtype,
)
from .cumulative import Cumprod, Cumsum  # noqa: F401  (their old home)
from .indexing import ScatterAdd


def _scan(cls, op, x, axis, exclusive, reverse):
    t = as_tensor(x)
    if t.dtype == dtypes.bool_:
        raise unsupported_dtype(op, "expected a number tensor, received dtype bool")
    if t.ndim == 0:
        raise invalid_argument(op, "expected a tensor of rank >= 1, received a scalar")
    (ax,) = normalize_axis(axis, t.ndim, op)
    fn = cls(ax, bool(exclusive), bool(reverse))
    if t.dtype.kind != "f":  # integer scans: not differentiable, nothing to record
        fn.device, fn.xp = t._device, t._device.xp
        return Tensor._wrap(fn.forward(t._data), t._device)
    return fn(t)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """Cumulative sum along ``axis`` (``exclusive``: shifted by one; ``reverse``: from the end)."""
    return _scan(Cumsum, "cumsum", x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """Cumulative product along ``axis``."""
    return _scan(Cumprod, "cumprod", x, axis, exclusive, reverse)


def _segment(data, segment_ids, num_segments, op):
    x = as_tensor(data)
    ids = as_tensor(segment_ids, device=x._device)
    if ids.dtype.kind not in "iu":
        raise unsupported_dtype(
            op, f"segment_ids must be integers, received dtype {ids.dtype.name}"
        )
    if tuple(x.shape[: ids.ndim]) != tuple(ids.shape):
        raise invalid_argument(
            op,
            f"segment_ids of shape {tuple(ids.shape)} must match the "
            f"first axes of data {tuple(x.shape)}",
        )
    idx = ids._data
    keep = idx >= 0
    if not bool(keep.all()):  # negative ids are dropped, as TensorFlow's unsorted ops do
        sel = x._device.xp.nonzero(keep)
        from .indexing import GetItem

        x = GetItem(sel)(x)
        idx = idx[sel]
    if idx.size and int(idx.max()) >= num_segments:
        raise invalid_argument(
            op, f"segment ids must be < num_segments={num_segments}, received {int(idx.max())}"
        )
    shape = (num_segments,) + tuple(x.shape[idx.ndim :])
    return ScatterAdd((idx,), shape)(x)


def segment_sum(data, segment_ids, name=None) -> Tensor:
    """Sums of ``data`` rows per segment id (ids sorted, from 0); differentiable in ``data``."""
    ids = as_tensor(segment_ids)
    if ids.ndim != 1:
        raise invalid_argument(
            "segment_sum", f"segment_ids must be 1-D, received shape {tuple(ids.shape)}"
        )
    values = ids.numpy()
    if values.size and ((np.diff(values) < 0).any() or values.min() < 0):
        raise invalid_argument("segment_sum", "segment_ids must be sorted and >= 0")
    count = int(values.max()) + 1 if values.size else 0
    return _segment(data, ids, count, "segment_sum")


def unsorted_segment_sum(data, segment_ids, num_segments, name=None) -> Tensor:
    """Sums of ``data`` per segment id in any order; negative ids are dropped."""
    n = as_int("unsorted_segment_sum", "num_segments", num_segments, minimum=0)
    return _segment(data, segment_ids, n, "unsorted_segment_sum")


def count_nonzero(input, axis=None, keepdims=None, dtype="int64", name=None) -> Tensor:  # noqa: A002
    """How many elements are non-zero (non-empty for strings, as TF) over ``axis``."""
    x = as_tensor(input)
    axes = normalize_axis(axis, x.ndim, "count_nonzero")
    zero = b"" if x._data.dtype.kind == "O" else 0
    out = (x._data != zero).sum(axis=axes, keepdims=bool(keepdims))
    return Tensor._wrap(x._device.xp.asarray(out).astype(dtypes.as_dtype(dtype)), x._device)


@host_call(effect=False)  # output size depends on the values: one host step when traced
def bincount(
    arr,
    weights=None,
    minlength=None,
    maxlength=None,
    dtype="int32",
    name=None,
    axis=None,
    binary_output=False,
) -> Tensor:
    """Counts (or summed ``weights``) of each value of the non-negative integers ``arr``;
    with ``axis=-1``, one row of counts for each slice along the last axis (``axis`` None
    or 0 counts over everything), as TensorFlow."""
    x = as_tensor(arr)
    if x.dtype.kind not in "iu":
        raise unsupported_dtype("bincount", f"arr must be integers, received dtype {x.dtype.name}")
    if axis is not None and axis not in (0, -1):
        raise invalid_argument("bincount", f"axis must be None, 0 or -1, received {axis!r}")
    if axis == -1 and x.ndim > 1:
        return _bincount_rows(x, weights, minlength, maxlength, dtype, binary_output)
    values = x.numpy().reshape(-1)
    if values.size and values.min() < 0:
        raise invalid_argument("bincount", f"arr must be >= 0, received {int(values.min())}")
    length = int(values.max()) + 1 if values.size else 0
    if minlength is not None:
        length = max(length, as_int("bincount", "minlength", minlength, minimum=0))
    if maxlength is not None:
        length = min(length, as_int("bincount", "maxlength", maxlength, minimum=0))
    keep = values < length
    w = None
    out_dtype = dtypes.as_dtype(dtype, "bincount")
    if weights is not None:
        wt = as_tensor(weights)
        if tuple(wt.shape) != tuple(x.shape):
            raise invalid_argument(
                "bincount", f"weights of shape {tuple(wt.shape)} must match arr {tuple(x.shape)}"
            )
        w = wt.numpy().reshape(-1)[keep]
        out_dtype = wt.dtype
    counts = np.bincount(values[keep], weights=w, minlength=length)[:length]
    if binary_output:
        counts = counts > 0
    return Tensor._wrap(x._device.asarray(counts.astype(out_dtype)), x._device)


def _bincount_rows(x, weights, minlength, maxlength, dtype, binary_output) -> Tensor:
    """``bincount(..., axis=-1)``: counts per slice along the last axis."""
    values = x.numpy()
    if values.size and values.min() < 0:
        raise invalid_argument("bincount", f"arr must be >= 0, received {int(values.min())}")
    length = int(values.max()) + 1 if values.size else 0
    if minlength is not None:
        length = max(length, as_int("bincount", "minlength", minlength, minimum=0))
    if maxlength is not None:
        length = min(length, as_int("bincount", "maxlength", maxlength, minimum=0))
    rows = values.reshape(-1, values.shape[-1])
    out_dtype = dtypes.as_dtype(dtype, "bincount")
    w = None
    if weights is not None:
        wt = as_tensor(weights)
        if tuple(wt.shape) != tuple(x.shape):
            raise invalid_argument(
                "bincount", f"weights of shape {tuple(wt.shape)} must match arr {tuple(x.shape)}"
            )
        w = wt.numpy().reshape(rows.shape)
        out_dtype = wt.dtype
    counts = np.zeros((rows.shape[0], length), np.float64 if w is not None else np.int64)
    for i, row in enumerate(rows):
        keep = row < length
        counts[i] = np.bincount(
            row[keep], weights=None if w is None else w[i][keep], minlength=length
        )[:length]
    if binary_output:
        counts = counts > 0
    counts = counts.reshape(values.shape[:-1] + (length,))
    return Tensor._wrap(x._device.asarray(counts.astype(out_dtype)), x._device)


def confusion_matrix(
    labels, predictions, num_classes=None, weights=None, dtype="int32", name=None
) -> Tensor:
    """``[num_classes, num_classes]`` counts: row = label, column = prediction."""
    lab, pred = as_tensor(labels).numpy(), as_tensor(predictions).numpy()
    if lab.shape != pred.shape or lab.ndim != 1:
        raise invalid_argument(
            "confusion_matrix",
            f"labels and predictions must be 1-D of one "
            f"shape, received {lab.shape} and {pred.shape}",
        )
    if lab.dtype.kind not in "iu" or pred.dtype.kind not in "iu":
        raise invalid_type("confusion_matrix", "labels and predictions must be integers")
    n = (
        int(max(lab.max(initial=-1), pred.max(initial=-1))) + 1
        if num_classes is None
        else as_int("confusion_matrix", "num_classes", num_classes, minimum=1)
    )
    if lab.size and (min(lab.min(), pred.min()) < 0 or max(lab.max(), pred.max()) >= n):
        raise invalid_argument("confusion_matrix", f"labels and predictions must be in [0, {n})")
    w = np.ones(lab.shape) if weights is None else as_tensor(weights).numpy()
    out = np.zeros((n, n), dtype=np.float64)
    np.add.at(out, (lab, pred), w)
    device = as_tensor(labels)._device
    return Tensor._wrap(device.asarray(out.astype(dtypes.as_dtype(dtype))), device)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None) -> Tensor:
    """``x / sqrt(max(sum(x ** 2, axis), epsilon))``."""
    from .math import maximum, multiply
    from .reduce import reduce_sum
    from .unary import rsqrt, square

    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise unsupported_dtype(
            "l2_normalize", f"expected a float tensor, received dtype {t.dtype.name}"
        )
    axis = dim if axis is None and dim is not None else axis
    total = reduce_sum(square(t), axis, keepdims=True)
    return multiply(t, rsqrt(maximum(total, epsilon)))


def clip_by_norm(t, clip_norm, axes=None, name=None) -> Tensor:
    """``t`` scaled down so that its L2 norm over ``axes`` is at most ``clip_norm``."""
    from .math import divide, maximum, multiply
    from .reduce import reduce_sum
    from .unary import sqrt, square

    if _is_slices(t):  # as TensorFlow: the norm of its values, its rows kept
        return type(t)(clip_by_norm(t.values, clip_norm, axes), t.indices, t.dense_shape)
    x = as_tensor(t)
    if x.dtype.kind != "f":
        raise unsupported_dtype(
            "clip_by_norm", f"expected a float tensor, received dtype {x.dtype.name}"
        )
    clip = as_tensor(clip_norm, device=x._device, dtype=x.dtype)
    if clip.size != 1 or float(clip.item()) < 0:
        raise invalid_argument(
            "clip_by_norm", f"clip_norm must be a scalar >= 0, received {clip_norm!r}"
        )
    norm = sqrt(reduce_sum(square(x), axes, keepdims=True))
    return divide(multiply(x, clip), maximum(norm, clip))


def global_norm(t_list, name=None) -> Tensor:
    """``sqrt(sum of squares of every tensor in t_list)`` (None entries are skipped)."""
    from .math import add_n
    from .reduce import reduce_sum
    from .unary import sqrt, square

    if isinstance(t_list, Tensor) or not isinstance(t_list, (list, tuple)):
        raise invalid_type(
            "global_norm", f"t_list must be a list of tensors, received {type(t_list).__name__}"
        )
    parts = [reduce_sum(square(as_tensor(_values(t)))) for t in t_list if t is not None]
    if not parts:
        raise invalid_argument("global_norm", "expected at least one tensor")
    return sqrt(add_n(parts) if len(parts) > 1 else parts[0])


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``(clipped list, global norm)``: every tensor scaled by
    ``clip_norm / max(global_norm, clip_norm)``."""
    from .math import divide, maximum, multiply

    if isinstance(t_list, Tensor) or not hasattr(t_list, "__iter__"):
        raise invalid_type("clip_by_global_norm", "t_list must be a list of tensors")
    t_list = list(t_list)
    norm = global_norm(t_list) if use_norm is None else as_tensor(use_norm)
    clip = as_tensor(clip_norm, device=norm._device, dtype=norm.dtype)
    scale = divide(clip, maximum(norm, clip))
    out = [None if t is None else _scaled(t, scale, multiply) for t in t_list]
    return out, norm


def _is_slices(t) -> bool:
    """Whether ``t`` is a tf.IndexedSlices (known by its dense hook: indexed_slices.py sits
    above the ops)."""
    return getattr(type(t), "_gpuflow_dense", None) is not None and hasattr(t, "indices")


def _values(t):
    """A tf.IndexedSlices' values (TensorFlow's norms count its rows as they are), else ``t``."""
    return t.values if _is_slices(t) else t


def _scaled(t, scale, multiply):
    """``t * scale``; a tf.IndexedSlices stays one (its values scaled)."""
    if _is_slices(t):
        return type(t)(multiply(t.values, scale), t.indices, t.dense_shape)
    return multiply(as_tensor(t), scale)
