"""Checking and batching the data given to fit/evaluate/predict, before any work starts."""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor


def to_host_array(value, what: str, op: str) -> np.ndarray:
    """``value`` (NumPy array, list, Tensor) as a NumPy array, or a clear error."""
    if isinstance(value, Tensor):
        return value.numpy()
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (np.ndarray, Tensor)) \
            and len(value) == 1:
        return to_host_array(value[0], what, op)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{op}: {what} must be an array-like, received {type(value).__name__} ({exc})") from None
    if array.dtype == object:
        raise TypeError(f"{op}: {what} must be a numeric array, received ragged or non-numeric data")
    if array.dtype.kind not in "biuf":  # strings, bytes, complex, dates: never silently cast
        raise TypeError(f"{op}: {what} must be a numeric (bool, int or float) array, received "
                        f"dtype {array.dtype}")
    return array


def check_data(x, y, op: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Validate ``x`` (and ``y``): same length, not empty, numeric, finite."""
    x = to_host_array(x, "x", op)
    if x.ndim == 0 or len(x) == 0:
        raise ValueError(f"{op}: received no data (x has shape {x.shape}); pass at least one sample")
    _check_finite(x, "x", op)
    if y is None:
        return x, None
    y = to_host_array(y, "y", op)
    if y.ndim == 0 or len(y) != len(x):
        raise ValueError(f"{op}: x and y have different lengths: x has {len(x)} samples, "
                         f"y has {len(y) if y.ndim else 0}")
    _check_finite(y, "y", op)
    return x, y


def _check_finite(array: np.ndarray, what: str, op: str) -> None:
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(f"{op}: {what} contains NaN or Inf (first at index {tuple(int(i) for i in bad)}); "
                         f"clean the data before training")


def split_validation(x, y, fraction: float):
    """Keras' ``validation_split``: the last ``fraction`` of the samples, taken before shuffling."""
    if not 0 < fraction < 1:
        raise ValueError(f"fit: validation_split must be in (0, 1), received {fraction}")
    cut = int(len(x) * (1 - fraction))
    if cut == 0 or cut == len(x):
        raise ValueError(f"fit: validation_split={fraction} leaves an empty training or validation set "
                         f"with {len(x)} samples")
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def batch_slices(n: int, batch_size: int, order: np.ndarray | None):
    """Index ranges (or index arrays, when shuffled) of each batch."""
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        yield slice(start, stop) if order is None else order[start:stop]


def check_batch_size(batch_size, op: str) -> int:
    if batch_size is None:
        return 32
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"{op}: batch_size must be a positive int, received {batch_size!r}")
    return int(batch_size)
