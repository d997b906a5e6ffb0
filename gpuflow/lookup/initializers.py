"""Table initializers (``tf.lookup.KeyValueTensorInitializer``, ``TextFileInitializer``):
the keys and values a lookup table is built from, read once on the host."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..io.files import as_path
from ..tensor import Tensor


def host_values(value, dtype, what: str) -> np.ndarray:
    """``value`` (list, array, Tensor) as a 1-D host array of ``dtype`` (None: inferred)."""
    from ..ops.creation import constant

    try:
        t = value if isinstance(value, Tensor) and dtype is None else constant(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what}: cannot convert {value!r} to dtype {dtype} ({exc})") from None
    if dtype is not None and t.dtype != dtypes.as_dtype(dtype):
        raise TypeError(
            f"{what}: expected dtype {dtypes.as_dtype(dtype).name}, received {t.dtype.name}"
        )
    array = np.asarray(t.numpy())
    if array.ndim != 1:
        raise ValueError(f"{what}: expected a vector, received shape {array.shape}")
    return array


class KeyValueTensorInitializer:
    """Keys and values given as tensors (or lists), one value per key."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None) -> None:
        self._keys = host_values(keys, key_dtype, "KeyValueTensorInitializer keys")
        self._values = host_values(values, value_dtype, "KeyValueTensorInitializer values")
        if len(self._keys) != len(self._values):
            raise ValueError(
                f"KeyValueTensorInitializer: {len(self._keys)} keys but "
                f"{len(self._values)} values; give one value per key"
            )
        self._name = name

    @property
    def key_dtype(self):
        return dtypes.of(self._keys.dtype)

    @property
    def value_dtype(self):
        return dtypes.of(self._values.dtype)

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        return self._keys, self._values


class TextFileIndex:
    """Which part of a line a TextFileInitializer reads (TF's constants)."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class TextFileInitializer:
    """Keys and values read from a text file: the whole line, its line number, or the
    ``key_index``-th / ``value_index``-th field split at ``delimiter``."""

    def __init__(
        self,
        filename,
        key_dtype,
        key_index,
        value_dtype,
        value_index,
        vocab_size=None,
        delimiter="\t",
        name=None,
        value_index_offset=0,
    ) -> None:
        if hasattr(filename, "asset_path"):  # a tf.saved_model.Asset
            filename = filename.asset_path
        filename = as_path(filename, "TextFileInitializer")
        with open(filename, "rb") as f:
            lines = f.read().decode("utf-8").splitlines()
        if vocab_size is not None:
            if len(lines) < vocab_size:
                raise ValueError(
                    f"TextFileInitializer: {filename!r} has {len(lines)} lines, "
                    f"vocab_size is {vocab_size}"
                )
            lines = lines[:vocab_size]
        self._key_dtype = dtypes.as_dtype(key_dtype, "TextFileInitializer key_dtype")
        self._value_dtype = dtypes.as_dtype(value_dtype, "TextFileInitializer value_dtype")
        keys = [self._field(line, n, key_index, delimiter, 0) for n, line in enumerate(lines)]
        values = [
            self._field(line, n, value_index, delimiter, value_index_offset)
            for n, line in enumerate(lines)
        ]
        self._keys = self._convert(keys, self._key_dtype, filename)
        self._values = self._convert(values, self._value_dtype, filename)

    @staticmethod
    def _field(line: str, number: int, index: int, delimiter: str, offset: int):
        if index == TextFileIndex.LINE_NUMBER:
            return number + offset
        if index == TextFileIndex.WHOLE_LINE:
            return line
        fields = line.split(delimiter)
        if not 0 <= index < len(fields):
            raise ValueError(
                f"TextFileInitializer: line {number} has {len(fields)} fields, index is {index}"
            )
        return fields[index]

    @staticmethod
    def _convert(items, dtype, filename) -> np.ndarray:
        if dtype == dtypes.string:
            return host_values([str(v) for v in items], "string", "TextFileInitializer")
        try:
            return np.asarray([float(v) if dtype.is_floating else int(v) for v in items], dtype)
        except ValueError as exc:
            raise ValueError(f"TextFileInitializer: {filename!r}: {exc}") from None

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        return self._keys, self._values
