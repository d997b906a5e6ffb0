"""More tf.linalg: LU (lu, lu_solve, lu_reconstruct, lu_matrix_inverse), matrix functions
(expm, logm, sqrtm), the general eigenproblem (eig, eigvals), tridiagonal and banded
systems (eigh_tridiagonal, tridiagonal_solve, tridiagonal_matmul, banded_triangular_solve)
and tensor_diag / tensor_diag_part.

The matrix functions run in NumPy on the host (no SciPy):

- ``expm``: scaling and squaring with Pade approximants of degree 3..13 (Higham 2005,
  TensorFlow's choice of degree per matrix norm). Its gradient is exact: the upper right
  block of ``expm([[A^T, G], [0, A^T]])``, so it differentiates again.
- ``sqrtm``: the product form of the Denman-Beavers iteration with determinant scaling
  (Higham, Functions of Matrices, (6.17)); where it does not converge (singular input) the
  eigendecomposition ``V sqrt(D) V^-1``. Accurate to a few ulps times the condition of
  the square root; a real matrix with a negative real eigenvalue has no real principal
  square root and gives NaN, as in TensorFlow. Gradient: the Sylvester equation
  ``S^T X + X S^T = G`` solved through the eigendecomposition of ``S`` (first order).
- ``logm`` (complex input, as TensorFlow): inverse scaling and squaring: square roots until
  ``|A - I|_1 <= 0.25``, then the degree-8 Gauss-Legendre (Pade) rule for
  ``log(I + X)``. No gradient (none in TensorFlow).

LU, ``lu_solve``, the tridiagonal and banded solvers are built from differentiable ops
(permutation gathers, triangular and dense solves), so they carry gradients as in
TensorFlow; ``lu`` and ``eig`` themselves have none (TensorFlow: no gradient registered
for Lu; Eig's is complex-valued, and gpuflow keeps no gradients through complex values).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_tensor,
    invalid_argument,
    invalid_type,
    no_bfloat16,
    pair_operands,
    unsupported_dtype,
)
from .linalg import _swap_perm, band_part, diag, diag_part, matmul, matrix_transpose
from .linalg_decomp import matrix_solve

# ---------------------------------------------------------------------------- checks


def _square(op, x, kinds="fc"):
    x = as_tensor(x)
    if x.dtype.kind not in kinds:
        allowed = "float or complex" if "c" in kinds else "float"
        if kinds == "c":
            allowed = "complex64 or complex128"
        raise unsupported_dtype(op, f"expected a {allowed} tensor, received dtype {x.dtype.name}")
    no_bfloat16(op, x, "float16, float32, float64, complex64, complex128")
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise invalid_argument(
            op, f"expected square matrices [..., N, N], received shape {tuple(x.shape)}"
        )
    return x


def _host(x):
    return np.asarray(x._device.to_host(x._data))


def _wrap(array, like):
    return Tensor._wrap(like._device.asarray(array), like._device)


def _batched(fn, a):
    """``fn`` applied to each matrix of ``a [..., N, N]`` (a NumPy array)."""
    if a.size == 0:
        return a.copy()
    flat = a.reshape((-1,) + a.shape[-2:])
    out = [fn(m) for m in flat]
    return np.stack(out).reshape(a.shape[:-2] + out[0].shape)


class _HostOp(Function):
    """``fn`` of the inputs' host arrays, as one op (so that ``gpuflow.function`` replays
    it on new inputs); no gradient, as TensorFlow registers none for it."""

    twice_differentiable = False

    def __init__(self, op, fn) -> None:
        self.op, self.fn = op, fn

    def forward(self, *xs):
        return self.xp.asarray(self.fn(*[np.asarray(self.device.to_host(x)) for x in xs]))

    def backward(self, F, g):
        raise LookupError(f"gradient: {self.op} has no gradient (as in TensorFlow)")


# ---------------------------------------------------------------------------- LU


def _lu_np(a):
    """Partial-pivoting LU of ``a [B, N, N]``: packed ``L\\U`` and the row order ``p`` with
    ``a[p] = L @ U`` (as LAPACK getrf / Eigen's PartialPivLU; a zero pivot column is left
    undivided)."""
    a = a.copy()
    b, n = a.shape[0], a.shape[-1]
    perm = np.tile(np.arange(n), (b, 1))
    rows = np.arange(b)
    for k in range(n):
        piv = k + np.argmax(np.abs(a[:, k:, k]), axis=1)
        a[rows, k], a[rows, piv] = a[rows, piv].copy(), a[rows, k].copy()
        perm[rows, k], perm[rows, piv] = perm[rows, piv], perm[rows, k].copy()
        pivot = a[:, k, k]
        nonzero = pivot != 0
        safe = np.where(nonzero, pivot, 1)
        a[:, k + 1 :, k] = np.where(nonzero[:, None], a[:, k + 1 :, k] / safe[:, None], 0)
        a[:, k + 1 :, k + 1 :] -= a[:, k + 1 :, k, None] * a[:, k, None, k + 1 :]
    return a, perm


def lu(input, output_idx_type="int32", name=None):  # noqa: A002
    """``(lu, p)``: the packed LU factors (unit-diagonal L below, U on and above the
    diagonal) and the permutation ``p`` with ``input = gather(L @ U, invert_permutation(p))``.
    No gradient, as in TensorFlow."""
    x = _square("lu", input)
    idx = dtypes.as_dtype(output_idx_type)
    if idx.name not in ("int32", "int64"):
        raise invalid_type("lu", f"output_idx_type must be int32 or int64, received {idx.name}")

    def factor(a, which):
        n = a.shape[-1]
        packed, perm = _lu_np(a.reshape((-1, n, n)))
        if which == 0:
            return packed.reshape(a.shape)
        return perm.reshape(a.shape[:-1]).astype(idx.name)

    from .op_results import Lu

    return Lu(
        _HostOp("lu", lambda a: factor(a, 0))(x),
        _HostOp("lu", lambda a: factor(a, 1))(x),
    )


def _lu_parts(op, lower_upper):
    lu_ = _square(op, lower_upper)
    n = lu_.shape[-1]
    eye = _wrap(np.eye(n, dtype=lu_.dtype.name), lu_)
    lower = band_part(lu_, -1, 0) - band_part(lu_, 0, 0) + eye
    return lu_, lower, band_part(lu_, 0, -1)


def _check_perm(op, perm, lu_):
    from .cast import cast

    perm = as_tensor(perm, device=lu_._device)
    if perm.dtype.kind not in "iu" or tuple(perm.shape) != tuple(lu_.shape[:-1]):
        raise invalid_argument(
            op,
            f"perm must be an integer tensor of shape {tuple(lu_.shape[:-1])}, received "
            f"shape {tuple(perm.shape)} dtype {perm.dtype.name}",
        )
    return cast(perm, "int64")


def _gather_rows(x, perm):
    """``x[..., perm, :]`` with a (batched) permutation."""
    from .indexing import gather

    return gather(x, perm, axis=-2, batch_dims=perm.ndim - 1)


def _invert(perm):
    from .sorting import argsort

    return argsort(perm, axis=-1, stable=True)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None) -> Tensor:
    """The matrix whose ``tf.linalg.lu`` is ``(lower_upper, perm)``."""
    lu_, lower, upper = _lu_parts("lu_reconstruct", lower_upper)
    perm = _check_perm("lu_reconstruct", perm, lu_)
    return _gather_rows(matmul(lower, upper), _invert(perm))


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None) -> Tensor:
    """``X`` with ``A @ X = rhs``, ``(lower_upper, perm) = tf.linalg.lu(A)``; differentiable
    in ``lower_upper`` and ``rhs``."""
    from .linalg_more import triangular_solve
    from .shape import broadcast_to

    lu_, rhs_ = pair_operands(lower_upper, rhs, "lu_solve")
    lu_, _, _ = _lu_parts("lu_solve", lu_)
    perm = _check_perm("lu_solve", perm, lu_)
    n = lu_.shape[-1]
    if rhs_.ndim < 2 or rhs_.shape[-2] != n:
        raise invalid_argument(
            "lu_solve", f"rhs must be [..., {n}, K], received shape {tuple(rhs_.shape)}"
        )
    batch = tuple(np.broadcast_shapes(tuple(lu_.shape[:-2]), tuple(rhs_.shape[:-2])))
    lu_ = broadcast_to(lu_, batch + (n, n))
    perm = broadcast_to(perm, batch + (n,))
    rhs_ = broadcast_to(rhs_, batch + tuple(rhs_.shape[-2:]))
    eye = _wrap(np.eye(n, dtype=lu_.dtype.name), lu_)
    lower = band_part(lu_, -1, 0) - band_part(lu_, 0, 0) + eye
    y = triangular_solve(lower, _gather_rows(rhs_, perm), lower=True)
    return triangular_solve(lu_, y, lower=False)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None) -> Tensor:
    """The inverse of ``A`` from its ``tf.linalg.lu`` factors."""
    from .shape import broadcast_to

    lu_ = _square("lu_matrix_inverse", lower_upper)
    n = lu_.shape[-1]
    eye = broadcast_to(_wrap(np.eye(n, dtype=lu_.dtype.name), lu_), tuple(lu_.shape))
    return lu_solve(lu_, perm, eye)


# ---------------------------------------------------------------------------- expm

_PADE = {
    3: [120.0, 60.0, 12.0, 1.0],
    5: [30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0],
    7: [17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0],
    9: [
        17643225600.0,
        8821612800.0,
        2075673600.0,
        302702400.0,
        30270240.0,
        2162160.0,
        110880.0,
        3960.0,
        90.0,
        1.0,
    ],
    13: [
        64764752532480000.0,
        32382376266240000.0,
        7771770303897600.0,
        1187353796428800.0,
        129060195264000.0,
        10559470521600.0,
        670442572800.0,
        33522128640.0,
        1323241920.0,
        40840800.0,
        960960.0,
        16380.0,
        182.0,
        1.0,
    ],
}
# (degree, largest 1-norm it serves) as TensorFlow picks them; the last degree scales.
_THETA = {
    "single": ((3, 4.258730016922831e-001), (5, 1.880152677804762e000), (7, 3.925724783138660)),
    "double": (
        (3, 1.495585217958292e-002),
        (5, 2.539398330063230e-001),
        (7, 9.504178996162932e-001),
        (9, 2.097847961257068e000),
        (13, 5.371920351148152),
    ),
}


def _pade(a, degree):
    b, n = _PADE[degree], a.shape[-1]
    ident = np.eye(n, dtype=a.dtype)
    a2 = a @ a
    if degree == 13:
        a4 = a2 @ a2
        a6 = a4 @ a2
        u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4)
        u = u + a @ (b[3] * a2 + b[1] * ident)
        v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2
        return u, v + b[0] * ident
    powers = [ident, a2]
    while len(powers) <= degree // 2:
        powers.append(powers[-1] @ a2)
    u = a @ sum(b[2 * k + 1] * powers[k] for k in range(degree // 2 + 1))
    v = sum(b[2 * k] * powers[k] for k in range(degree // 2 + 1))
    return u, v


def _expm_matrix(a):
    if a.size == 0:
        return a.copy()
    norm = np.abs(a).sum(axis=0).max()
    if not np.isfinite(norm):
        return np.full_like(a, np.nan)
    single = a.dtype in (np.float16, np.float32, np.complex64)
    table = _THETA["single" if single else "double"]
    for degree, theta in table[:-1]:
        if norm < theta:
            u, v = _pade(a, degree)
            return np.linalg.solve(v - u, u + v)
    degree, theta = table[-1]
    s = max(int(np.floor(np.log2(norm / theta))), 0) if norm > 0 else 0
    u, v = _pade(a / a.dtype.type(2.0**s), degree)
    r = np.linalg.solve(v - u, u + v)
    for _ in range(s):
        r = r @ r
    return r


def _expm_np(a):
    wide = a.astype(np.float32) if a.dtype == np.float16 else a
    return _batched(_expm_matrix, wide).astype(a.dtype)


def _frechet_block(F, a_t, g):
    """``[[a_t, g], [0, a_t]]`` (``F`` ops)."""
    zeros = g * 0
    top = F.concat([a_t, g], axis=-1)
    bottom = F.concat([zeros, a_t], axis=-1)
    return F.concat([top, bottom], axis=-2)


class Expm(Function):
    def forward(self, a):
        return self.xp.asarray(_expm_np(np.asarray(self.device.to_host(a))))

    def backward(self, F, g):
        # d<G, expm(A)> = <expm([[A^T, G], [0, A^T]])[:N, N:], dA> (Najfeld & Havel 1995).
        (a,) = F.inputs(self)
        n = self._xs[0].shape[-1]
        block = _frechet_block(F, F.transpose(a, _swap_perm(len(a.shape))), g)
        full = expm(block) if F.tensors else self.xp.asarray(_expm_np(self._host(block)))
        return (F.getitem(full, (Ellipsis, slice(0, n), slice(n, 2 * n))),)

    def _host(self, array):
        return np.asarray(self.device.to_host(array))


def matrix_exponential(input, name=None) -> Tensor:  # noqa: A002
    """``exp(A)`` of each square matrix (scaling and squaring, Pade approximants).
    Differentiable for real input."""
    x = _square("expm", input)
    if x.dtype.kind == "c":
        return _HostOp("expm of a complex matrix", _expm_np)(x)
    return Expm()(x)


expm = matrix_exponential


# ---------------------------------------------------------------------------- sqrtm


def _sqrtm_eig(a):
    w, v = np.linalg.eig(a)
    s = (v * np.sqrt(w.astype(np.complex128))[None, :]) @ np.linalg.inv(v)
    return s


def _sqrtm_matrix(a):
    n = a.shape[-1]
    if n == 0:
        return a.copy()
    work = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    if work.dtype.kind == "f":
        w = np.linalg.eigvals(work)
        scale = max(np.abs(w).max(), np.finfo(np.float64).tiny)
        if np.any((np.abs(w.imag) <= 1e-12 * scale) & (w.real < -1e-12 * scale)):
            return np.full(a.shape, np.nan, a.dtype)  # no real principal square root
    ident = np.eye(n, dtype=work.dtype)
    m, y = work.copy(), work.copy()
    ok = False
    with np.errstate(all="ignore"):
        for _ in range(100):
            try:
                m_inv = np.linalg.inv(m)
                det = np.abs(np.linalg.det(m))
            except np.linalg.LinAlgError:
                break
            if not np.isfinite(det) or det == 0:
                break
            mu = det ** (-1.0 / (2 * n))
            y = mu * y @ (ident + m_inv / mu**2) / 2
            m = (ident + (mu**2 * m + m_inv / mu**2) / 2) / 2
            if not np.all(np.isfinite(y)):
                break
            if np.abs(m - ident).sum(axis=0).max() <= 10 * n * np.finfo(np.float64).eps:
                ok = True
                break
    if not ok:
        y = _sqrtm_eig(work)
    if a.dtype.kind == "f":
        y = np.real(y)
    return y.astype(a.dtype)


def _sylvester_adjoint(s, g):
    """``X`` with ``S^H X + X S^H = G`` for each matrix, through the eigendecomposition."""

    def one(pair):
        s_, g_ = pair
        w, v = np.linalg.eig(np.conj(s_.T).astype(np.complex128))
        v_inv = np.linalg.inv(v)
        z = (v_inv @ g_ @ v) / (w[:, None] + w[None, :])
        x = v @ z @ v_inv
        return np.real(x) if g_.dtype.kind == "f" else x

    flat_s = s.reshape((-1,) + s.shape[-2:])
    flat_g = g.reshape((-1,) + g.shape[-2:])
    out = [one(p) for p in zip(flat_s, flat_g, strict=True)]
    return np.stack(out).reshape(g.shape).astype(g.dtype) if out else g.copy()


class Sqrtm(Function):
    twice_differentiable = False

    def forward(self, a):
        return self.xp.asarray(_batched(_sqrtm_matrix, np.asarray(self.device.to_host(a))))

    def backward(self, F, g):
        host = self.device.to_host
        x = _sylvester_adjoint(np.asarray(host(self._y)), np.asarray(host(g)))
        return (self.xp.asarray(x),)


def matrix_square_root(input, name=None) -> Tensor:  # noqa: A002
    """The principal square root of each square matrix (see the module notes)."""
    x = _square("sqrtm", input)
    return Sqrtm()(x)


sqrtm = matrix_square_root


# ---------------------------------------------------------------------------- logm


def _logm_matrix(a):
    n = a.shape[-1]
    if n == 0:
        return a.copy()
    work = a.astype(np.complex128)
    ident = np.eye(n, dtype=work.dtype)
    k = 0
    while np.abs(work - ident).sum(axis=0).max() > 0.25 and k < 60:
        work = _sqrtm_matrix(work)
        k += 1
    x = work - ident
    nodes, weights = np.polynomial.legendre.leggauss(8)
    nodes, weights = (nodes + 1) / 2, weights / 2
    r = sum(w * np.linalg.solve(ident + t * x, x) for t, w in zip(nodes, weights, strict=True))
    return (r * 2.0**k).astype(a.dtype)


def logm(input, name=None) -> Tensor:  # noqa: A002
    """The principal logarithm of each square complex matrix (TensorFlow accepts complex64
    and complex128 only). No gradient, as in TensorFlow."""
    x = _square("logm", input, kinds="c")
    return _HostOp("logm", lambda a: _batched(_logm_matrix, a))(x)


# ---------------------------------------------------------------------------- eig


def _eig_dtype(dtype):
    return np.complex64 if dtype.name in ("float32", "complex64", "float16") else np.complex128


def eig(tensor, name=None):
    """``(e, v)``: eigenvalues and unit-norm eigenvectors (columns) of general square
    matrices, complex64 for float32/complex64 input and complex128 for 64-bit input. No
    gradient here (TensorFlow's is complex-valued)."""
    x = _square("eig", tensor)
    ct = _eig_dtype(x.dtype)
    return (
        _HostOp("eig", lambda a: np.linalg.eig(a)[0].astype(ct))(x),
        _HostOp("eig", lambda a: np.linalg.eig(a)[1].astype(ct))(x),
    )


def eigvals(tensor, name=None) -> Tensor:
    """The eigenvalues of general square matrices (complex; see ``eig``)."""
    x = _square("eigvals", tensor)
    ct = _eig_dtype(x.dtype)
    return _HostOp("eigvals", lambda a: np.linalg.eigvals(a).astype(ct))(x)


# ---------------------------------------------------------------------------- tridiagonal


def _shift_matrix(n, k, dtype, like):
    """The ``[n, n]`` 0/1 matrix with ones at ``(i, i + k)``."""
    return _wrap(np.eye(n, k=k, dtype=dtype), like)


def _tridiagonal_dense(op, superdiag, maindiag, subdiag):
    """``[..., M, M]`` with ``maindiag``, ``superdiag[..., :-1]`` above and
    ``subdiag[..., 1:]`` below the diagonal (TensorFlow's compact layout)."""
    m = maindiag.shape[-1]
    dt = maindiag.dtype.name
    if tuple(superdiag.shape) != tuple(maindiag.shape) or tuple(subdiag.shape) != tuple(
        maindiag.shape
    ):
        raise invalid_argument(
            op,
            "the three diagonals must have one shape [..., M], received "
            f"{tuple(superdiag.shape)}, {tuple(maindiag.shape)}, {tuple(subdiag.shape)}",
        )
    return (
        diag(maindiag)
        + superdiag[..., :, None] * _shift_matrix(m, 1, dt, maindiag)
        + subdiag[..., :, None] * _shift_matrix(m, -1, dt, maindiag)
    )


def _diagonals(op, diagonals, diagonals_format, like=None):
    """``(superdiag, maindiag, subdiag)`` of a tridiagonal system in any of TF's formats,
    or the dense matrix (format ``'matrix'``) as a fourth item."""
    if diagonals_format == "compact":
        d = as_tensor(diagonals) if like is None else as_tensor(diagonals, dtype=like.dtype)
        if d.ndim < 2 or d.shape[-2] != 3:
            raise invalid_argument(
                op,
                f"compact diagonals must have shape [..., 3, M], received {tuple(d.shape)}",
            )
        return d[..., 0, :], d[..., 1, :], d[..., 2, :], None
    if diagonals_format == "sequence":
        if not isinstance(diagonals, (list, tuple)) or len(diagonals) != 3:
            raise invalid_argument(
                op, "diagonals in 'sequence' format must be a list of three tensors"
            )
        sup = as_tensor(diagonals[0])
        main, sub = (as_tensor(d, dtype=sup.dtype) for d in diagonals[1:])
        return sup, main, sub, None
    if diagonals_format == "matrix":
        mat = as_tensor(diagonals)
        if mat.ndim < 2 or mat.shape[-1] != mat.shape[-2]:
            raise invalid_argument(
                op, f"a 'matrix' must be square [..., M, M], received {tuple(mat.shape)}"
            )
        sup = _pad_last(diag_part_k(mat, 1), after=True)
        sub = _pad_last(diag_part_k(mat, -1), after=False)
        return sup, diag_part(mat), sub, mat
    raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")


def diag_part_k(mat, k):
    """The ``k``-th diagonal of the last two axes (``k > 0`` above)."""
    from .indexing import GetItem

    m = mat.shape[-1]
    i = np.arange(m - abs(k))
    rows, cols = (i, i + k) if k >= 0 else (i - k, i)
    dev = mat._device
    return GetItem((Ellipsis, dev.asarray(rows), dev.asarray(cols)))(mat)


def _pad_last(x, after):
    from .rearrange import pad

    widths = [[0, 0]] * (x.ndim - 1) + [[0, 1] if after else [1, 0]]
    return pad(x, widths)


def tridiagonal_solve(
    diagonals,
    rhs,
    diagonals_format="compact",
    transpose_rhs=False,
    conjugate_rhs=False,
    name=None,
    partial_pivoting=True,
    perturb_singular=False,
) -> Tensor:
    """``X`` with ``T @ X = rhs`` for tridiagonal ``T`` given in ``diagonals_format``
    ``'compact'`` ``[..., 3, M]`` (superdiagonal, diagonal, subdiagonal rows, the
    superdiagonal's last and subdiagonal's first element unused), ``'sequence'`` (a list of
    the three) or ``'matrix'`` ``[..., M, M]``. ``rhs`` is ``[..., M, K]`` or ``[..., M]``.
    Differentiable in the diagonals and ``rhs``."""
    op = "tridiagonal_solve"
    sup, main, sub, mat = _diagonals(op, diagonals, diagonals_format)
    no_bfloat16(op, main, "float32, float64, complex64, complex128")
    if perturb_singular and not partial_pivoting:
        raise ValueError("partial_pivoting must be True if perturb_singular is specified.")
    b = as_tensor(rhs, dtype=main.dtype)
    m = main.shape[-1]
    vector = b.ndim == main.ndim and not transpose_rhs
    if transpose_rhs:
        b = matrix_transpose(b)
    if conjugate_rhs and b.dtype.kind == "c":
        from .complex_ops import conj

        b = conj(b)
    if vector:
        b = b[..., None]
    if b.ndim < 2 or b.shape[-2] != m:
        raise invalid_argument(
            op, f"rhs must be [..., {m}, K] or [..., {m}], received shape {tuple(b.shape)}"
        )
    dense = mat if mat is not None else _tridiagonal_dense(op, sup, main, sub)
    x = matrix_solve(dense, b)
    return x[..., 0] if vector else x


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None) -> Tensor:
    """``T @ rhs`` for tridiagonal ``T`` (formats as ``tridiagonal_solve``); ``rhs`` is
    ``[..., M, N]``. Differentiable."""
    op = "tridiagonal_matmul"
    sup, main, sub, mat = _diagonals(op, diagonals, diagonals_format)
    b = as_tensor(rhs, dtype=main.dtype)
    m = main.shape[-1]
    if b.ndim < 2 or b.shape[-2] != m:
        raise invalid_argument(op, f"rhs must be [..., {m}, N], received shape {tuple(b.shape)}")
    dense = mat if mat is not None else _tridiagonal_dense(op, sup, main, sub)
    return matmul(dense, b)


