"""More tf.math: xlogy, xdivy, xlog1py, softsign, reciprocal_no_nan, scalar_mul,
zero_fraction, segment mean/max/min/prod (sorted and unsorted), searchsorted, truncatediv,
truncatemod, invert_permutation, is_non_decreasing, is_strictly_increasing. Built from
differentiable ops where TensorFlow differentiates them."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    broadcast_shape,
    invalid_argument,
    numbers_only,
    pair_operands,
    unsupported_dtype,
)


def _zero_where_x_zero(x, y, fn, op):
    """``x * fn(y)``, 0 where ``x`` is 0 (even where ``fn(y)`` is inf or NaN).

    Where ``x`` is 0, ``fn`` sees 1 instead of ``y``: so the gradient there is 0 for ``y``
    too (TensorFlow's XlogyGrad uses ``xdivy(x, y)``), not ``0 * inf = NaN`` at ``y = 0``.
    """
    from .creation import ones_like, zeros_like
    from .math import multiply, where

    if x.dtype.kind != "f":
        raise unsupported_dtype(op, f"expected float tensors, received dtype {x.dtype.name}")
    zero = x == 0
    safe = where(zero, ones_like(y), y)  # where broadcasts, the gradient unbroadcasts
    # where, not multiply_no_nan: x's gradient is 0 where x is 0, as TensorFlow's
    # (xlogy(x != 0, y)); multiply_no_nan would give fn(1) there (log 2 for xlog1py)
    product = multiply(x, fn(safe))
    return where(zero, zeros_like(product), product)


def xlogy(x, y, name=None) -> Tensor:
    """``x * log(y)``, 0 where ``x`` is 0."""
    from .unary import log

    x, y = pair_operands(x, y, "xlogy")
    return _zero_where_x_zero(x, y, log, "xlogy")


def xlog1py(x, y, name=None) -> Tensor:
    """``x * log1p(y)``, 0 where ``x`` is 0."""
    from .unary import log1p

    x, y = pair_operands(x, y, "xlog1py")
    return _zero_where_x_zero(x, y, log1p, "xlog1py")


def xdivy(x, y, name=None) -> Tensor:
    """``x / y``, 0 where ``x`` is 0."""
    from .unary import reciprocal

    x, y = pair_operands(x, y, "xdivy")
    return _zero_where_x_zero(x, y, reciprocal, "xdivy")


def softsign(features, name=None) -> Tensor:
    """``x / (1 + |x|)``."""
    from .math import divide
    from .unary import abs as abs_

    x = as_tensor(features)
    if x.dtype.kind != "f":
        raise unsupported_dtype(
            "softsign", f"expected a float tensor, received dtype {x.dtype.name}"
        )
    return divide(x, abs_(x) + 1)


def reciprocal_no_nan(x, name=None) -> Tensor:
    """``1 / x``, 0 where ``x`` is 0."""
    from .creation import ones_like
    from .math import divide_no_nan

    t = as_tensor(x)
    return divide_no_nan(ones_like(t), t)


def scalar_mul(scalar, x, name=None) -> Tensor:
    """``scalar * x`` for a scalar ``scalar``."""
    from .math import multiply

    x = as_tensor(x)
    # as TensorFlow, a Python or NumPy scalar converts to x's dtype (2.5 * float64 tensor)
    s = as_tensor(scalar, device=x._device, dtype=None if isinstance(scalar, Tensor) else x.dtype)
    if s.size != 1:
        raise invalid_argument(
            "scalar_mul", f"scalar must have one element, received shape {tuple(s.shape)}"
        )
    return multiply(s if s.ndim == 0 else s.reshape(()), x)


def zero_fraction(value, name=None) -> Tensor:
    """The fraction of zeros in ``value`` (float32)."""
    t = as_tensor(value)
    frac = np.float32(float((t._data == 0).sum()) / max(t.size, 1))
    return Tensor._wrap(t._device.asarray(frac), t._device)


# -- segment reductions ----------------------------------------------------------------
class _SegmentExtremum(Function):
    """Max or min per segment; the gradient is shared among the tied winners (as TF)."""

    def __init__(self, ids, num, fn, empty=None) -> None:
        # empty: the value of a segment with no entries (None: the dtype's lowest / highest)
        self.ids, self.num, self.fn, self.empty = ids, num, fn, empty

    def forward(self, x):
        xp = self.xp
        dt = x.dtype
        limits = dtypes.info(dt)
        fill = limits.min if self.fn == "max" else limits.max
        out = xp.full((self.num,) + x.shape[1:], fill, dtype=dt)
        getattr(xp, "maximum" if self.fn == "max" else "minimum").at(out, self.ids, x)
        hit = (x == out[self.ids]).astype(dt)
        counts = xp.zeros((self.num,) + x.shape[1:], dtype=dt)
        xp.add.at(counts, self.ids, hit)
        self.share = hit / xp.maximum(counts[self.ids], 1)
        if self.empty is not None:
            seen = xp.zeros(self.num, dtype=bool)
            seen[self.ids] = True
            out[~seen] = self.empty
        return out

    def backward(self, F, g):
        return (F.getitem(g, (self.ids,)) * F.const(self.share),)


def _segment_args(data, segment_ids, num_segments, op, sorted_ids):
    x = as_tensor(data)
    ids = as_tensor(segment_ids, device=x._device)
    if (
        not sorted_ids
        and ids.dtype.kind in "iu"
        and ids.ndim > 1
        and tuple(ids.shape) == tuple(x.shape[: ids.ndim])
    ):
        # unsorted ops take ids shaped as a prefix of data's shape (as TensorFlow): the
        # same as flat ids over data with those axes merged
        from .shape import reshape

        x = reshape(x, (-1,) + tuple(x.shape[ids.ndim :]))
        ids = reshape(ids, (-1,))
    if ids.dtype.kind not in "iu" or ids.ndim != 1 or x.ndim < 1 or ids.shape[0] != x.shape[0]:
        raise invalid_argument(
            op,
            f"segment_ids must be 1-D integers matching the first axis "
            f"of data {tuple(x.shape)}, received {tuple(ids.shape)} "
            f"{ids.dtype.name}",
        )
    values = ids.numpy()
    if sorted_ids:
        if values.size and ((np.diff(values) < 0).any() or values.min() < 0):
            raise invalid_argument(op, "segment_ids must be sorted and >= 0")
        num = int(values.max()) + 1 if values.size else 0
    else:
        num = as_int(op, "num_segments", num_segments, minimum=0)
        if values.size and values.max() >= num:
            raise invalid_argument(op, f"segment ids must be < num_segments={num}")
        if values.size and values.min() < 0:  # dropped, as TensorFlow's unsorted ops do
            from .indexing import gather

            keep = np.flatnonzero(values >= 0)
            x, ids = gather(x, keep), gather(ids, keep)
    return x, ids, num


def _segment_sum(x, ids, num, op):
    from .math_extra import _segment

    return _segment(x, ids, num, op)


def _counts(x, ids, num):
    # ids are known on the host (see _segment_args), so the counts are a constant: made by
    # as_tensor, a compiled step (gpuflow.function) keeps them as one
    counts = np.bincount(ids.numpy(), minlength=num).astype(np.dtype(x.dtype))
    return as_tensor(counts.reshape((num,) + (1,) * (x.ndim - 1)), device=x._device)


def _mean(x, ids, num, op):
    from .math import divide, maximum

    return divide(_segment_sum(x, ids, num, op), maximum(_counts(x, ids, num), 1))


def _extremum(x, ids, num, fn, empty=None):
    return _SegmentExtremum(ids._data, num, fn, empty)(x)


def _prod(x, ids, num, op):
    from .reduce import reduce_prod
    from .shape import stack

    values = ids.numpy()
    rows = []
    for s in range(num):
        where = np.nonzero(values == s)[0]
        if where.size:
            from .indexing import gather

            rows.append(reduce_prod(gather(x, where), axis=0))
        else:
            rows.append(
                Tensor._wrap(x._device.xp.ones(x.shape[1:], dtype=x._data.dtype), x._device)
            )
    return stack(rows)


def segment_mean(data, segment_ids, name=None) -> Tensor:
    """The mean of each segment of sorted ``segment_ids``; integer data keeps its dtype,
    the sum divided by the count rounded toward zero (TensorFlow's SegmentMean kernel)."""
    x, ids, num = _segment_args(data, segment_ids, None, "segment_mean", True)
    if x.dtype.kind in "iu":
        counts = np.maximum(_counts(x, ids, num).numpy(), 1)
        return truncatediv(_segment_sum(x, ids, num, "segment_mean"), counts)
    return _mean(x, ids, num, "segment_mean")


def segment_max(data, segment_ids, name=None) -> Tensor:
    """The max of each segment of sorted ``segment_ids``; 0 for an empty segment (as TF)."""
    x, ids, num = _segment_args(data, segment_ids, None, "segment_max", True)
    return _extremum(x, ids, num, "max", empty=0)


def segment_min(data, segment_ids, name=None) -> Tensor:
    """The min of each segment of sorted ``segment_ids``; 0 for an empty segment (as TF)."""
    x, ids, num = _segment_args(data, segment_ids, None, "segment_min", True)
    return _extremum(x, ids, num, "min", empty=0)


def segment_prod(data, segment_ids, name=None) -> Tensor:
    x, ids, num = _segment_args(data, segment_ids, None, "segment_prod", True)
    return _prod(x, ids, num, "segment_prod")


def unsorted_segment_mean(data, segment_ids, num_segments, name=None) -> Tensor:
    x, ids, num = _segment_args(data, segment_ids, num_segments, "unsorted_segment_mean", False)
    return _mean(x, ids, num, "unsorted_segment_mean")


def unsorted_segment_max(data, segment_ids, num_segments, name=None) -> Tensor:
    x, ids, num = _segment_args(data, segment_ids, num_segments, "unsorted_segment_max", False)
    return _extremum(x, ids, num, "max")


def unsorted_segment_min(data, segment_ids, num_segments, name=None) -> Tensor:
    x, ids, num = _segment_args(data, segment_ids, num_segments, "unsorted_segment_min", False)
    return _extremum(x, ids, num, "min")


def unsorted_segment_prod(data, segment_ids, num_segments, name=None) -> Tensor:
    x, ids, num = _segment_args(data, segment_ids, num_segments, "unsorted_segment_prod", False)
    return _prod(x, ids, num, "unsorted_segment_prod")


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None) -> Tensor:
    from .math import divide, maximum
    from .unary import sqrt

    x, ids, num = _segment_args(data, segment_ids, num_segments, "unsorted_segment_sqrt_n", False)
    total = _segment_sum(x, ids, num, "unsorted_segment_sqrt_n")
    return divide(total, sqrt(maximum(_counts(x, ids, num), 1)))


# -- integer helpers ---------------------------------------------------------------------
@host_call(effect=False)  # reads host values: one host step when traced
def searchsorted(sorted_sequence, values, side="left", out_type="int32", name=None) -> Tensor:
    """Insertion points of ``values`` in each row of ``sorted_sequence`` (last axis)."""
    seq, vals = as_tensor(sorted_sequence), as_tensor(values)
    if side not in ("left", "right"):
        raise invalid_argument("searchsorted", f"side must be 'left' or 'right', received {side!r}")
    if seq.ndim < 1 or seq.shape[:-1] != vals.shape[:-1]:
        raise invalid_argument(
            "searchsorted", f"leading shapes differ: {tuple(seq.shape)} and {tuple(vals.shape)}"
        )
    s, v = seq.numpy(), vals.numpy()
    flat_s, flat_v = s.reshape(-1, s.shape[-1]), v.reshape(-1, v.shape[-1] if v.ndim else 1)
    out = np.stack([np.searchsorted(a, b, side=side) for a, b in zip(flat_s, flat_v)])
    if v.dtype.kind in "fc":
        # a NaN compares false with every element (TF's binary search): before them all on
        # the left side, after them all on the right; NumPy places NaN last on both
        nan = np.isnan(flat_v)
        out[nan] = 0 if side == "left" else flat_s.shape[-1]
    out = out.reshape(v.shape).astype(dtypes.as_dtype(out_type, "searchsorted"))
    return Tensor._wrap(seq._device.asarray(out), seq._device)


def truncatediv(x, y, name=None) -> Tensor:
    """Integer division rounding toward zero (C semantics)."""
    a, b = pair_operands(x, y, "truncatediv")
    broadcast_shape("truncatediv", a._data.shape, b._data.shape)
    numbers_only("truncatediv", a)
    if a.dtype.kind in "iu" and bool((b._data == 0).any()):
        raise invalid_argument("truncatediv", "integer division by zero")
    xp = a._device.xp
    q = (
        xp.trunc(a._data / b._data)
        if a.dtype.kind == "f"
        else (xp.abs(a._data) // xp.abs(b._data)) * xp.sign(a._data) * xp.sign(b._data)
    )
    return Tensor._wrap(q.astype(a._data.dtype), a._device)


def truncatemod(x, y, name=None) -> Tensor:
    """Remainder with the sign of ``x`` (C's %)."""
    a, b = pair_operands(x, y, "truncatemod")
    broadcast_shape("truncatemod", a._data.shape, b._data.shape)
    numbers_only("truncatemod", a)
    if a.dtype.kind in "iu" and bool((b._data == 0).any()):
        raise invalid_argument("truncatemod", "integer division by zero")
    return Tensor._wrap(a._device.xp.fmod(a._data, b._data), a._device)


def invert_permutation(x, name=None) -> Tensor:
    """The inverse of a permutation of ``0..n-1``."""
    t = as_tensor(x)
    p = t.numpy()
    if t.ndim != 1 or t.dtype.kind not in "iu" or sorted(p.tolist()) != list(range(p.size)):
        raise invalid_argument(
            "invert_permutation", f"expected a permutation of 0..n-1, received {p.tolist()}"
        )
    inv = np.empty_like(p)
    inv[p] = np.arange(p.size, dtype=p.dtype)
    return Tensor._wrap(t._device.asarray(inv), t._device)


def is_non_decreasing(x, name=None) -> Tensor:
    """Whether the flattened ``x`` never decreases."""
    t = as_tensor(x)
    v = t.numpy().reshape(-1)
    return Tensor._wrap(t._device.asarray(np.bool_(bool((np.diff(v) >= 0).all()))), t._device)


def is_strictly_increasing(x, name=None) -> Tensor:
    """Whether the flattened ``x`` always increases."""
    t = as_tensor(x)
    v = t.numpy().reshape(-1)
    return Tensor._wrap(t._device.asarray(np.bool_(bool((np.diff(v) > 0).all()))), t._device)
