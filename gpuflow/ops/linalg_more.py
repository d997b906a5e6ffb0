"""More tf.linalg, composed of differentiable ops: set_diag, normalize, cross, pinv,
triangular_solve, cholesky_solve, lstsq, matrix_rank."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._common import (
    as_tensor,
    invalid_argument,
    no_bfloat16,
    pair_operands,
    unsupported_dtype,
)
from .creation import constant
from .linalg import _diag_cells, _diag_range, band_part, matmul, matrix_transpose
from .linalg_decomp import matrix_solve, norm, svd


def set_diag(input, diagonal, name=None, k=0, align="RIGHT_LEFT") -> Tensor:  # noqa: A002
    """``input`` with its ``k``-th diagonal replaced by ``diagonal`` ``[..., max_len]``, or
    for ``k = (low, high)`` diagonals ``high`` down to ``low`` by the rows of ``diagonal``
    ``[..., high - low + 1, max_len]`` (shorter ones aligned as ``align`` says), as
    ``tf.linalg.set_diag``. Differentiable in both."""
    from .indexing import gather
    from .math import where
    from .shape import concat, reshape

    op = "set_diag"
    x = as_tensor(input)
    d = as_tensor(diagonal, device=x._device, dtype=x.dtype)
    if x.ndim < 2:
        raise invalid_argument(op, f"expected rank >= 2, received shape {tuple(x.shape)}")
    low, high = _diag_range(k, op)
    rows, cols = x.shape[-2], x.shape[-1]
    index, length, count = _diag_cells(rows, cols, low, high, align, op)
    batch = list(x.shape[:-2])
    expected = batch + ([length] if low == high else [count, length])
    if list(d.shape) != expected:
        raise invalid_argument(
            op,
            f"for input of shape {tuple(x.shape)} and k=({low}, {high}) the diagonal must have "
            f"shape {tuple(expected)}, received {tuple(d.shape)}",
        )
    total = count * length
    # constants of the shapes alone (recorded as such inside gpuflow.function)
    fill = constant(np.zeros(tuple(batch) + (1,), dtype=x._data.dtype), device=x._device)
    flat = concat([reshape(d, batch + [total]), fill], axis=-1)
    placed = reshape(gather(flat, index.ravel(), axis=-1), batch + [rows, cols])
    on_diagonal = constant(index < total, device=x._device)
    return where(on_diagonal, placed, x)


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """``(tensor / norm, norm)`` with the norm over ``axis``."""
    x = as_tensor(tensor)
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return x / n, n


def cross(a, b, name=None) -> Tensor:
    """The cross product of 3-vectors along the last axis."""
    from .shape import stack

    a, b = pair_operands(a, b, "cross")
    if a.ndim < 1 or a.shape[-1] != 3 or tuple(a.shape) != tuple(b.shape):
        raise invalid_argument(
            "cross",
            f"expected two tensors of one shape [..., 3], received "
            f"{tuple(a.shape)} and {tuple(b.shape)}",
        )
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def pinv(a, rcond=None, validate_args=False, name=None) -> Tensor:
    """The Moore-Penrose pseudo-inverse, through the SVD (singular values below
    ``rcond * max(s)`` are treated as zero)."""
    from .math import where

    x = as_tensor(a)
    no_bfloat16("pinv", x)
    if x.ndim < 2 or x.dtype.kind != "f":
        raise invalid_argument(
            "pinv",
            f"expected float matrices [..., M, N], received shape {tuple(x.shape)} "
            f"dtype {x.dtype.name}",
        )
    m, n = x.shape[-2], x.shape[-1]
    if rcond is None:
        rcond = 10 * max(m, n) * float(np.finfo(np.dtype(x.dtype)).eps)
    s, u, v = svd(x)
    cutoff = float(rcond) * s.numpy().max(axis=-1, keepdims=True)
    keep = Tensor._wrap(x._device.asarray(s.numpy() > cutoff), x._device)
    inv_s = where(keep, 1 / where(keep, s, s * 0 + 1), s * 0)
    return matmul(v * inv_s[..., None, :], matrix_transpose(u))


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None) -> Tensor:
    """``X`` with ``T @ X = rhs`` for the lower (or upper) triangle ``T`` of ``matrix``."""
    no_bfloat16("triangular_solve", as_tensor(matrix))
    t = band_part(as_tensor(matrix), -1, 0) if lower else band_part(as_tensor(matrix), 0, -1)
    return matrix_solve(matrix_transpose(t) if adjoint else t, rhs)


def cholesky_solve(chol, rhs, name=None) -> Tensor:
    """``X`` with ``L L^T X = rhs``, ``L = chol`` from ``tf.linalg.cholesky``."""
    no_bfloat16("cholesky_solve", as_tensor(chol))
    y = triangular_solve(chol, rhs, lower=True)
    return triangular_solve(chol, y, lower=True, adjoint=True)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None) -> Tensor:
    """Least squares ``argmin |A X - B|^2 + l2 |X|^2`` by the normal equations (the
    minimum-norm solution when ``A`` has fewer rows than columns)."""
    from .creation import eye

    a, b = pair_operands(matrix, rhs, "lstsq")
    no_bfloat16("lstsq", a)
    if a.ndim < 2 or b.ndim < 2 or a.shape[-2] != b.shape[-2]:
        raise invalid_argument(
            "lstsq",
            f"expected matrix [..., M, N] and rhs [..., M, K], "
            f"received {tuple(a.shape)} and {tuple(b.shape)}",
        )
    at = matrix_transpose(a)
    # As TensorFlow's fast path: the normal equations when M >= N; the minimum-norm
    # solution A^T (A A^T + l2 I)^-1 B of an underdetermined system when M < N.
    wide = a.shape[-2] < a.shape[-1]
    gram = matmul(a, at) if wide else matmul(at, a)
    if l2_regularizer:
        gram = gram + l2_regularizer * eye(gram.shape[-1], dtype=a.dtype, device=a.device)
    if wide:
        return matmul(at, matrix_solve(gram, b))
    return matrix_solve(gram, matmul(at, b))


def matrix_rank(a, tol=None, validate_args=False, name=None) -> Tensor:
    """The number of singular values above ``tol`` (default ``eps * max(M, N) * max(s)``)."""
    x = as_tensor(a)
    no_bfloat16("matrix_rank", x)
    if x.dtype.kind != "f":
        raise unsupported_dtype(
            "matrix_rank", f"expected a float tensor, received dtype {x.dtype.name}"
        )
    s = svd(x, compute_uv=False).numpy()
    if tol is None:
        tol = s.max(axis=-1, keepdims=True) * max(x.shape[-2:]) * np.finfo(s.dtype).eps
    rank = (s > tol).sum(axis=-1).astype(np.int32)
    return Tensor._wrap(x._device.asarray(rank), x._device)
