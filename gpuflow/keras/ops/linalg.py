"""``keras.ops.linalg``: matrix decompositions, inverses, solves and norms, with NumPy's
conventions (``svd`` returns ``(u, s, vh)``, ``norm`` takes NumPy's ``ord``)."""

from __future__ import annotations

import numpy as np

from ...ops import checks as _checks
from ...ops import linalg as _la
from ...ops import linalg_decomp as _ld
from ...ops import linalg_more as _lm
from ...ops import reduce as _r
from ...ops import shape as _sh
from ...ops import unary as _u
from ._dtypes import as_float


def _matrices(x, op: str):
    t = as_float(x)
    if t.ndim < 2:
        raise ValueError(f"{op}: expected matrices [..., M, N], received shape {tuple(t.shape)}")
    return t


def cholesky(x, upper=False):
    """The Cholesky factor of positive-definite matrices (lower, or upper when ``upper``)."""
    # tf.linalg.cholesky gives NaNs for a matrix that is not positive definite; Keras'
    # TensorFlow backend turns them into an InvalidArgumentError with check_numerics.
    low = _checks.check_numerics(_ld.cholesky(_matrices(x, "cholesky")), "Cholesky")
    return _la.matrix_transpose(low) if upper else low


def det(x):
    """The determinants of square matrices."""
    return _ld.det(_matrices(x, "det"))


def slogdet(x):
    """``(sign, log|det|)`` of square matrices."""
    return _ld.slogdet(_matrices(x, "slogdet"))


def logdet(x):
    """``log(det(x))`` of positive-definite matrices."""
    return _ld.logdet(_matrices(x, "logdet"))


def inv(x):
    """The inverses of square matrices."""
    return _ld.matrix_inverse(_matrices(x, "inv"))


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverses."""
    return _lm.pinv(_matrices(x, "pinv"), rcond=rcond)


def eigh(x):
    """``(eigenvalues, eigenvectors)`` of symmetric matrices."""
    return _ld.eigh(_matrices(x, "eigh"))


def qr(x, mode="reduced"):
    """``(q, r)`` with ``x = q @ r`` (``mode``: ``"reduced"`` or ``"complete"``)."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', received {mode!r}")
    return _ld.qr(_matrices(x, "qr"), full_matrices=mode == "complete")


def svd(x, full_matrices=True, compute_uv=True):
    """``(u, s, vh)`` with ``x = u @ diag(s) @ vh`` (or ``s`` alone without ``compute_uv``)."""
    t = _matrices(x, "svd")
    m, n = t.shape[-2], t.shape[-1]
    if not compute_uv:
        return _ld.svd(t, compute_uv=False)
    if full_matrices and m != n:
        raise ValueError(
            f"svd: full_matrices=True needs square matrices here, received shape "
            f"{tuple(t.shape)}; pass full_matrices=False for the thin decomposition"
        )
    s, u, v = _ld.svd(t, full_matrices=False, compute_uv=True)
    return u, s, _la.matrix_transpose(v)


def solve(a, b):
    """``x`` with ``a @ x = b``."""
    a, b = _matrices(a, "solve"), as_float(b)
    vector = b.ndim == a.ndim - 1
    out = _ld.matrix_solve(a, _sh.expand_dims(b, -1) if vector else b)
    return _sh.squeeze(out, axis=[-1]) if vector else out


def solve_triangular(a, b, lower=False):
    """``x`` with ``a @ x = b`` for triangular ``a``."""
    a, b = _matrices(a, "solve_triangular"), as_float(b)
    vector = b.ndim == a.ndim - 1
    out = _lm.triangular_solve(a, _sh.expand_dims(b, -1) if vector else b, lower=lower)
    return _sh.squeeze(out, axis=[-1]) if vector else out


def lstsq(a, b, rcond=None):
    """The least-squares solution of ``a @ x = b``."""
    a, b = _matrices(a, "lstsq"), as_float(b)
    vector = b.ndim == 1
    out = _la.matmul(pinv(a, rcond=rcond), _sh.expand_dims(b, -1) if vector else b)
    return _sh.squeeze(out, axis=[-1]) if vector else out


def matrix_rank(x, tol=None):
    """The number of singular values above ``tol``."""
    return _lm.matrix_rank(_matrices(x, "matrix_rank"), tol=tol)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - NumPy's name
    """NumPy's ``norm``: the 2-norm of the flattened tensor (``axis=None``), vector norms
    over one axis (``ord``: None/2, 1, inf, -inf, 0 or p) and matrix norms over two
    (``ord``: None/"fro", "nuc", 1, -1, 2, -2, inf, -inf)."""
    t = as_float(x)
    if axis is None:
        axes = tuple(range(t.ndim))
        if ord is not None and t.ndim > 2:
            raise ValueError(f"norm: ord={ord!r} needs axis for a tensor of rank {t.ndim}")
    else:
        axes = (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % max(t.ndim, 1) for a in axes)
    if ord is None and axis is None:
        out = _u.sqrt(_r.reduce_sum(t * t))
        return _sh.reshape(out, [1] * t.ndim) if keepdims else out
    if len(axes) == 1:
        out = _vector_norm(t, ord, axes[0])
    elif len(axes) == 2:
        out = _matrix_norm(t, ord, axes)
    else:
        raise ValueError(f"norm: axis must name one or two axes, received {axis!r}")
    if keepdims:
        for a in sorted(axes):
            out = _sh.expand_dims(out, a)
    return out


