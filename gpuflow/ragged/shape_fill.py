"""``tf.reshape`` / ``tf.zeros`` / ``tf.ones`` / ``tf.fill`` with a DynamicRaggedShape
(``tf.shape(rt)``): RaggedTensors of that shape, as TensorFlow's ragged dispatch."""

from __future__ import annotations

import math

from ..ops._common import as_tensor
from .dynamic_shape import DynamicRaggedShape
from .ragged_tensor import RaggedTensor


def _partitioned(shape: DynamicRaggedShape, flat):
    """``flat`` (of ``shape``'s inner shape) wrapped in its row partitions."""
    out = flat
    for lengths, uniform in reversed(list(zip(shape._lengths, shape._uniform))):
        if uniform and len(lengths):
            out = RaggedTensor.from_uniform_row_length(out, int(lengths[0]), nrows=len(lengths))
        else:
            out = RaggedTensor.from_row_lengths(out, lengths, validate=False)
    return out


def reshape(tensor, shape: DynamicRaggedShape, name=None):
    """The values of ``tensor`` (row-major) laid out in ``shape``."""
    from ..ops.shape import reshape as flat_reshape

    inner = list(shape._inner)
    size = math.prod(inner)
    n = int(math.prod(as_tensor(tensor).shape))
    if n != size:
        raise ValueError(
            f"reshape: cannot reshape a tensor of {n} elements into a ragged shape of "
            f"{size} elements ({shape!r})"
        )
    return _partitioned(shape, flat_reshape(tensor, inner))


def fill(shape: DynamicRaggedShape, value, name=None):
    from ..ops.creation import fill as dense_fill

    return _partitioned(shape, dense_fill(list(shape._inner), value))


def zeros(shape: DynamicRaggedShape, dtype=None, name=None):
    from ..ops.creation import zeros as dense_zeros

    return _partitioned(shape, dense_zeros(list(shape._inner), dtype=dtype or "float32"))


def ones(shape: DynamicRaggedShape, dtype=None, name=None):
    from ..ops.creation import ones as dense_ones

    return _partitioned(shape, dense_ones(list(shape._inner), dtype=dtype or "float32"))
