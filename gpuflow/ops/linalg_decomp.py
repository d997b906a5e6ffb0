"""Matrix functions and decompositions: inv, det, slogdet, solve, cholesky, eigh, qr, svd,
norm. Gradients follow TensorFlow's formulas, written in differentiable ops where they
use other matrix functions (so they differentiate again)."""

from __future__ import annotations

import numpy as np

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_tensor,
    invalid_argument,
    no_bfloat16,
    normalize_axis,
    unsupported_dtype,
)
from .linalg import _swap_perm, matmul
from .op_results import LogMatrixDeterminant
from .op_results import Qr as QrResult


def _square(op, x, least=2):
    x = as_tensor(x)
    if x.dtype.kind != "f":
        raise unsupported_dtype(op, f"expected a float tensor, received dtype {x.dtype.name}")
    no_bfloat16(op, x)
    if x.ndim < least or x.shape[-1] != x.shape[-2]:
        raise invalid_argument(
            op, f"expected square matrices [..., N, N], received shape {tuple(x.shape)}"
        )
    return x


def _linalg(op, fn, *args):
    try:
        return fn(*args)
    except np.linalg.LinAlgError as exc:
        raise invalid_argument(
            op, f"{exc} (the input is singular or not positive definite)"
        ) from None


def _t(F, x):
    return F.transpose(x, _swap_perm(len(x.shape)))


def _inv(F, x):
    """The inverse inside a backward pass: a recorded op on Tensors, else on arrays."""
    return matrix_inverse(x) if F.tensors else F.xp.linalg.inv(x)


class Inv(Function):
    def forward(self, x):
        return _linalg("inv", self.xp.linalg.inv, x)

    def backward(self, F, g):
        yt = _t(F, F.output(self))
        return (-F.matmul(yt, F.matmul(g, yt)),)


def matrix_inverse(input, adjoint=False, name=None) -> Tensor:  # noqa: A002
    """The inverse of each square matrix in the last two axes."""
    x = _square("inv", input)
    out = Inv()(x)
    return _t_op(out) if adjoint else out


inv = matrix_inverse


def _t_op(x):
    from .shape import transpose

    return transpose(x, _swap_perm(x.ndim))


class Det(Function):
    def forward(self, x):
        return self.xp.linalg.det(x)

    def backward(self, F, g):
        (x,) = F.inputs(self)
        scale = F.reshape(g * F.output(self), tuple(g.shape) + (1, 1))
        return (scale * _t(F, _inv(F, x)),)


def det(input, name=None) -> Tensor:  # noqa: A002
    """The determinant of each square matrix."""
    return Det()(_square("det", input))


class LogAbsDet(Function):
    def forward(self, x):
        return self.xp.linalg.slogdet(x)[1]

    def backward(self, F, g):
        (x,) = F.inputs(self)
        return (F.reshape(g, tuple(g.shape) + (1, 1)) * _t(F, _inv(F, x)),)


def slogdet(input, name=None):  # noqa: A002
    """``(sign, log|det|)`` of each square matrix (the second differentiable)."""
    x = _square("slogdet", input)
    sign = Tensor._wrap(x._device.xp.linalg.slogdet(x._data)[0].astype(x.dtype), x._device)
    return LogMatrixDeterminant(sign, LogAbsDet()(x))


def logdet(matrix, name=None) -> Tensor:
    """``log(det(matrix))`` of Hermitian positive definite matrices."""
    no_bfloat16("logdet", as_tensor(matrix))
    return slogdet(matrix)[1]


class Solve(Function):
    def forward(self, a, b):
        return _linalg("solve", self.xp.linalg.solve, a, b)

    def backward(self, F, g):
        a, _ = F.inputs(self)
        gb = (
            matrix_solve(_t_op(a), g)
            if F.tensors
            else _linalg("solve", self.xp.linalg.solve, _t(F, a), g)
        )
        ga = -F.matmul(gb, _t(F, F.output(self))) if self.needs_grad[0] else None
        return ga, gb


