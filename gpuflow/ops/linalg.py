"""Matrix products."""
from __future__ import annotations

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import pair_operands, unbroadcast
from ..errors import invalid_argument


def _swap(a):
    return a.swapaxes(-1, -2)


class MatMul(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return self.device.kernels.matmul(a, b)

    def backward(self, g):
        mm = self.device.kernels.matmul
        ga = unbroadcast(mm(g, _swap(self.b)), self.a.shape) if self.needs_grad[0] else None
        gb = unbroadcast(mm(_swap(self.a), g), self.b.shape) if self.needs_grad[1] else None
        return ga, gb


def matmul(a, b, transpose_a: bool = False, transpose_b: bool = False) -> Tensor:
    """Matrix product of tensors of rank >= 2 (leading axes broadcast); float16 accumulates in float32."""
    a, b = pair_operands(a, b, "matmul")
    if a.ndim < 2 or b.ndim < 2:
        raise invalid_argument(
            "matmul", f"expected tensors of rank >= 2, received shapes {tuple(a.shape)} "
                      f"and {tuple(b.shape)}")
    if transpose_a or transpose_b:
        from .shape import transpose

        if transpose_a:
            a = transpose(a, list(range(a.ndim - 2)) + [a.ndim - 1, a.ndim - 2])
        if transpose_b:
            b = transpose(b, list(range(b.ndim - 2)) + [b.ndim - 1, b.ndim - 2])
    if a.shape[-1] != b.shape[-2]:
        raise invalid_argument(
            "matmul", f"inner dimensions differ: shapes {tuple(a.shape)} and {tuple(b.shape)} "
                      f"({a.shape[-1]} != {b.shape[-2]})")
    return MatMul()(a, b)
