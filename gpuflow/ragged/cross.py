"""``tf.ragged.cross`` / ``tf.ragged.cross_hashed``: feature crosses row by row, the
result a RaggedTensor. Every input (RaggedTensor, dense ``[batch, k]`` tensor or
SparseTensor) becomes a SparseTensor of its rows so that the crosses keep the inputs'
order (as TensorFlow's RaggedCross, whose ``input_order`` does), then
``tf.sparse.cross`` / ``cross_hashed`` compute them."""

from __future__ import annotations

from ..ops._convert import as_tensor
from ..sparse.cross import cross as _sparse_cross
from ..sparse.cross import cross_hashed as _sparse_cross_hashed
from ..sparse.sparse_tensor import SparseTensor
from .convert import from_sparse
from .ragged_tensor import RaggedTensor


def _as_sparse_rows(value, op: str, position: int) -> SparseTensor:
    if isinstance(value, SparseTensor):
        return value
    if isinstance(value, RaggedTensor):
        rt = value
    else:
        dense = as_tensor(value)
        if dense.ndim != 2:
            raise ValueError(
                f"{op}: inputs must have rank 2, received shape {tuple(dense.shape)} at "
                f"position {position}"
            )
        rt = RaggedTensor.from_tensor(dense)
    if rt.ragged_rank != 1 or rt.flat_values.ndim != 1:
        raise ValueError(f"{op}: inputs must have rank 2, received rank {rt.ndim} at {position}")
    return rt.to_sparse()


def _inputs(inputs, op: str) -> list:
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(f"{op}: inputs must be a non-empty list of tensors, received {inputs!r}")
    return [_as_sparse_rows(x, op, i) for i, x in enumerate(inputs)]


def cross(inputs, name=None) -> RaggedTensor:
    """Each row's crosses: the features of the inputs' rows joined with ``"_X_"``."""
    return from_sparse(_sparse_cross(_inputs(inputs, "tf.ragged.cross")))


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None) -> RaggedTensor:
    """Each row's crosses hashed to int64 (``% num_buckets`` when positive), as
    ``tf.sparse.cross_hashed``."""
    crossed = _sparse_cross_hashed(_inputs(inputs, "tf.ragged.cross_hashed"), num_buckets, hash_key)
    return from_sparse(crossed)
