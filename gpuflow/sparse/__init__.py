"""``gpuflow.sparse`` (``tf.sparse``): SparseTensor and the ops on it, without densifying."""

from __future__ import annotations

from .cross import cross, cross_hashed
from .elementwise import (
    bincount,
    expand_dims,
    eye,
    map_values,
    mask,
    maximum,
    minimum,
    reset_shape,
    segment_mean,
    segment_sqrt_n,
    segment_sum,
    softmax,
    split,
    transpose,
)
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
from .sampled import sampled_addmm
from .sparse_tensor import SparseTensor

matmul = sparse_dense_matmul  # tf.sparse.matmul, the older name

__all__ = [
    "SparseTensor",
    "add",
    "bincount",
    "concat",
    "cross",
    "cross_hashed",
    "expand_dims",
    "eye",
    "fill_empty_rows",
    "from_dense",
    "map_values",
    "mask",
    "matmul",
    "maximum",
    "minimum",
    "reduce_max",
    "reduce_sum",
    "sampled_addmm",
    "reorder",
    "reset_shape",
    "reshape",
    "retain",
    "segment_mean",
    "segment_sqrt_n",
    "segment_sum",
    "slice",
    "softmax",
    "sparse_dense_matmul",
    "split",
    "take_rows",
    "to_dense",
    "to_indicator",
    "transpose",
]
