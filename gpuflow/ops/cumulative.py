"""The cumulative-scan Functions ``Cumsum`` and ``Cumprod`` (``tf.math.cumsum``/``cumprod``).

A leaf among the op modules: ``reduce_prod``'s gradient needs ``Cumprod`` and
:mod:`gpuflow.ops.math_extra` (which defines ``cumsum``/``cumprod``) needs ``reduce_sum``.
"""

from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function


class Cumsum(Function):
    """Cumulative sum; its gradient is the cumulative sum the other way round."""

    def __init__(self, axis, exclusive, reverse) -> None:
        self.axis, self.exclusive, self.reverse = axis, exclusive, reverse

    def forward(self, x):
        xp, ax = self.xp, self.axis
        if self.reverse:
            x = xp.flip(x, ax)
        out = xp.cumsum(
            x, axis=ax, dtype=dtypes.accumulation_dtype(x.dtype) if x.dtype.kind == "f" else x.dtype
        ).astype(x.dtype, copy=False)
        if self.exclusive:
            out = (
                xp.concatenate(
                    [
                        xp.zeros_like(xp.take(out, [0], axis=ax)),
                        xp.take(out, range(out.shape[ax] - 1), axis=ax),
                    ],
                    axis=ax,
                )
                if out.shape[ax]
                else out
            )
        return xp.flip(out, ax) if self.reverse else out

    def backward(self, F, g):
        return (F.apply(Cumsum(self.axis, self.exclusive, not self.reverse), g),)


class Cumprod(Function):
    def __init__(self, axis, exclusive, reverse) -> None:
        self.axis, self.exclusive, self.reverse = axis, exclusive, reverse

    def forward(self, x):
        xp, ax = self.xp, self.axis
        if self.reverse:
            x = xp.flip(x, ax)
        # integers keep their dtype (NumPy would widen int32 to int64), as in Cumsum
        acc = dtypes.accumulation_dtype(x.dtype) if x.dtype.kind == "f" else x.dtype
        out = xp.cumprod(x, axis=ax, dtype=acc).astype(x.dtype, copy=False)
        if self.exclusive and out.shape[ax]:
            out = xp.concatenate(
                [
                    xp.ones_like(xp.take(out, [0], axis=ax)),
                    xp.take(out, range(out.shape[ax] - 1), axis=ax),
                ],
                axis=ax,
            )
        return xp.flip(out, ax) if self.reverse else out

    def backward(self, F, g):
        # TensorFlow's formula, div_no_nan included: exact where x has no zeros, and 0 (not
        # 0 / 0 = NaN) where x is 0.
        (x,) = F.inputs(self)
        scan = F.apply(Cumsum(self.axis, self.exclusive, not self.reverse), g * F.output(self))
        zero_mask = F.const(self._xs[0] == 0)
        dtype = self._y.dtype
        safe = F.where(zero_mask, F.const(self.xp.ones((), dtype)), x)
        return (F.where(zero_mask, F.const(self.xp.zeros((), dtype)), scan / safe),)