def matrix_solve(matrix, rhs, adjoint=False, name=None) -> Tensor:
    """``X`` with ``matrix @ X = rhs`` (``rhs [..., N, K]``)."""
    from ._common import pair_operands

    a, b = pair_operands(matrix, rhs, "solve")
    a = _square("solve", a)
    if b.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise invalid_argument(
            "solve", f"rhs must be [..., {a.shape[-1]}, K], received shape {tuple(b.shape)}"
        )
    if adjoint:
        a = _t_op(a)
    return Solve()(a, b)


solve = matrix_solve


def _cholesky_or_nan(xp, x):
    """The Cholesky factors of ``x``; as TensorFlow, a matrix that is not positive definite
    gives a lower triangle of NaNs (zeros above) instead of an error."""
    try:
        out = xp.linalg.cholesky(x)
    except np.linalg.LinAlgError:  # NumPy fails the whole batch: factor each matrix alone
        flat = x.reshape((-1,) + x.shape[-2:])
        out = xp.full_like(flat, np.nan)
        for i in range(flat.shape[0]):
            try:
                out[i] = xp.linalg.cholesky(flat[i])
            except np.linalg.LinAlgError:
                pass
        out = out.reshape(x.shape)
    # Backends that do not raise (cuSOLVER) leave a partial factor: mark those matrices too.
    diag = xp.diagonal(out, axis1=-2, axis2=-1)
    failed = ~xp.all(diag > 0, axis=-1)[..., None, None]
    n = x.shape[-1]
    nan_lower = xp.where(xp.tril(xp.ones((n, n), dtype=bool)), xp.asarray(np.nan, x.dtype), 0)
    return xp.where(failed, nan_lower.astype(x.dtype), out)


class Cholesky(Function):
    def forward(self, x):
        return _cholesky_or_nan(self.xp, x)

    def backward(self, F, g):
        # Murray (2016): A_bar = 0.5 L^-T Phi(L^T L_bar) L^-1, symmetrized; Phi keeps the
        # lower triangle with the diagonal halved.
        low = F.output(self)
        n = self._y.shape[-1]
        phi_mask = np.tril(np.ones((n, n))) - 0.5 * np.eye(n)
        phi_mask = self.xp.asarray(phi_mask.astype(self._y.dtype))
        linv = _inv(F, low)
        p = F.matmul(_t(F, low), g) * F.const(phi_mask)
        s = F.matmul(_t(F, linv), F.matmul(p, linv))
        return (0.5 * (s + _t(F, s)),)


def cholesky(input, name=None) -> Tensor:  # noqa: A002
    """The lower-triangular ``L`` with ``L @ L^T = input`` (positive definite input).

    A matrix that is not positive definite gives NaNs in its lower triangle, as TensorFlow
    (no error: check with ``tf.math.is_nan`` or ``tf.debugging.check_numerics``).
    """
    return Cholesky()(_square("cholesky", input))


class Eigh(Function):
    """Eigenvalues and eigenvectors packed in one output ``[..., N + 1, N]``: rows ``:N``
    the eigenvectors (columns), row ``N`` the eigenvalues."""

    def forward(self, x):
        w, v = _linalg("eigh", self.xp.linalg.eigh, x)
        return self.xp.concatenate([v, w[..., None, :]], axis=-2)

    def backward(self, F, g):
        # TensorFlow's formula: V (diag(gw) + f * (V^T gV)) V^T with f_ij = 1/(w_j - w_i),
        # then the lower triangle (the part eigh reads) of A_bar + A_bar^T, diagonal halved.
        n = self._xs[0].shape[-1]
        out = F.output(self)
        v, w = (
            F.getitem(out, (Ellipsis, slice(0, n), slice(None))),
            F.getitem(out, (Ellipsis, slice(n, n + 1), slice(None))),
        )  # w as a row [..., 1, N]
        gv, gw = (
            F.getitem(g, (Ellipsis, slice(0, n), slice(None))),
            F.getitem(g, (Ellipsis, n, slice(None))),
        )
        dt = self._y.dtype
        eye = F.const(self.xp.eye(n, dtype=bool))
        diff = w - _t(F, w)  # [..., N, N]: w_j - w_i
        f = F.where(
            eye,
            F.const(self.xp.zeros((), dt)),
            F.reciprocal(F.where(eye, F.const(self.xp.ones((), dt)), diff)),
        )
        inner = F.matmul(_t(F, v), gv) * f
        inner = inner + F.reshape(gw, tuple(gw.shape[:-1]) + (1, n)) * F.const(
            self.xp.eye(n, dtype=self._y.dtype)
        )
        ga = F.matmul(v, F.matmul(inner, _t(F, v)))
        ga = ga + _t(F, ga)
        lower = np.tril(np.ones((n, n))) - 0.5 * np.eye(n)
        return (ga * F.const(self.xp.asarray(lower.astype(self._y.dtype))),)


