"""``tf.ragged.stack_dynamic_partitions``: the slices of ``data`` grouped by partition
number, as the rows of one RaggedTensor (``tf.ragged.stack(tf.dynamic_partition(...))``
without the list)."""

from __future__ import annotations

import numpy as np

from ..ops._convert import as_tensor
from ..ops.indexing import gather
from ..ops.shape import reshape
from ..tensor import Tensor
from .indexing import _take_rows
from .ragged_tensor import RaggedTensor, _error


def stack_dynamic_partitions(data, partitions, num_partitions, name=None) -> RaggedTensor:
    """Row ``i`` of the result stacks, in row-major order, every slice ``data[j...]`` whose
    ``partitions[j...]`` is ``i``; ``partitions.shape`` is a prefix of ``data.shape``
    (for RaggedTensor ``data``, a vector: one partition per row)."""
    op = "ragged.stack_dynamic_partitions"
    parts = np.asarray(partitions.numpy() if isinstance(partitions, Tensor) else partitions)
    if parts.size and parts.dtype.kind not in "iu":
        raise _error(op, f"partitions must be int32 or int64, received dtype {parts.dtype}")
    n = int(num_partitions.numpy() if isinstance(num_partitions, Tensor) else num_partitions)
    flat_parts = parts.reshape(-1).astype(np.int64)
    if flat_parts.size and (flat_parts.min() < 0 or flat_parts.max() >= n):
        raise _error(
            op,
            f"partitions must lie in [0, num_partitions={n}), received values from "
            f"{flat_parts.min()} to {flat_parts.max()}",
        )
    if isinstance(data, RaggedTensor):
        if parts.ndim != 1 or parts.shape[0] != data.nrows_int():
            raise _error(
                op,
                f"for a RaggedTensor data, partitions must hold one value per row "
                f"({data.nrows_int()}), received shape {parts.shape}",
            )
        slices = data
    else:
        x = as_tensor(data)
        k = parts.ndim
        if tuple(x.shape[:k]) != parts.shape:
            raise _error(
                op,
                f"partitions.shape {parts.shape} must be a prefix of data.shape {tuple(x.shape)}",
            )
        slices = reshape(x, [flat_parts.size] + list(x.shape[k:]))
    order = np.argsort(flat_parts, kind="stable")
    if isinstance(slices, RaggedTensor):
        grouped = _take_rows(slices, order.astype(np.int64))
    else:
        grouped = gather(slices, order)
    return RaggedTensor.from_value_rowids(grouped, flat_parts[order], nrows=n, validate=False)
