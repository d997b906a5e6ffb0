"""Ops that TensorFlow registers no gradient for, though gpuflow composes them of
differentiable ops (``tf.image.adjust_contrast`` / ``adjust_saturation`` / ``adjust_hue``,
``resize(method="area")``): ``tape.gradient`` through them raises TensorFlow's LookupError,
as user code written for TensorFlow expects (the autodiff guide catches it), instead of a
gradient TensorFlow does not have.
"""

from __future__ import annotations

from ..autodiff.function import Function
from ..autodiff.tape import stop_gradient
from ..tensor import Tensor


class _Unregistered(Function):
    """``out`` (computed from ``x`` with the gradient stopped) recorded as one op from
    ``x`` whose backward raises; ``gpuflow.function`` replays it as the identity."""

    twice_differentiable = False

    def __init__(self, op_type: str) -> None:
        self.op_type = op_type

    def forward(self, x, out):
        return out

    def backward(self, F, g):
        raise LookupError(
            f"gradient registry has no entry for: {self.op_type} (TensorFlow registers no "
            f"gradient for this op; differentiate a composition of other ops instead)"
        )


def without_gradient(op_type: str, compute, x: Tensor) -> Tensor:
    """``compute(x)`` whose gradient with respect to ``x`` raises TensorFlow's LookupError
    naming ``op_type`` (TensorFlow's op name, e.g. ``"AdjustContrastv2"``)."""
    if not x.dtype.is_floating:  # no gradient flows into other dtypes anyway
        return compute(x)
    return _Unregistered(op_type)(x, compute(stop_gradient(x)))