def banded_triangular_solve(bands, rhs, lower=True, adjoint=False, name=None) -> Tensor:
    """``X`` with ``T @ X = rhs`` for the banded triangular ``T`` stored in ``bands
    [..., K, M]``: with ``lower`` row ``k`` holds the ``k``-th subdiagonal, right aligned
    (``T[i, i - k] = bands[k, i]``); otherwise row ``K - 1 - k`` holds the ``k``-th
    superdiagonal, left aligned (``T[i, i + k] = bands[K - 1 - k, i]``). Differentiable."""
    from .linalg_more import triangular_solve

    op = "banded_triangular_solve"
    bd, b = pair_operands(bands, rhs, op)
    if bd.ndim < 2 or b.ndim < 2 or b.shape[-2] != bd.shape[-1] or bd.shape[-2] > bd.shape[-1]:
        raise invalid_argument(
            op,
            f"expected bands [..., K, M] with K <= M and rhs [..., M, N], received "
            f"{tuple(bd.shape)} and {tuple(b.shape)}",
        )
    k_rows, m = bd.shape[-2], bd.shape[-1]
    dt = bd.dtype.name
    dense = None
    for k in range(k_rows):
        if lower:
            term = bd[..., k, :, None] * _shift_matrix(m, -k, dt, bd)
        else:
            term = bd[..., k_rows - 1 - k, :, None] * _shift_matrix(m, k, dt, bd)
        dense = term if dense is None else dense + term
    return triangular_solve(dense, b, lower=lower, adjoint=adjoint)