def _vector_norm(t, ord, axis):  # noqa: A002
    a = _u.abs(t)
    if ord is None or ord == 2:
        return _u.sqrt(_r.reduce_sum(t * t, axis=axis))
    if ord == np.inf:
        return _r.reduce_max(a, axis=axis)
    if ord == -np.inf:
        return _r.reduce_min(a, axis=axis)
    if ord == 0:
        from ...ops.cast import cast

        return _r.reduce_sum(cast(a > 0, t.dtype.name), axis=axis)
    if ord == 1:
        return _r.reduce_sum(a, axis=axis)
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is a matrix norm; pass two axes")
    return _r.reduce_sum(a ** float(ord), axis=axis) ** (1.0 / float(ord))


def _matrix_norm(t, ord, axes):  # noqa: A002
    row, col = axes
    if ord is None or ord == "fro":
        return _u.sqrt(_r.reduce_sum(t * t, axis=list(axes)))
    if ord in ("nuc", 2, -2):
        rest = [a for a in range(t.ndim) if a not in axes]
        s = _ld.svd(_sh.transpose(t, rest + [row, col]), compute_uv=False)
        if ord == "nuc":
            return _r.reduce_sum(s, axis=-1)
        return _r.reduce_max(s, axis=-1) if ord == 2 else _r.reduce_min(s, axis=-1)
    a = _u.abs(t)
    if ord in (1, -1):
        sums = _r.reduce_sum(a, axis=row, keepdims=True)
        pick = _r.reduce_max if ord == 1 else _r.reduce_min
        return _sh.squeeze(pick(sums, axis=col, keepdims=True), axis=[row, col])
    if ord in (np.inf, -np.inf):
        sums = _r.reduce_sum(a, axis=col, keepdims=True)
        pick = _r.reduce_max if ord == np.inf else _r.reduce_min
        return _sh.squeeze(pick(sums, axis=row, keepdims=True), axis=[row, col])
    raise ValueError(f"norm: invalid ord {ord!r} for a matrix norm")


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (``A = x @ x^T``, or
    ``x^T @ x`` when ``upper``)."""
    factor = _matrices(x, "cholesky_inverse")
    n = factor.shape[-1]
    if factor.shape[-2] != n:
        raise ValueError(
            f"cholesky_inverse: expected square matrices, received shape {tuple(factor.shape)}"
        )
    from ...ops.creation import eye

    identity = eye(n, batch_shape=list(factor.shape[:-2]), dtype=factor.dtype)
    inv_factor = _lm.triangular_solve(factor, identity, lower=not upper)
    if upper:
        return _la.matmul(inv_factor, _la.matrix_transpose(inv_factor))
    return _la.matmul(_la.matrix_transpose(inv_factor), inv_factor)


def eig(x):
    """``(eigenvalues, eigenvectors)`` of general square matrices (complex)."""
    from ...ops import linalg_extra as _lx

    return _lx.eig(_matrices(x, "eig"))


def lu_factor(x):
    """``(lu, pivots)``: the packed LU factors and the row permutation with
    ``x[pivots] = L @ U`` (TensorFlow's convention, as Keras's TensorFlow backend)."""
    from ...ops import linalg_extra as _lx
    from ...ops.math_more import invert_permutation

    lu, perm = _lx.lu(_matrices(x, "lu_factor"))
    if perm.ndim > 1:
        flat = _sh.reshape(perm, [-1, perm.shape[-1]])
        inverted = _sh.stack([invert_permutation(row) for row in _sh.unstack(flat)])
        return lu, _sh.reshape(inverted, list(perm.shape))
    return lu, invert_permutation(perm)


def jvp(fun, primals, tangents, has_aux=False):
    """``(fun(*primals), J @ tangents)`` (and ``aux`` when ``has_aux``: ``fun`` then
    returns ``(output, aux)``) by forward-mode differentiation."""
    from ... import nest
    from ...autodiff.forward import ForwardAccumulator
    from ...ops.cast import cast
    from ._dtypes import convert_to_tensor

    if not callable(fun):
        raise TypeError(f"jvp: fun must be callable, received {fun!r}")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            "jvp: primals and tangents must be tuples or lists (the arguments of fun), "
            f"received {type(primals).__name__} and {type(tangents).__name__}"
        )
    flat_primals = [convert_to_tensor(p) for p in nest.flatten(primals)]
    flat_tangents = nest.flatten(tangents)
    if len(flat_primals) != len(flat_tangents):
        raise ValueError(
            f"jvp: primals and tangents must have the same structure, received "
            f"{len(flat_primals)} primals and {len(flat_tangents)} tangents"
        )
    flat_tangents = [
        cast(convert_to_tensor(t), p.dtype.name) for t, p in zip(flat_tangents, flat_primals)
    ]
    args = nest.pack_sequence_as(primals, flat_primals)
    with ForwardAccumulator(flat_primals, flat_tangents) as acc:
        if has_aux:
            out, aux = fun(*args)
        else:
            out = fun(*args)
        tangents_out = nest.pack_sequence_as(out, [acc.jvp(o) for o in nest.flatten(out)])
    if has_aux:
        return out, tangents_out, aux
    return out, tangents_out
