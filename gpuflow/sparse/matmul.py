"""``tf.sparse.sparse_dense_matmul``: sparse ``A`` times dense ``B`` without densifying ``A``.

CPU: a row-scatter of ``values * B[cols]`` (``np.add.at``). CUDA: CuPy's CSR matrix, i.e.
cuSPARSE. Gradients: ``dB = A^T g`` (the same sparse product, transposed) and
``dvalues[i] = <g[row_i], B[col_i]>`` (a gather, no scatter).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..ops.math import cast
from ..tensor import Tensor
from ._segment import scatter_add
from .sparse_tensor import SparseTensor


def _sparse_times(xp, rows, cols, values, shape, dense):
    """``A @ dense`` for ``A`` given as COO (``rows``, ``cols``, ``values``) of ``shape``."""
    if xp is np:
        out = np.zeros((shape[0], dense.shape[1]), dtype=dense.dtype)
        if len(rows):
            scatter_add(np, out, rows, values[:, None] * dense[cols])
        return out
    import cupyx.scipy.sparse as cusparse

    matrix = cusparse.coo_matrix((values, (rows, cols)), shape=shape).tocsr()
    return matrix @ dense


class SparseDenseMatMul(Function):
    """Inputs ``(values, b)``; ``rows``/``cols``/``shape`` describe ``A`` after adjoint_a."""

    def __init__(self, rows, cols, shape, adjoint_b: bool) -> None:
        self.rows, self.cols, self.shape, self.adjoint_b = rows, cols, shape, adjoint_b

    def forward(self, values, b):
        self.values, self.b = values, b
        dense = b.T if self.adjoint_b else b
        acc = dtypes.accumulation_dtype(values.dtype)  # float16: accumulate in float32
        out = _sparse_times(
            self.xp,
            self.rows,
            self.cols,
            values.astype(acc, copy=False),
            self.shape,
            self.xp.ascontiguousarray(dense.astype(acc, copy=False)),
        )
        return out.astype(values.dtype, copy=False)

    def backward(self, g):
        xp = self.xp
        dtype = g.dtype
        acc = dtypes.accumulation_dtype(dtype)
        g = g.astype(acc, copy=False)
        dense = (self.b.T if self.adjoint_b else self.b).astype(acc, copy=False)
        d_values = (g[self.rows] * dense[self.cols]).sum(axis=1)
        # dB (for B as used) = A^T g: the same sparse product with rows and cols swapped.
        d_dense = _sparse_times(
            xp,
            self.cols,
            self.rows,
            self.values.astype(acc, copy=False),
            (self.shape[1], self.shape[0]),
            xp.ascontiguousarray(g),
        )
        d_dense = d_dense.T if self.adjoint_b else d_dense
        return d_values.astype(dtype, copy=False), d_dense.astype(dtype, copy=False)


def sparse_dense_matmul(
    sp_a, b, adjoint_a: bool = False, adjoint_b: bool = False, name=None
) -> Tensor:
    """``A @ B`` for a rank-2 SparseTensor ``A`` and a dense matrix ``B``.

    Args:
        sp_a: SparseTensor ``[M, K]`` (``[K, M]`` with ``adjoint_a``).
        b: dense ``[K, N]`` (``[N, K]`` with ``adjoint_b``).
        adjoint_a, adjoint_b: use the transpose of that operand (real dtypes only).

    Returns:
        dense ``[M, N]``, differentiable in ``sp_a.values`` and ``b``.

    Raises:
        InvalidArgumentError: for ranks other than 2 or inner sizes that differ.
    """
    op = "sparse.sparse_dense_matmul"
    if not isinstance(sp_a, SparseTensor):
        raise TypeError(f"{op}: sp_a must be a SparseTensor, received {type(sp_a).__name__}")
    b = as_tensor(b, device=sp_a.values._device)
    if sp_a.ndim != 2 or b.ndim != 2:
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: expected a rank-2 SparseTensor and a rank-2 "
            f"tensor, received dense_shape {list(sp_a.shape)} "
            f"and shape {tuple(b.shape)}",
        )
    rows, cols = sp_a.indices._data[:, 0], sp_a.indices._data[:, 1]
    shape = tuple(sp_a.shape)
    if adjoint_a:
        rows, cols, shape = cols, rows, shape[::-1]
    inner = b.shape[1] if adjoint_b else b.shape[0]
    if inner != shape[1]:
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: inner sizes differ: A is {list(shape)} "
            f"(after adjoint_a={adjoint_a}) and B is "
            f"{tuple(b.shape)} (adjoint_b={adjoint_b})",
        )
    values = sp_a.values
    if values.dtype != b.dtype:
        common = dtypes.promote(values.dtype, b.dtype)
        values, b = cast(values, common), cast(b, common)
    return SparseDenseMatMul(rows, cols, shape, adjoint_b)(values, b)


def sparse_dense(sp, kernel, bias=None) -> Tensor:
    """``sp @ kernel + bias`` for a rank-2 SparseTensor (a ``Dense`` layer's sparse input)."""
    y = sparse_dense_matmul(sp, kernel)
    return y if bias is None else y + bias
