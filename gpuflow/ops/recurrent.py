"""The matrix product the recurrent layers run at every timestep.

A 2-D ``a @ b`` whose backward pass hands BLAS contiguous operands: NumPy's matmul with a
transposed view as one operand (``g @ w.T``) can fall off the BLAS path and run tens of
times slower, and an RNN does two such products per step. The weights' transposes are
small, so copying them is cheap.
"""

from __future__ import annotations

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import pair_operands


class MatMul2D(Function):
    def forward(self, a, b):
        xp = self.xp
        self.a, self.b = a, b
        return self.device.matmul(xp.ascontiguousarray(a), xp.ascontiguousarray(b))

    def backward(self, g):
        xp, mm = self.xp, self.device.matmul
        g = xp.ascontiguousarray(g)
        ga = mm(g, xp.ascontiguousarray(self.b.T)) if self.needs_grad[0] else None
        gb = mm(xp.ascontiguousarray(self.a.T), g) if self.needs_grad[1] else None
        return ga, gb


def matmul_2d(a, b) -> Tensor:
    """``a @ b`` for matrices ``[M, K] @ [K, N]``.

    Raises:
        ValueError: when either is not 2-D or the inner sizes differ.
    """
    a, b = pair_operands(a, b, "matmul_2d")
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError(
            f"matmul_2d: expected [M, K] @ [K, N], received shapes {tuple(a.shape)} "
            f"and {tuple(b.shape)}"
        )
    return MatMul2D()(a, b)
