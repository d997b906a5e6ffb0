"""What the text layers' adapt() reads: strings as an array, list or Tensor, or a Dataset /
iterable of batches (a batch may be ``(x, y)``: only ``x`` is used).

Keras' document rule (it matters for tf_idf): in a whole array, a rank-1 array is one
document per element; in a batch of a Dataset, a rank-1 batch is one document.
"""

from __future__ import annotations

import numpy as np

from ..._string_arrays import OBJECT, bytes_array
from ...ragged.ragged_tensor import RaggedTensor
from ...tensor import Tensor


def host_strings(value, where: str):
    """``value`` (Tensor, array, list, RaggedTensor) as an object array of bytes, or a
    RaggedTensor unchanged."""
    if isinstance(value, RaggedTensor):
        return value
    if isinstance(value, Tensor):
        if value._data.dtype is not OBJECT:
            raise TypeError(
                f"{where}: expected strings, received a tensor of dtype {value.dtype.name}"
            )
        return value._data
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        return bytes_array(value, where)
    except TypeError as exc:
        raise TypeError(f"{where}: expected strings ({exc})") from None


def rows_of(array, whole: bool) -> list:
    """The documents (lists of bytes tokens) in one batch."""
    if isinstance(array, RaggedTensor):
        return [list(r) for r in array.to_list()]
    if array.ndim == 0:
        return [[array[()]]]
    if array.ndim == 1:
        return [[t] for t in array.tolist()] if whole else [array.tolist()]
    return [row for row in array.reshape(array.shape[0], -1).tolist()]


def _first(batch):
    if isinstance(batch, (tuple, list)) and batch and not isinstance(batch[0], (str, bytes)):
        if isinstance(batch[0], (Tensor, np.ndarray, RaggedTensor, list)):
            return batch[0]
    return batch


def raw_batches(data, steps, where: str):
    """``(batch, whole)`` pairs: the data as one whole batch, or the batches of an iterable."""
    if isinstance(data, (np.ndarray, Tensor, RaggedTensor, str, bytes)) or (
        isinstance(data, (list, tuple)) and (not data or isinstance(data[0], (str, bytes, list)))
    ):
        yield data, True
        return
    if not hasattr(data, "__iter__"):
        raise TypeError(
            f"{where}: adapt() expects strings (an array, a list, a Tensor) or an iterable "
            f"of batches such as a Dataset, received {type(data).__name__}"
        )
    seen = 0
    for batch in data:
        if steps is not None and seen >= steps:
            break
        yield _first(batch), False
        seen += 1
    if seen == 0:
        raise ValueError(f"{where}: adapt() received no batches; pass non-empty data")


def text_batches(data, steps, where: str):
    """The documents of each batch of ``data`` (lists of rows of bytes tokens)."""
    for batch, whole in raw_batches(data, steps, where):
        yield rows_of(host_strings(batch, where), whole)
