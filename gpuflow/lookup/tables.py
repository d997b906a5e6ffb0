"""Lookup tables (``tf.lookup.StaticHashTable``, ``StaticVocabularyTable``): keys to
values on the host, results on the current device (strings stay on the host)."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import tracing
from ..errors import FailedPreconditionError
from ..ragged.ragged_tensor import RaggedTensor
from ..strings._common import result
from ..strings._farmhash import fingerprint64
from ..strings._graph import traceable
from ..tensor import Tensor


class _Index:
    """Positions of keys in a key array: a dict for strings, sorted search for numbers."""

    def __init__(self, keys: np.ndarray, values: np.ndarray, op: str) -> None:
        self._position = {}
        for i, (k, v) in enumerate(zip(keys.tolist(), values.tolist())):
            if k in self._position and values[self._position[k]] != v:
                raise FailedPreconditionError(
                    None, op, f"{op}: the table has different values for the same key {k!r}"
                )
            self._position.setdefault(k, i)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The position of each key, -1 where it is missing."""
        get = self._position.get
        return np.asarray([get(k, -1) for k in keys.ravel().tolist()], np.int64).reshape(keys.shape)


class _Table:
    """What both tables share: dtypes, key checking, ragged inputs, ``size``."""

    _op = "lookup"

    def __init__(self, initializer, name=None) -> None:
        keys, values = initializer._pairs()
        self._keys, self._values = keys, values
        self._key_dtype = initializer.key_dtype
        self._value_dtype = initializer.value_dtype
        self._index = _Index(keys, values, self._op)
        self._name = name

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    @property
    def name(self):
        return self._name

    def _host_keys(self, keys) -> np.ndarray:
        from ..ops.creation import constant

        t = keys if isinstance(keys, Tensor) else constant(keys)
        if t.dtype != self._key_dtype and not (
            self._key_dtype.is_integer and t.dtype.is_integer and self._lookup_casts_ints
        ):
            raise TypeError(
                f"{self._op}: dtype of argument `keys` must be {self._key_dtype.name}, "
                f"received {t.dtype.name}"
            )
        return np.asarray(t.numpy())

    _lookup_casts_ints = False

    def lookup(self, keys, name=None):
        """The value of each key (dense or ragged ``keys``; same structure out); one host
        step inside ``gpuflow.function``."""
        if tracing.trace is not None:
            return traceable(self._lookup, f"{type(self).__name__}.lookup")(keys)
        return self._lookup(keys)

    def _lookup(self, keys):
        if isinstance(keys, RaggedTensor):
            flat = self._lookup_array(self._host_keys(keys.flat_values))
            return keys.with_flat_values(result(flat, host=True))
        return result(self._lookup_array(self._host_keys(keys)))

    __getitem__ = lookup

    def __call__(self, keys, name=None):
        return self.lookup(keys)


class StaticHashTable(_Table):
    """An immutable key-to-value table with a ``default_value`` for missing keys."""

    _op = "StaticHashTable.lookup"

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        super().__init__(initializer, name)
        try:
            default = np.asarray(
                default_value.numpy() if isinstance(default_value, Tensor) else default_value
            )
            if self._value_dtype == dtypes.string:
                from .._string_arrays import to_bytes

                self._default = np.asarray(to_bytes(default.item()), dtype=object)
            else:
                if default.dtype.kind in "USO":
                    raise TypeError(f"a string for a {self._value_dtype.name} table")
                self._default = default.astype(self._value_dtype.as_numpy_dtype)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"StaticHashTable: cannot convert default_value {default_value!r} to dtype "
                f"{self._value_dtype.name} ({exc})"
            ) from None

    @property
    def default_value(self) -> Tensor:
        return result(self._default)

    def size(self, name=None) -> Tensor:
        """The number of keys (int64)."""
        return result(np.asarray(len(self._index._position), np.int64))

    def export(self, name=None):
        """``(keys, values)`` tensors of the table's entries (in the initializer's order;
        TensorFlow gives them in its hash order)."""
        return result(self._keys.copy()), result(self._values.copy())

    def _lookup_array(self, keys: np.ndarray) -> np.ndarray:
        position = self._index.find(keys)
        out = self._values[np.maximum(position, 0)] if len(self._values) else None
        if out is None:
            out = np.empty(keys.shape, self._values.dtype)
        return np.where(position >= 0, out, self._default).astype(self._values.dtype)


class StaticVocabularyTable(_Table):
    """Keys to int64 ids; a key not in the vocabulary goes to one of ``num_oov_buckets``
    buckets after it, by FarmHash64 of the key (of its decimal text for integers), as in
    TensorFlow."""

    _op = "StaticVocabularyTable.lookup"
    _lookup_casts_ints = True

    def __init__(
        self,
        initializer,
        num_oov_buckets,
        lookup_key_dtype=None,
        name=None,
        experimental_is_anonymous=False,
    ):
        if int(num_oov_buckets) <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if initializer.value_dtype != dtypes.int64:
            raise TypeError(
                f"Invalid `value_dtype`, expected int64 but got {initializer.value_dtype.name}."
            )
        super().__init__(initializer, name)
        self._num_oov_buckets = int(num_oov_buckets)
        self._vocab_size = len(self._index._position)

    def size(self, name=None) -> Tensor:
        """Vocabulary size plus the OOV buckets (int64)."""
        return result(np.asarray(self._vocab_size + self._num_oov_buckets, np.int64))

    def _lookup_array(self, keys: np.ndarray) -> np.ndarray:
        position = self._index.find(keys)
        ids = np.where(position >= 0, self._values[np.maximum(position, 0)], 0).astype(np.int64)
        missing = np.nonzero(position.ravel() < 0)[0]
        if missing.size:
            flat_keys = keys.ravel()
            flat_ids = ids.ravel()
            for i in missing.tolist():
                k = flat_keys[i]
                text = k if isinstance(k, bytes) else str(int(k)).encode()
                flat_ids[i] = self._vocab_size + fingerprint64(text) % self._num_oov_buckets
            ids = flat_ids.reshape(keys.shape)
        return ids
