"""``tf.sparse.sampled_addmm``: ``alpha * (mat1 @ mat2)`` at the positions of a sparse
pattern, plus ``beta * values`` (differentiable in ``values``, ``mat1`` and ``mat2``)."""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..ops.cast import cast
from ..ops.indexing import gather_nd
from ..ops.linalg import matmul


def sampled_addmm(
    indices, values, dense_shape, mat1, mat2, beta=1.0, alpha=1.0, output_type="float32"
):
    """``(indices, alpha * (mat1 @ mat2)[indices] + beta * values, dense_shape)``; with
    batch dimensions, ``indices [..., nnz, 2]`` index each batch's matrix and
    ``dense_shape`` is one matrix's ``[M, N]``."""
    op = "sparse.sampled_addmm"
    idx = as_tensor(indices)
    a, b = cast(as_tensor(mat1), output_type), cast(as_tensor(mat2), output_type)
    v = cast(as_tensor(values), output_type)
    shape = as_tensor(dense_shape)
    if a.ndim < 2 or b.ndim != a.ndim or idx.ndim != a.ndim or idx.shape[-1] != 2:
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: expected mat1 [..., M, K], mat2 [..., K, N] and indices [..., nnz, 2] of "
            f"one batch rank, received {tuple(a.shape)}, {tuple(b.shape)} and "
            f"{tuple(idx.shape)}",
        )
    if tuple(v.shape) != tuple(idx.shape[:-1]):
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: values must have shape {tuple(idx.shape[:-1])}, received {tuple(v.shape)}",
        )
    product = matmul(a, b)
    if shape.numpy().reshape(-1).tolist() != list(product.shape[-2:]):
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: dense_shape {shape.numpy().tolist()} must be the shape [M, N] of each "
            f"matrix of mat1 @ mat2 {tuple(product.shape)}",
        )
    sampled = gather_nd(product, idx, batch_dims=a.ndim - 2)
    return idx, alpha * sampled + beta * v, shape
