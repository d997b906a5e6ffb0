"""``tf.data.Dataset.list_files``: the file names matching glob patterns, as strings."""

from __future__ import annotations

import glob

import numpy as np

from ..errors import InvalidArgumentError
from ..tensor import Tensor
from .dataset import Dataset


def _patterns(file_pattern) -> list:
    if isinstance(file_pattern, Tensor):
        file_pattern = file_pattern.numpy()
    if isinstance(file_pattern, (str, bytes, np.str_, np.bytes_)):
        file_pattern = [file_pattern]
    out = []
    for p in np.asarray(file_pattern, dtype=object).reshape(-1).tolist():
        if isinstance(p, bytes):
            p = p.decode("utf-8")
        if not isinstance(p, str):
            raise TypeError(f"Dataset.list_files: file_pattern must be strings, received {p!r}")
        out.append(p)
    return out


def list_files(file_pattern, shuffle=None, seed=None, name=None) -> Dataset:
    """A dataset of the file names (``tf.string`` scalars) matching ``file_pattern`` (a glob
    pattern or a list of them), sorted, and shuffled unless ``shuffle=False`` (TensorFlow's
    default is to shuffle, with a new order each epoch; ``seed`` fixes it).

    Raises:
        InvalidArgumentError: when no file matches.
    """
    patterns = _patterns(file_pattern)
    names = sorted({n for p in patterns for n in glob.glob(p)})
    if not names:
        raise InvalidArgumentError(
            None, "list_files", f"No files matched pattern: {', '.join(patterns)}"
        )
    from .sources import from_tensor_slices

    ds = from_tensor_slices(np.array([n.encode("utf-8") for n in names], dtype=object))
    if shuffle is None or shuffle:
        ds = ds.shuffle(len(names), seed=seed)
    return ds
