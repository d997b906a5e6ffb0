"""``tf.sparse.cross`` and ``tf.sparse.cross_hashed``: feature crosses of several
categorical columns, row by row, as TensorFlow's ``SparseCrossV2`` / ``SparseCrossHashed``.

Each input is a SparseTensor or a dense ``[batch, k]`` tensor of strings or integers;
SparseTensor inputs come first in the cross (as TensorFlow orders them), the product runs
with the first column slowest. ``cross`` joins the features as ``"a_X_b"``;
``cross_hashed`` combines FarmHash64 fingerprints (integers as themselves) with
``FingerprintCat64`` from ``hash_key``, giving TensorFlow's exact values.
"""

from __future__ import annotations

import itertools

import numpy as np

from .._string_arrays import OBJECT
from ..errors import InvalidArgumentError
from ..ops._convert import as_tensor
from ..strings._farmhash import fingerprint64
from ..tensor import Tensor
from .sparse_tensor import SparseTensor

DEFAULT_HASH_KEY = 0xDECAFCAFFE
_MASK = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TensorFlow's ``FingerprintCat64``: two 64-bit fingerprints combined into one."""
    result = fp1 ^ _MUL
    result ^= (_shift_mix((fp2 * _MUL) & _MASK) * _MUL) & _MASK
    result = (result * _MUL) & _MASK
    result = (_shift_mix(result) * _MUL) & _MASK
    return _shift_mix(result)


def _host_values(t: Tensor, op: str, position: int):
    data = t._data
    if data.dtype is OBJECT:
        return data
    if data.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: inputs must be int64 or string tensors, received dtype {t.dtype.name} "
            f"at position {position}"
        )
    return np.asarray(t.numpy()).astype(np.int64)


def _rows(inputs, op: str) -> list:
    """Each input as a list of per-row feature lists; sparse inputs first."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(f"{op}: inputs must be a non-empty list of tensors, received {inputs!r}")
    sparse, dense = [], []
    for position, x in enumerate(inputs):
        if isinstance(x, SparseTensor):
            shape = x.dense_shape.numpy().tolist()
            if len(shape) != 2:
                raise InvalidArgumentError(
                    f"{op}: sparse inputs should be of rank 2, received dense_shape {shape} at "
                    f"position {position}"
                )
            values = _host_values(x.values, op, position).tolist()
            rows: list = [[] for _ in range(shape[0])]
            for (row, _), value in zip(x.indices.numpy().tolist(), values):
                rows[row].append(value)
            sparse.append(rows)
        else:
            t = x if isinstance(x, Tensor) else as_tensor(x)
            if t.ndim != 2:
                raise InvalidArgumentError(
                    f"{op}: dense inputs should be a matrix but received shape "
                    f"{list(t.shape)} at position {position}"
                )
            dense.append([list(row) for row in _host_values(t, op, position).tolist()])
    columns = sparse + dense
    sizes = {len(c) for c in columns}
    if len(sizes) != 1:
        raise InvalidArgumentError(
            f"{op}: every input needs the same batch size, received {[len(c) for c in columns]}"
        )
    return columns


def _crossed(inputs, op: str, combine, dtype):
    columns = _rows(inputs, op)
    indices, values = [], []
    width = 0
    for row, features in enumerate(zip(*columns)):
        crosses = [combine(parts) for parts in itertools.product(*features)]
        indices += [[row, j] for j in range(len(crosses))]
        values += crosses
        width = max(width, len(crosses))
    index_array = np.asarray(indices, np.int64).reshape(-1, 2)
    if dtype is OBJECT:
        value_array = np.empty(len(values), dtype=OBJECT)
        value_array[:] = values
        value_tensor = Tensor(value_array, dtype="string")
    else:
        value_tensor = Tensor(np.asarray(values, dtype=dtype))
    return SparseTensor(index_array, value_tensor, [len(columns[0]), width])


def _text(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def cross(inputs, name=None, separator=None) -> SparseTensor:
    """The crosses of the rows' features, as strings joined by ``separator`` (``"_X_"``)."""
    sep = b"_X_" if separator is None else _text(separator)
    return _crossed(inputs, "tf.sparse.cross", lambda parts: sep.join(map(_text, parts)), OBJECT)


def cross_hashed(inputs, num_buckets: int = 0, hash_key=None, name=None) -> SparseTensor:
    """The crosses of the rows' features, hashed to int64 (``% num_buckets`` when it is
    positive), with TensorFlow's exact values."""
    num_buckets = int(num_buckets)
    if num_buckets < 0:
        raise ValueError(
            f"tf.sparse.cross_hashed: num_buckets must be >= 0, received {num_buckets}"
        )
    key = DEFAULT_HASH_KEY if hash_key is None else int(hash_key) & _MASK
    modulo = num_buckets if num_buckets > 0 else (1 << 63) - 1

    def combine(parts):
        h = key
        for part in parts:
            h = fingerprint_cat64(
                h, fingerprint64(part) if isinstance(part, bytes) else part & _MASK
            )
        return h % modulo

    return _crossed(inputs, "tf.sparse.cross_hashed", combine, np.int64)