def eigh(tensor, name=None):
    """``(eigenvalues, eigenvectors)`` of symmetric matrices (the lower triangle is read)."""
    x = _square("eigh", tensor)
    n = x.shape[-1]
    packed = Eigh()(x)
    from .indexing import GetItem

    return GetItem((Ellipsis, n, slice(None)))(packed), GetItem(
        (Ellipsis, slice(0, n), slice(None))
    )(packed)


def eigvalsh(tensor, name=None) -> Tensor:
    """Eigenvalues of symmetric matrices."""
    no_bfloat16("eigvalsh", as_tensor(tensor))
    return eigh(tensor)[0]


def _rows(F, packed, start, stop):
    return F.getitem(packed, (Ellipsis, slice(start, stop), slice(None)))


class Qr(Function):
    """QR of ``[..., M, N]`` with M >= N (Q has N columns, or M = N with full matrices),
    packed as ``[..., M + N, N]`` rows: Q above R."""

    def __init__(self, full) -> None:
        self.full = full

    def forward(self, x):
        q, r = self.xp.linalg.qr(x, mode="complete" if self.full else "reduced")
        self.m, self.n = q.shape[-2], r.shape[-1]
        return self.xp.concatenate([q, r], axis=-2)

    def backward(self, F, g):
        # TensorFlow's formula (M >= N): with dQ, dR the parts of g,
        # A_bar = Q (dR + tril(Q^T dQ - dQ^T Q + R dR^T - dR R^T) R^-T)
        #         + (dQ - Q Q^T dQ) R^-T.
        out = F.output(self)
        q, r = _rows(F, out, 0, self.m), _rows(F, out, self.m, self.m + self.n)
        dq, dr = _rows(F, g, 0, self.m), _rows(F, g, self.m, self.m + self.n)
        qdq = F.matmul(_t(F, q), dq)
        rdr = F.matmul(r, _t(F, dr))
        low = self.xp.asarray(np.tril(np.ones((self.n, self.n))).astype(self._y.dtype))
        tril = (qdq - _t(F, qdq) + rdr - _t(F, rdr)) * F.const(low)
        r_inv_t = _t(F, _inv(F, r))
        grad_a = F.matmul(q, dr + F.matmul(tril, r_inv_t))
        grad_b = F.matmul(dq - F.matmul(q, qdq), r_inv_t)
        return (grad_a + grad_b,)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """``Qr(q, r)`` with ``input = q @ r``; differentiable without full_matrices (as
    TensorFlow: M >= N, and M < N through the square part)."""
    return QrResult(*_qr(input, full_matrices))


def _qr(input, full_matrices):  # noqa: A002
    from .indexing import GetItem

    x = as_tensor(input)
    no_bfloat16("qr", x)
    if x.ndim < 2 or x.dtype.kind != "f":
        raise invalid_argument(
            "qr",
            f"expected float matrices [..., M, N], received shape {tuple(x.shape)} "
            f"dtype {x.dtype.name}",
        )
    m, n = x.shape[-2], x.shape[-1]
    k = m if full_matrices else min(m, n)
    if m < n and not full_matrices:
        return _qr_wide(x, m)
    if k != n:  # Q and R differ in width: no gradient here, as in TensorFlow
        q, r = x._device.xp.linalg.qr(x._data, mode="complete" if full_matrices else "reduced")
        what = "qr of a wide matrix (M < N)" if m < n else "qr with full_matrices=True"
        return _NoGradientValue(what)(x, q), _NoGradientValue(what)(x, r)
    packed = Qr(full_matrices)(x)
    return (
        GetItem((Ellipsis, slice(0, m), slice(None)))(packed),
        GetItem((Ellipsis, slice(m, m + n), slice(None)))(packed),
    )


