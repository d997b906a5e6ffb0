"""``cast``: dtype conversion as a differentiable op (``tf.cast``).

Its own module because the other op modules need it (operands are cast to a common
dtype) and it needs none of them.
"""
from __future__ import annotations

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._convert import as_tensor


class Cast(Function):
    def __init__(self, dtype) -> None:
        self.dtype = dtype

    def forward(self, x):
        self.source = x.dtype
        return x.astype(self.dtype)

    def backward(self, g):
        return (g.astype(self.source) if self.source.kind == "f" else None,)


def cast(x, dtype) -> Tensor:
    """``x`` converted to ``dtype``; gradients flow back through float-to-float casts."""
    x = as_tensor(x)
    dtype = dtypes.as_dtype(dtype, "cast")
    if x.dtype == dtype:
        return x
    return Cast(dtype)(x)
