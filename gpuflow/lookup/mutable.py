"""``tf.lookup.experimental.MutableHashTable`` and ``DenseHashTable``: tables filled and
emptied by ``insert`` / ``remove``, kept in a host dict (keys as Python scalars or bytes).
Inside ``gpuflow.function`` each insert, remove and lookup is one host step that runs
again on every call (``host_call``), as TensorFlow runs its table ops inside the graph."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._string_arrays import to_bytes
from .._tracing import host_call
from ..errors import InvalidArgumentError
from ..strings._common import result
from ..tensor import Tensor


def _host(value) -> np.ndarray:
    return np.asarray(value.numpy() if isinstance(value, Tensor) else value)


class MutableHashTable:
    """A key-to-value table changed by ``insert`` / ``remove``; ``lookup`` gives
    ``default_value`` for keys not in it. Values may be vectors: ``default_value``'s shape
    is each value's shape."""

    _kind = "MutableHashTable"

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        name="MutableHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ) -> None:
        self._key_dtype = dtypes.as_dtype(key_dtype, f"{self._kind}(key_dtype=...)")
        self._value_dtype = dtypes.as_dtype(value_dtype, f"{self._kind}(value_dtype=...)")
        self._default = self._values_array(default_value, "default_value")
        self._value_shape = self._default.shape
        self._entries: dict = {}
        self._name = name
        self.insert = host_call(self._insert)
        self.remove = host_call(self._remove)
        self.lookup = host_call(self._lookup, effect=False)
        self.size = host_call(self._size, effect=False)
        self.export = host_call(self._export, effect=False)

    # -- TensorFlow's attributes ------------------------------------------------------------
    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    @property
    def name(self):
        return self._name

    @property
    def default_value(self) -> Tensor:
        return result(self._default)

    def __getitem__(self, keys):
        return self.lookup(keys)

    # -- conversions ------------------------------------------------------------------------
    def _keys_array(self, keys, op: str) -> np.ndarray:
        if isinstance(keys, Tensor) and keys.dtype != self._key_dtype:
            raise ValueError(  # as TF's conversion of the keys to key_dtype
                f"{self._kind}.{op}: Tensor conversion requested dtype {self._key_dtype.name} "
                f"for keys with dtype {keys.dtype.name}"
            )
        array = _host(keys)
        if self._key_dtype == dtypes.string:
            if array.dtype.kind not in "USO":
                raise TypeError(f"{self._kind}.{op}: keys must be strings, received {array.dtype}")
            return np.vectorize(to_bytes, otypes=[object])(array) if array.size else array
        if array.dtype.kind not in "iu":
            raise TypeError(
                f"{self._kind}.{op}: keys must be {self._key_dtype.name}, received {array.dtype}"
            )
        return array.astype(self._key_dtype.as_numpy_dtype)

    def _values_array(self, values, what: str) -> np.ndarray:
        array = _host(values)
        if self._value_dtype == dtypes.string:
            if array.dtype.kind not in "USO":
                raise TypeError(f"{self._kind}: {what} must be strings, received {array.dtype}")
            return np.vectorize(to_bytes, otypes=[object])(array) if array.size else array
        if array.dtype.kind in "USO":
            raise TypeError(
                f"{self._kind}: {what} must be {self._value_dtype.name}, received strings"
            )
        return array.astype(self._value_dtype.as_numpy_dtype)

    # -- the table operations ---------------------------------------------------------------
    def _insert(self, keys, values, name=None) -> None:
        """Sets the value of each key (replacing what it had)."""
        k = self._keys_array(keys, "insert")
        v = self._values_array(values, "values")
        if v.shape != k.shape + self._value_shape:
            raise InvalidArgumentError(
                None,
                f"{self._kind}.insert",
                f"{self._kind}.insert: expected values of shape {k.shape + self._value_shape} "
                f"for keys of shape {k.shape}, received {v.shape}",
            )
        self._check_keys(k, "insert")
        flat_v = v.reshape((k.size,) + self._value_shape)
        for key, value in zip(k.ravel().tolist(), flat_v):
            self._entries[key] = value

    def _remove(self, keys, name=None) -> None:
        """Removes the keys (keys not in the table are ignored)."""
        k = self._keys_array(keys, "remove")
        self._check_keys(k, "remove")
        for key in k.ravel().tolist():
            self._entries.pop(key, None)

    def _lookup(self, keys, dynamic_default_values=None, name=None) -> Tensor:
        """The value of each key, ``default_value`` (or the matching entry of
        ``dynamic_default_values``) where it is missing; shape ``keys.shape + value
        shape``."""
        k = self._keys_array(keys, "lookup")
        flat = k.ravel().tolist()
        out = np.empty((len(flat),) + self._value_shape, dtype=self._default.dtype)
        defaults = None
        if dynamic_default_values is not None:
            defaults = self._values_array(dynamic_default_values, "dynamic_default_values")
            defaults = np.broadcast_to(defaults, k.shape + self._value_shape).reshape(out.shape)
        for i, key in enumerate(flat):
            found = self._entries.get(key)
            if found is not None:
                out[i] = found
            else:
                out[i] = self._default if defaults is None else defaults[i]
        return result(out.reshape(k.shape + self._value_shape))

    def _size(self, name=None) -> Tensor:
        """The number of entries (int64)."""
        return result(np.asarray(len(self._entries), np.int64))

    def _export(self, name=None) -> tuple:
        """``(keys, values)`` tensors of every entry (in insertion order)."""
        keys = list(self._entries)
        key_dtype = object if self._key_dtype == dtypes.string else self._key_dtype.as_numpy_dtype
        k = np.empty(len(keys), dtype=key_dtype)
        k[:] = keys
        v = np.empty((len(keys),) + self._value_shape, dtype=self._default.dtype)
        for i, key in enumerate(keys):
            v[i] = self._entries[key]
        return result(k), result(v)

    def _check_keys(self, keys: np.ndarray, op: str) -> None:
        """DenseHashTable refuses its empty and deleted keys; nothing to check here."""


class DenseHashTable(MutableHashTable):
    """A MutableHashTable whose ``empty_key`` and ``deleted_key`` (TensorFlow's open
    addressing markers) are refused as keys of ``insert`` / ``remove``; with
    ``insert_or_assign`` / ``erase`` as other names of ``insert`` / ``remove``."""

    _kind = "DenseHashTable"

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        empty_key,
        deleted_key,
        initial_num_buckets=None,
        name="MutableDenseHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ) -> None:
        super().__init__(key_dtype, value_dtype, default_value, name, checkpoint)
        self._empty = self._keys_array(empty_key, "empty_key").reshape(-1).tolist()
        self._deleted = self._keys_array(deleted_key, "deleted_key").reshape(-1).tolist()
        if self._empty == self._deleted:
            raise ValueError(
                f"DenseHashTable: empty_key and deleted_key must differ, both are {self._empty}"
            )
        self.insert_or_assign = self.insert
        self.erase = self.remove

    def _check_keys(self, keys: np.ndarray, op: str) -> None:
        for key in keys.ravel().tolist():
            if [key] == self._empty or [key] == self._deleted:
                which = "empty_key" if [key] == self._empty else "deleted_key"
                raise InvalidArgumentError(
                    None,
                    f"DenseHashTable.{op}",
                    f"DenseHashTable.{op}: Using the {which} as a table key is not allowed "
                    f"({key!r})",
                )
