"""``tf.data.experimental.DatasetInitializer``, ``table_from_dataset`` and
``index_table_from_dataset``: lookup tables built from the (key, value) pairs of a
dataset, read once on the host when the initializer is made."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..lookup.initializers import KeyValueTensorInitializer
from ..lookup.tables import StaticHashTable, StaticVocabularyTable


class DatasetInitializer(KeyValueTensorInitializer):
    """A table initializer from a dataset of ``(key, value)`` scalar pairs."""

    def __init__(self, dataset) -> None:
        spec = dataset.element_spec
        if not isinstance(spec, tuple) or len(spec) != 2:
            raise ValueError(
                f"DatasetInitializer: the dataset must produce (key, value) pairs, its "
                f"element_spec is {spec!r}"
            )
        for what, s in zip(("key", "value"), spec):
            if getattr(getattr(s, "shape", None), "rank", None) != 0:
                raise ValueError(
                    f"DatasetInitializer: the dataset's {what}s must be scalars, received {s!r}"
                )
        keys, values = [], []
        for key, value in dataset.as_numpy_iterator():
            keys.append(key)
            values.append(value)
        key_dtype, value_dtype = spec[0].dtype, spec[1].dtype
        super().__init__(
            _column(keys, key_dtype), _column(values, value_dtype), key_dtype, value_dtype
        )
        self.dataset = dataset


def _column(items: list, dtype):
    if dtype == dtypes.string:
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    return np.asarray(items, dtype=dtype.as_numpy_dtype)


def table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=None,
    hasher_spec=None,
    key_dtype=dtypes.string,
    name=None,
):
    """A lookup table of the dataset's ``(key, value)`` pairs: a StaticHashTable giving
    ``default_value`` (-1) for other keys, or with ``num_oov_buckets`` a
    StaticVocabularyTable hashing them into buckets after the vocabulary."""
    op = "tf.data.experimental.table_from_dataset"
    spec = dataset.element_spec
    if not isinstance(spec, tuple) or len(spec) != 2:
        raise ValueError(
            f"{op}: The given dataset must contain pairs, its element_spec is {spec!r}"
        )
    value_dtype = spec[1].dtype
    if default_value is None:
        if not (value_dtype.is_integer or value_dtype.is_floating):
            raise ValueError(
                f"{op}: The `default_value` argument must be specified when creating a table "
                "from a dataset that contains non-numeric values"
            )
        default_value = -1
    if int(num_oov_buckets) < 0:
        raise ValueError(f"{op}: num_oov_buckets must be >= 0, received {num_oov_buckets}")
    if vocab_size is not None and int(vocab_size) < 1:
        raise ValueError(f"{op}: vocab_size must be > 0, received {vocab_size}")
    key_dtype = dtypes.as_dtype(key_dtype, op)
    if not (key_dtype.is_integer or key_dtype == dtypes.string):
        raise TypeError(f"{op}: Invalid `key_dtype`, expected integer or string, got {key_dtype}")
    if vocab_size is not None:
        dataset = dataset.take(int(vocab_size))
    initializer = DatasetInitializer(dataset)
    if int(num_oov_buckets):
        return StaticVocabularyTable(initializer, int(num_oov_buckets))
    return StaticHashTable(initializer, default_value)


def index_table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=-1,
    hasher_spec=None,
    key_dtype=dtypes.string,
    name=None,
):
    """A table from each key of ``dataset`` to its position (int64)."""
    pairs = dataset.enumerate().map(lambda index, key: (key, index))
    return table_from_dataset(
        pairs, num_oov_buckets, vocab_size, default_value, hasher_spec, key_dtype, name
    )
