"""``tf.linalg.experimental``: the conjugate gradient solver."""

from __future__ import annotations

import collections

import numpy as np

from ..ops._common import as_tensor

CGState = collections.namedtuple("CGState", ["i", "x", "r", "p", "gamma"])


def conjugate_gradient(
    operator, rhs, preconditioner=None, x=None, tol=1e-5, max_iter=20, name="conjugate_gradient"
):
    """Solve ``A x = rhs`` for a self-adjoint positive definite ``operator`` by conjugate
    gradients (TensorFlow's iteration): stop after ``max_iter`` steps or when every batch
    member's residual norm is at most ``tol * |rhs|``. Returns the final ``CGState(i, x,
    r, p, gamma)``."""
    from ..ops.creation import constant, zeros
    from ..ops.linalg_decomp import norm
    from ..ops.reduce import reduce_sum
    from ..ops.shape import broadcast_to

    if not (operator.is_self_adjoint and operator.is_positive_definite):
        raise ValueError("Expected a self-adjoint, positive definite operator.")
    rhs = as_tensor(rhs, dtype=operator.dtype)

    def dot(a, b):
        from ..ops.complex_ops import conj

        return reduce_sum((conj(a) if a.dtype.is_complex else a) * b, axis=-1)

    shapes = [tuple(rhs.shape[:-1]), tuple(operator.batch_shape)]
    if preconditioner is not None:
        shapes.append(tuple(preconditioner.batch_shape))
    full = tuple(np.broadcast_shapes(*shapes)) + (rhs.shape[-1],)
    r = broadcast_to(rhs, full)
    limit = tol * norm(r, axis=-1)
    if x is None:
        x = zeros(list(full), dtype=rhs.dtype)
    else:
        x = as_tensor(x, dtype=rhs.dtype)
        r = rhs - operator.matvec(x)
    p = r if preconditioner is None else preconditioner.matvec(r)
    gamma = dot(r, p)
    i = 0
    while i < max_iter and bool(np.any((norm(r, axis=-1) > limit).numpy())):
        z = operator.matvec(p)
        alpha = gamma / dot(p, z)
        x = x + alpha[..., None] * p
        r = r - alpha[..., None] * z
        q = r if preconditioner is None else preconditioner.matvec(r)
        new_gamma = dot(r, q)
        p = q + (new_gamma / gamma)[..., None] * p
        gamma = new_gamma
        i += 1
    return CGState(constant(i, dtype="int32"), x, r, p, gamma)


__all__ = ["conjugate_gradient"]
