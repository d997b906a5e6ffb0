"""What adapt() reads: an array or Tensor, or anything iterable of batches (a Dataset, a list,
a generator), where a batch may be ``(x, y)`` (only ``x`` is used)."""

from __future__ import annotations

import numpy as np

from ...tensor import Tensor


def _array(batch) -> np.ndarray:
    if (
        isinstance(batch, (tuple, list))
        and batch
        and not np.isscalar(batch[0])
        and isinstance(batch[0], (Tensor, np.ndarray))
    ):
        batch = batch[0]
    if isinstance(batch, Tensor):
        return np.asarray(batch)
    if hasattr(batch, "numpy") and not isinstance(batch, np.ndarray):
        return np.asarray(batch.numpy())
    return np.asarray(batch)


def batches(data, steps, where: str):
    """The batches of ``data`` as NumPy arrays (at most ``steps`` of them).

    Raises:
        TypeError: for data that is neither an array nor iterable.
        ValueError: for an empty iterable.
    """
    if isinstance(data, (np.ndarray, Tensor)) or np.isscalar(data):
        yield _array(data)
        return
    if isinstance(data, list) and data and np.isscalar(data[0]):
        yield np.asarray(data)
        return
    if not hasattr(data, "__iter__"):
        raise TypeError(
            f"{where}: adapt() expects an array, a Tensor or an iterable of batches, "
            f"received {type(data).__name__}"
        )
    seen = 0
    for batch in data:
        if steps is not None and seen >= steps:
            break
        yield _array(batch)
        seen += 1
    if seen == 0:
        raise ValueError(
            f"{where}: adapt() received no batches; pass a non-empty array or iterable"
        )