def _qr_wide(x, m):
    """QR of a wide ``[..., M, N]`` (M < N) as TensorFlow differentiates it: with
    ``x = [a, b]`` split after column M, ``a = Q U`` (square) and ``R = [U, Q^T b]`` (the
    same Q and R as LAPACK's: its reflectors come from the first M columns)."""
    from .indexing import GetItem
    from .shape import concat

    a = GetItem((Ellipsis, slice(None), slice(0, m)))(x)
    b = GetItem((Ellipsis, slice(None), slice(m, None)))(x)
    q, u = qr(a)
    return q, concat([u, matmul(q, b, transpose_a=True)], -1)


class _NoGradientValue(Function):
    """A value computed elsewhere, attached to ``x`` so that a gradient through it says
    there is none."""

    def __init__(self, op) -> None:
        self.op = op

    def __call__(self, x, value):
        self.value = value
        return super().__call__(x)

    def forward(self, x):
        return self.value

    def backward(self, F, g):
        raise LookupError(f"gradient: {self.op} has no gradient (as in TensorFlow)")


class Svd(Function):
    """Thin SVD of ``[..., M, N]`` packed as ``[..., M + N + 1, K]`` rows: U, V, then s.
    Differentiable (TensorFlow's formula) where the singular values are distinct."""

    def forward(self, x):
        u, s, vh = self.xp.linalg.svd(x, full_matrices=False)
        self.m, self.n = x.shape[-2], x.shape[-1]
        return self.xp.concatenate([u, self.xp.swapaxes(vh, -1, -2), s[..., None, :]], axis=-2)

    def backward(self, F, g):
        m, n = self.m, self.n
        out = F.output(self)
        u, v = _rows(F, out, 0, m), _rows(F, out, m, m + n)
        s = _rows(F, out, m + n, m + n + 1)  # [..., 1, K]
        gu, gv, gs = _rows(F, g, 0, m), _rows(F, g, m, m + n), _rows(F, g, m + n, m + n + 1)
        if m <= n:
            return (_svd_grad(F, self.xp, u, s, v, gu, gs, gv, m, n, self._y.dtype),)
        # A^T = V S U^T: the same formula with the roles of U and V swapped.
        return (_t(F, _svd_grad(F, self.xp, v, s, u, gv, gs, gu, n, m, self._y.dtype)),)