def eigh_tridiagonal(
    alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None, name=None
):
    """Eigenvalues (ascending) and optionally eigenvectors of the Hermitian tridiagonal
    matrix with diagonal ``alpha [N]`` and superdiagonal ``beta [N - 1]`` (the subdiagonal
    its conjugate). ``select``: ``'a'`` all, ``'v'`` those in ``(lo, hi]``, ``'i'`` indices
    ``lo..hi``."""
    op = "eigh_tridiagonal"
    a = as_tensor(alpha)
    b = as_tensor(beta)
    if a.ndim != 1 or b.ndim != 1 or b.shape[0] != max(a.shape[0] - 1, 0):
        raise ValueError(
            f"{op}: expected alpha of shape [N] and beta of shape [N - 1], received "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )
    if select not in ("a", "v", "i"):
        raise ValueError(f"{op}: select must be one of 'a', 'v', 'i', received {select!r}")
    if select != "a" and (select_range is None or len(select_range) != 2):
        raise ValueError(f"{op}: select {select!r} needs a select_range of two values")
    if select == "v":
        lo, hi = (float(np.real(_item(r))) for r in select_range)
    elif select == "i":
        lo, hi = (int(_item(r)) for r in select_range)

    def solve(al, be, which):
        real = np.real(al)
        n = al.shape[0]
        complex_ = al.dtype.kind == "c" or be.dtype.kind == "c"
        t = np.diag(real).astype(np.complex128 if complex_ else np.float64)
        idx = np.arange(n - 1)
        t[idx, idx + 1] = be
        t[idx + 1, idx] = np.conj(be)
        w, v = np.linalg.eigh(t)
        if select == "v":
            keep = (w > lo) & (w <= hi)
        elif select == "i":
            keep = (np.arange(n) >= lo) & (np.arange(n) <= hi)
        else:
            keep = np.ones(n, bool)
        if which == 0:
            return w[keep].astype(real.dtype)
        return v[:, keep].astype(np.result_type(al.dtype, be.dtype))

    vals = _HostOp(op, lambda al, be: solve(al, be, 0))(a, b)
    if eigvals_only:
        return vals
    return vals, _HostOp(op, lambda al, be: solve(al, be, 1))(a, b)


def _item(value):
    return value.numpy() if isinstance(value, Tensor) else value


# ---------------------------------------------------------------------------- tensor_diag


def tensor_diag(diagonal, name=None) -> Tensor:
    """The tensor of shape ``D + D`` (``D = diagonal.shape``) that holds ``diagonal`` at
    ``[i1..ik, i1..ik]`` and zeros elsewhere."""
    from .shape import reshape

    d = as_tensor(diagonal)
    shape = tuple(d.shape)
    return reshape(diag(reshape(d, (-1,))), shape + shape)


def tensor_diag_part(input, name=None) -> Tensor:  # noqa: A002
    """The diagonal ``[i1..ik]`` of a tensor of shape ``D + D``."""
    from .shape import reshape

    x = as_tensor(input)
    k = x.ndim // 2
    shape = tuple(x.shape)
    if x.ndim % 2 or shape[:k] != shape[k:]:
        raise invalid_argument(
            "tensor_diag_part",
            f"input must have shape D + D (even rank, halves equal), received {shape}",
        )
    size = int(np.prod(shape[:k], dtype=np.int64))
    return reshape(diag_part(reshape(x, (size, size))), shape[:k])
