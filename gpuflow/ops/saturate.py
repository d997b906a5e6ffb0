"""``saturate_cast`` (``tf.dtypes.saturate_cast``): a cast that clamps instead of wrapping.

It lives among the ops, not in :mod:`gpuflow.dtypes`, because it needs ``cast`` and
``clip_by_value`` and ``dtypes`` is imported by the tensor itself (arrows point down).
"""

from __future__ import annotations

from .. import dtypes
from ._common import as_tensor
from .cast import cast
from .select import clip_by_value


def saturate_cast(value, dtype, name=None):
    """``value`` cast to ``dtype`` with values clamped to its range first (no wrap-around)."""
    target = dtypes.as_dtype(dtype, "saturate_cast")
    x = as_tensor(value)
    if x.dtype.kind != "b" and target.kind != "b":
        low = max(float(target.min), float(x.dtype.min)) if x.dtype.kind != "b" else 0
        high = min(float(target.max), float(x.dtype.max))
        if low > float(x.dtype.min) or high < float(x.dtype.max):
            x = clip_by_value(x, x.dtype.type(low), x.dtype.type(high))
    return cast(x, target)
