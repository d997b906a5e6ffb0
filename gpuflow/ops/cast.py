"""``cast``: dtype conversion as a differentiable op (``tf.cast``).

Its own module because the other op modules need it (operands are cast to a common
dtype) and it needs none of them.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..errors import UnimplementedError
from ..tensor import Tensor, Variable
from ._convert import as_tensor


class Cast(Function):
    complex_grads = True

    def __init__(self, dtype) -> None:
        self.dtype = dtype

    def forward(self, x):
        if self.dtype == dtypes.bfloat16 and self.xp is not np:  # CuPy has no bfloat16
            from ..backend.cuda import no_bfloat16_on_cuda

            raise TypeError("cast: " + no_bfloat16_on_cuda(self.device.name))
        if x.dtype.kind == "c" and self.dtype.kind != "c":
            x = x.real  # as TensorFlow: a complex to real cast keeps the real part
        return x.astype(self.dtype)  # astype copies: the result never shares x's array

    def backward(self, F, g):
        # as TensorFlow's CastGrad: between float and complex dtypes the gradient is cast
        # back (a complex gradient to a float input keeps its real part)
        source = self._xs[0].dtype
        keeps = dtypes.is_float_np(source) or source.kind == "c"
        return (F.cast(g, source) if keeps else None,)


def cast(x, dtype, name=None) -> Tensor:
    """``x`` converted to ``dtype``; gradients flow back through float-to-float casts.

    Casting to the tensor's own dtype returns the tensor itself, except for a Variable:
    that gives a new tensor (a differentiable read), so that the Variable's later
    assignments do not show through.
    """
    if getattr(type(x), "_gpuflow_dense", None) is not None and hasattr(x, "indices"):
        # a tf.IndexedSlices stays one, its values cast (as TensorFlow's tf.cast)
        return type(x)(cast(x.values, dtype), x.indices, x.dense_shape)
    x = as_tensor(x)
    dtype = dtypes.as_dtype(dtype, "cast")
    if x.dtype == dtype and not isinstance(x, Variable):
        return x
    if x.dtype == dtypes.string or dtype == dtypes.string:
        raise UnimplementedError(
            None,
            "cast",
            f"cast: cast {x.dtype.name} to {dtype.name} is not supported; use "
            "tf.strings.to_number / tf.strings.as_string to convert text and numbers",
        )
    return Cast(dtype)(x)
