"""``tf.histogram_fixed_width`` and ``tf.histogram_fixed_width_bins``: equal-width bins over
``value_range``; values below it count in the first bin, values above it in the last
(not differentiable; one host step each when traced)."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_int, as_tensor, invalid_argument


def _check(op: str, values, value_range, nbins):
    values = as_tensor(values)
    if values.dtype.kind not in "iuf":
        raise invalid_argument(op, f"expected number values, received dtype {values.dtype.name}")
    value_range = as_tensor(value_range)
    if tuple(value_range.shape) != (2,):
        raise invalid_argument(
            op, f"value_range must have shape [2], received shape {list(value_range.shape)}"
        )
    lo, hi = (values._device.to_host(value_range._data).astype(values._data.dtype)).tolist()
    if not lo < hi:
        raise invalid_argument(
            op, f"value_range should satisfy value_range[0] < value_range[1], received {[lo, hi]}"
        )
    nbins = as_int(op, "nbins", nbins)
    if nbins <= 0:
        raise invalid_argument(op, f"nbins should be a positive number, received {nbins}")
    return values, lo, hi, nbins


@host_call(effect=False)
def histogram_fixed_width_bins(values, value_range, nbins=100, dtype="int32", name=None):
    """The bin index (``dtype``) of each value: ``floor(nbins * (v - lo) / (hi - lo))``,
    clipped to ``[0, nbins - 1]``; same shape as ``values``."""
    values, lo, hi, nbins = _check("histogram_fixed_width_bins", values, value_range, nbins)
    xp = values._device.xp
    data = values._data
    if data.dtype.kind != "f":  # integer values divide in float64, as TensorFlow's truediv
        data = data.astype(np.float64)
    scaled = (data - data.dtype.type(lo)) / data.dtype.type(hi - lo)
    index = xp.clip(xp.floor(data.dtype.type(nbins) * scaled), 0, nbins - 1)
    return Tensor._wrap(index.astype(dtypes.as_dtype(dtype)), values._device)


@host_call(effect=False)
def histogram_fixed_width(values, value_range, nbins=100, dtype="int32", name=None):
    """The number of values in each of ``nbins`` equal-width bins of ``value_range`` (a
    1-D tensor of ``dtype``); values outside the range count in the first or last bin."""
    values, lo, hi, nbins = _check("histogram_fixed_width", values, value_range, nbins)
    xp = values._device.xp
    data = values._data.reshape(-1)
    if data.dtype.kind == "f" and bool(xp.isnan(data).any()):
        raise invalid_argument("histogram_fixed_width", "values must not contain NaN")
    step = (float(hi) - float(lo)) / nbins
    offset = (xp.maximum(data, data.dtype.type(lo)) - data.dtype.type(lo)).astype(np.float64)
    index = xp.minimum(offset / step, nbins - 1).astype(np.int64)
    counts = xp.bincount(index, minlength=nbins)
    return Tensor._wrap(counts.astype(dtypes.as_dtype(dtype)), values._device)
