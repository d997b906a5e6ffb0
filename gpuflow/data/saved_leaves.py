"""One element leaf of ``Dataset.save`` as plain NumPy arrays, and back (never pickled).

A dense numeric leaf is stored as itself under its key. Other leaves use arrays under
the key plus a suffix (suffixes are letters, keys end in digits, so they never clash):

- a string tensor: ``<key>_b`` its bytes concatenated (uint8), ``<key>_n`` each
  string's length (int64, the tensor's shape);
- a RaggedValue: its flat values as a leaf under ``<key>_v``, its row splits as
  ``<key>_s0``, ``<key>_s1``, ... (outermost first);
- a SparseValue: ``<key>_i`` indices, values as a leaf under ``<key>_v``, ``<key>_d``
  the dense shape.
"""

from __future__ import annotations

import numpy as np

from .. import _string_arrays
from ..tensor_spec import RaggedTensorSpec
from ..type_specs import SparseTensorSpec
from .composite import RaggedValue, SparseValue


def put(arrays: dict, key: str, leaf) -> None:
    """Add the arrays that store ``leaf`` under ``key`` to ``arrays``."""
    if isinstance(leaf, RaggedValue):
        put(arrays, key + "_v", leaf.flat_values)
        for k, splits in enumerate(leaf.nested_row_splits):
            arrays[f"{key}_s{k}"] = np.asarray(splits, dtype=np.int64)
        return
    if isinstance(leaf, SparseValue):
        arrays[key + "_i"] = np.asarray(leaf.indices, dtype=np.int64)
        put(arrays, key + "_v", leaf.values)
        arrays[key + "_d"] = np.asarray(leaf.dense_shape, dtype=np.int64)
        return
    leaf = np.asarray(leaf)
    if _string_arrays.is_string_array(leaf):
        flat = [_string_arrays.to_bytes(s, "Dataset.save") for s in leaf.reshape(-1)]
        arrays[key + "_b"] = np.frombuffer(b"".join(flat), dtype=np.uint8)
        arrays[key + "_n"] = np.array([len(s) for s in flat], dtype=np.int64).reshape(leaf.shape)
        return
    arrays[key] = leaf


def get(data, key: str, spec):
    """The leaf that :func:`put` stored under ``key``, for its spec ``spec``."""
    if isinstance(spec, RaggedTensorSpec):
        splits = []
        while f"{key}_s{len(splits)}" in data:
            splits.append(data[f"{key}_s{len(splits)}"])
        return RaggedValue(_dense(data, key + "_v"), tuple(splits))
    if isinstance(spec, SparseTensorSpec):
        return SparseValue(data[key + "_i"], _dense(data, key + "_v"), data[key + "_d"].tolist())
    return _dense(data, key)


def _dense(data, key: str) -> np.ndarray:
    if key + "_b" not in data:
        return data[key]
    buffer = data[key + "_b"].tobytes()
    lengths = data[key + "_n"]
    ends = np.cumsum(lengths.reshape(-1))
    out = _string_arrays.empty_strings(lengths.shape)
    flat = out.reshape(-1)
    for i, end in enumerate(ends.tolist()):
        flat[i] = buffer[end - int(lengths.flat[i]) : end]
    return out