def _svd_grad(F, xp, u, s, v, gu, gs, gv, m, n, dtype):
    """TensorFlow's SVD gradient for ``A [..., M, N]`` with M <= N, thin U ``[M, M]``,
    V ``[N, M]``, s as a row ``[1, M]``, written in the backward namespace ``F``."""
    k = m
    eye = F.const(xp.eye(k, dtype=bool))
    eye_f = F.const(xp.eye(k, dtype=dtype))
    zero, one = F.const(xp.zeros((), dtype)), F.const(xp.ones((), dtype))
    s2 = s * s
    f = F.where(eye, zero, F.reciprocal(F.where(eye, one, s2 - _t(F, s2))))  # 1/(s_j^2 - s_i^2)
    s_mat = eye_f * s
    f_u = f * F.matmul(_t(F, u), gu)
    f_v = f * F.matmul(_t(F, v), gv)
    inner = eye_f * gs + F.matmul(f_u + _t(F, f_u), s_mat) + F.matmul(s_mat, f_v + _t(F, f_v))
    grad = F.matmul(u, F.matmul(inner, _t(F, v)))
    if m < n:
        gvt = _t(F, gv)
        term2 = gvt - F.matmul(F.matmul(gvt, v), _t(F, v))
        grad = grad + F.matmul(u * F.reciprocal(s), term2)
    return grad


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Singular values ``s`` (and ``u``, ``v`` with ``tensor = u diag(s) v^T``), in
    TensorFlow's order ``(s, u, v)``; differentiable in all three (thin SVD)."""
    from .indexing import GetItem

    x = as_tensor(tensor)
    no_bfloat16("svd", x)
    if x.ndim < 2 or x.dtype.kind != "f":
        raise invalid_argument(
            "svd",
            f"expected float matrices [..., M, N], received shape {tuple(x.shape)} "
            f"dtype {x.dtype.name}",
        )
    m, n = x.shape[-2], x.shape[-1]
    if full_matrices and m != n:
        u, s, vh = x._device.xp.linalg.svd(x._data, full_matrices=True)
        what = "svd with full_matrices=True of a non-square matrix"
        s_t = _NoGradientValue(what)(x, s)
        if not compute_uv:
            return s_t
        return (
            s_t,
            _NoGradientValue(what)(x, u),
            _NoGradientValue(what)(x, x._device.xp.swapaxes(vh, -1, -2)),
        )
    packed = Svd()(x)
    s = GetItem((Ellipsis, m + n, slice(None)))(packed)
    if not compute_uv:
        return s
    return (
        s,
        GetItem((Ellipsis, slice(0, m), slice(None)))(packed),
        GetItem((Ellipsis, slice(m, m + n), slice(None)))(packed),
    )


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None) -> Tensor:  # noqa: A002
    """Vector norms (ord 'euclidean', 1, 2, inf or p > 0) over one axis or all elements,
    and matrix norms ('fro', 'euclidean', 1, 2, inf) over a pair of axes."""
    from .math import pow as pow_
    from .reduce import reduce_max, reduce_sum
    from .unary import abs as abs_
    from .unary import sqrt, square

    x = as_tensor(tensor)
    if x.dtype.kind != "f":
        raise unsupported_dtype("norm", f"expected a float tensor, received dtype {x.dtype.name}")
    keep = bool(keepdims)
    if isinstance(axis, (list, tuple)) and len(axis) == 2 and axis[0] == axis[1]:
        raise _norm_axis_error(axis)
    axes = normalize_axis(axis, x.ndim, "norm")
    if axes is not None and len(axes) == 2:
        if ord in ("fro", "euclidean"):
            return sqrt(reduce_sum(square(x), axes, keep))
        if ord == 1:
            return (
                reduce_max(reduce_sum(abs_(x), axes[0], True), axes[1], True)
                if keep
                else _squeeze2(reduce_max(reduce_sum(abs_(x), axes[0], True), axes[1], True), axes)
            )
        if ord == np.inf:
            inner = reduce_max(reduce_sum(abs_(x), axes[1], True), axes[0], True)
            return inner if keep else _squeeze2(inner, axes)
        if ord == 2:
            return _spectral_norm(x, axes, keep)
        raise ValueError(
            "norm: 'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], "
            f"got {ord!r}"
        )
    if axes is not None and len(axes) != 1:
        raise _norm_axis_error(axis)
    if ord in ("euclidean", 2):
        return sqrt(reduce_sum(square(x), axes, keep))
    if ord == 1:
        return reduce_sum(abs_(x), axes, keep)
    if ord == np.inf:
        return reduce_max(abs_(x), axes, keep)
    if isinstance(ord, (int, float)) and ord > 0:
        return pow_(reduce_sum(pow_(abs_(x), float(ord)), axes, keep), 1.0 / ord)
    hint = " ('fro' is a matrix norm: pass axis=[-2, -1])" if ord == "fro" else ""
    raise ValueError(
        f"norm: 'ord' must be a supported vector norm ('euclidean', 1, 2, inf or a number "
        f"p > 0), got {ord!r}{hint}"
    )


def _norm_axis_error(axis) -> ValueError:
    return ValueError(
        f"norm: 'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis!r}"
    )


def _spectral_norm(x, axes, keep):
    """The matrix 2-norm over ``axes``: the largest singular value (as TensorFlow)."""
    from .reduce import reduce_max
    from .shape import expand_dims, transpose

    rest = [i for i in range(x.ndim) if i not in axes]
    values = svd(transpose(x, rest + list(axes)), compute_uv=False)
    out = reduce_max(values, -1)
    if keep:
        for a in sorted(axes):
            out = expand_dims(out, a)
    return out


def _squeeze2(x, axes):
    from .shape import squeeze

    return squeeze(x, list(axes))


__all__ = [
    "cholesky",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "logdet",
    "matrix_inverse",
    "matrix_solve",
    "norm",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "matmul",
]
