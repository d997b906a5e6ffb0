"""``RaggedTensor.bounding_shape`` and ``nested_row_lengths``: sizes of the partitions."""

from __future__ import annotations

import numpy as np

from ..ops.cast import cast
from ..tensor import Tensor
from .ragged_tensor import RaggedTensor, _error


def bounding_shape(self, axis=None, name=None, out_type=None) -> Tensor:
    """The smallest dense shape holding the tensor: ``[nrows, longest row at each ragged
    axis, inner dims...]`` (int64 unless ``out_type``), or its entry ``axis``."""
    device = self._row_splits._device
    dims, rt = [self.nrows_int()], self
    while isinstance(rt, RaggedTensor):
        splits = device.to_host(rt._row_splits._data)
        dims.append(int((splits[1:] - splits[:-1]).max()) if len(splits) > 1 else 0)
        rt = rt._values
    dims.extend(int(d) for d in rt.shape[1:])
    out = np.asarray(dims, np.int64)
    if axis is not None:
        if isinstance(axis, Tensor):
            axis = axis.numpy().tolist()
        try:
            out = out[axis]
        except IndexError:
            raise _error(
                "RaggedTensor.bounding_shape",
                f"axis {axis} is out of range for a RaggedTensor of rank {len(dims)}",
            ) from None
    result = Tensor._wrap(device.asarray(out), device)
    return result if out_type is None else cast(result, out_type)


def nested_row_lengths(self, name=None) -> tuple:
    """The row lengths of each ragged axis, outermost first."""
    out, rt = [], self
    while isinstance(rt, RaggedTensor):
        out.append(rt.row_lengths())
        rt = rt._values
    return tuple(out)


RaggedTensor.bounding_shape = bounding_shape
RaggedTensor.nested_row_lengths = nested_row_lengths
