"""``gpuflow.linalg``: the matrix ops of ``tf.linalg``."""

from .ops.creation import eye  # noqa: F401
from .ops.first_operand import matmul  # noqa: F401  (a converts first, as TF's)
from .ops.linalg import (  # noqa: F401
    band_part,
    diag,
    diag_part,
    einsum,
    matrix_transpose,
    matvec,
    tensordot,
    trace,
)
from .ops.linalg_decomp import (  # noqa: F401
    cholesky,
    det,
    eigh,
    eigvalsh,
    inv,
    logdet,
    norm,
    qr,
    slogdet,
    solve,
    svd,
)
from .ops.linalg_more import (  # noqa: F401
    cholesky_solve,
    cross,
    lstsq,
    matrix_rank,
    normalize,
    pinv,
    set_diag,
    triangular_solve,
)
from .ops.math_extra import global_norm, l2_normalize  # noqa: F401


def adjoint(matrix, name=None):
    """The conjugate transpose of the last two axes (``tf.linalg.adjoint``)."""
    return matrix_transpose(matrix, conjugate=True)


from .linear_operator import *  # noqa: E402,F401,F403  (tf.linalg.LinearOperator*)
from .ops.linalg_extra import (  # noqa: E402,F401
    banded_triangular_solve,
    eig,
    eigh_tridiagonal,
    eigvals,
    expm,
    logm,
    lu,
    lu_matrix_inverse,
    lu_reconstruct,
    lu_solve,
    sqrtm,
    tensor_diag,
    tensor_diag_part,
    tridiagonal_matmul,
    tridiagonal_solve,
)

__all__ = [n for n in dir() if not n.startswith("_")]
