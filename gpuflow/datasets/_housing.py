"""The shuffled train/test split that ``boston_housing`` and ``california_housing`` share."""

from __future__ import annotations

import numpy as np

from ._idx import CorruptFileError
from ._keras_cache import load_npz


def check_test_split(test_split) -> None:
    if not (0 <= test_split < 1):
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. "
            "It must be between 0 and 1 (exclusive of 1)."
        )


def read_xy(op: str, path: str, features: int):
    f = load_npz(op, path, ("x", "y"))
    x, y = f["x"], f["y"]
    if x.dtype == object or x.ndim != 2 or x.shape[1] != features or y.shape != (len(x),):
        raise CorruptFileError(
            path,
            "arrays",
            f"{op}: expected x of shape (n, {features}) and y of shape (n,), received "
            f"{x.shape} and {y.shape}",
        )
    return x, y


def split(x, y, test_split, seed):
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x))
    rng.shuffle(indices)
    x = x[indices]
    y = y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
