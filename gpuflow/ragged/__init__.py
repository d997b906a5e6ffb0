"""``gpuflow.ragged`` (``tf.ragged``, ``tf.RaggedTensor``): tensors whose rows differ in length.

``tf.reduce_sum/mean/max/min``, ``tf.concat`` and ``tf.stack`` accept RaggedTensors;
arithmetic operators broadcast with scalars and dense tensors.
"""

from __future__ import annotations

from . import bounds, convert, indexing, merge, reduce  # noqa: F401  (they install RaggedTensor methods)
from . import math as _math
from .cross import cross, cross_hashed
from .factory import constant
from .join import boolean_mask, stack_rows
from .join import ragged_stack as stack
from .layers import embedding_lookup, mean_over_rows
from .math import map_flat_values
from .partitions import stack_dynamic_partitions
from .ragged_tensor import RaggedTensor

_math.install(RaggedTensor)


def row_splits_to_segment_ids(splits, name=None, out_type=None):
    """The row of each value, from row splits (``[0, 2, 2, 5]`` -> ``[0, 0, 2, 2, 2]``)."""
    from ..ops.cast import cast

    rt = RaggedTensor.from_row_splits(_zeros_for(splits), splits)
    ids = rt.value_rowids()
    return ids if out_type is None else cast(ids, out_type)


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """Row splits from sorted row ids (``[0, 0, 2, 2, 2]`` -> ``[0, 2, 2, 5]``)."""
    import numpy as np

    from ..ops.cast import cast

    ids = np.asarray(segment_ids.numpy() if hasattr(segment_ids, "numpy") else segment_ids)
    rt = RaggedTensor.from_value_rowids(
        np.zeros(ids.shape[0], np.int8),
        ids,
        nrows=None if num_segments is None else int(num_segments),
    )
    splits = rt.row_splits
    return splits if out_type is None else cast(splits, out_type)


def _zeros_for(splits):
    import numpy as np

    values = np.asarray(splits.numpy() if hasattr(splits, "numpy") else splits)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"ragged.row_splits_to_segment_ids: splits must be a non-empty 1-D vector, "
            f"received shape {list(values.shape)}"
        )
    return np.zeros(int(values[-1]), np.int8)


def range(
    starts,
    limits=None,
    deltas=1,
    dtype=None,
    name=None,  # noqa: A001 - TF's name
    row_splits_dtype="int64",
):
    """Rows ``range(starts[i], limits[i], deltas[i])`` (``tf.ragged.range``)."""
    import numpy as np

    from ..ops._convert import as_tensor
    from ..ops.creation import constant as dense_constant

    if limits is None:
        starts, limits = 0, starts
    given = [as_tensor(v, dtype=dtype) for v in (starts, limits, deltas)]
    if dtype is None:  # TensorFlow's rule: the widest of the three (Python ints: int32)
        order = ["int32", "int64", "float32", "float64"]
        names = [t.dtype.name for t in given]
        dtype = max(names, key=lambda n: order.index(n) if n in order else 0)
    starts, limits, deltas = (np.atleast_1d(t.numpy()) for t in given)
    starts, limits, deltas = np.broadcast_arrays(starts, limits, deltas)
    rows = [np.arange(s, e, d) for s, e, d in zip(starts, limits, deltas)]
    values = np.concatenate(rows) if rows else np.zeros(0, starts.dtype)
    return RaggedTensor.from_row_lengths(
        dense_constant(values, dtype=dtype), np.asarray([len(r) for r in rows], np.int64)
    )


__all__ = [
    "RaggedTensor",
    "boolean_mask",
    "constant",
    "cross",
    "cross_hashed",
    "embedding_lookup",
    "map_flat_values",
    "mean_over_rows",
    "range",
    "stack",
    "stack_dynamic_partitions",
    "stack_rows",
]
