"""Selection: where (three arguments; one argument gives coordinates) and clip_by_value."""

from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_tensor,
    broadcast_shape,
    invalid_argument,
    numbers_only,
    ordered_only,
    pair_operands,
    unsupported_dtype,
)


class Where(Function):
    keeps_strings = True  # also moves tf.string elements

    def forward(self, cond, x, y):
        self.cond = cond
        return self.xp.where(cond, x, y)

    def backward(self, F, g):
        _, x, y = F.inputs(self)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        cond = F.const(self.cond)
        return (
            None,
            F.unbroadcast(F.where(cond, g, zero), x.shape),
            F.unbroadcast(F.where(cond, zero, g), y.shape),
        )


class Clip(Function):
    def forward(self, x, low, high):
        # TensorFlow's order, maximum(minimum(x, high), low): bounds that cross give low
        capped = self.xp.minimum(x, high)
        self.mask = (capped >= low) & (x <= high)
        self.below = capped < low
        self.above = (x > high) & (high >= low)
        return self.xp.maximum(capped, low)

    def backward(self, F, g):
        x, low, high = F.inputs(self)
        zero = F.const(self.xp.zeros((), self._y.dtype))
        inside = F.const(self.mask)
        gx = F.unbroadcast(F.where(inside, g, zero), x.shape)
        below = F.const(self.below)
        above = F.const(self.above)
        glow = F.unbroadcast(F.where(below, g, zero), low.shape) if self.needs_grad[1] else None
        ghigh = F.unbroadcast(F.where(above, g, zero), high.shape) if self.needs_grad[2] else None
        return gx, glow, ghigh


def where(condition, x=None, y=None, name=None) -> Tensor:
    """Elements of ``x`` where ``condition`` holds, else of ``y`` (broadcasting).

    With ``condition`` alone: the coordinates of its true elements, ``[n, rank]`` int64.
    """
    cond = as_tensor(condition)
    if x is None and y is None:
        from .indexing import where_indices

        return where_indices(cond)
    if x is None or y is None:
        raise invalid_argument("where", "x and y must both be given, or neither")
    if cond.dtype != dtypes.bool_:
        raise unsupported_dtype(
            "where", f"condition must be a bool tensor, received dtype {cond.dtype.name}"
        )
    x, y = pair_operands(x, y, "where")
    shape = broadcast_shape("where", x._data.shape, y._data.shape)
    broadcast_shape("where", cond._data.shape, shape)
    return Where()(cond, x, y)


def clip_by_value(t, clip_value_min, clip_value_max, name=None) -> Tensor:
    """``t`` with values below/above the bounds set to them (gradient 0 outside)."""
    x = as_tensor(t)
    numbers_only("clip_by_value", x)
    ordered_only("clip_by_value", x)
    low = as_tensor(clip_value_min, device=x._device, dtype=x.dtype)
    high = as_tensor(clip_value_max, device=x._device, dtype=x.dtype)
    from .cast import cast

    low, high = cast(low, x.dtype), cast(high, x.dtype)
    broadcast_shape(
        "clip_by_value",
        broadcast_shape("clip_by_value", x._data.shape, low._data.shape),
        high._data.shape,
    )
    return Clip()(x, low, high)
