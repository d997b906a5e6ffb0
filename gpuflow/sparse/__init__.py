"""``gpuflow.sparse`` (``tf.sparse``): SparseTensor and the ops on it, without densifying."""

from __future__ import annotations

from .cross import cross, cross_hashed
from .elementwise import eye, maximum, minimum, softmax, split
from .matmul import sparse_dense_matmul
from .ops import (
    add,
    concat,
    fill_empty_rows,
    from_dense,
    reorder,
    reshape,
    retain,
    slice,
    take_rows,
    to_dense,
    to_indicator,
)
from .reduce import reduce_max, reduce_sum
from .sparse_tensor import SparseTensor
from .structure import expand_dims, map_values, transpose

matmul = sparse_dense_matmul  # tf.sparse.matmul, the older name

__all__ = [
    "SparseTensor",
    "add",
    "concat",
    "cross",
    "cross_hashed",
    "expand_dims",
    "eye",
    "fill_empty_rows",
    "from_dense",
    "map_values",
    "matmul",
    "maximum",
    "minimum",
    "reduce_max",
    "reduce_sum",
    "reorder",
    "reshape",
    "retain",
    "slice",
    "softmax",
    "split",
    "sparse_dense_matmul",
    "take_rows",
    "to_dense",
    "to_indicator",
    "transpose",
]
