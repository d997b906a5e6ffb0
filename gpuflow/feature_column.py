"""``tf.feature_column``: the column descriptions TF 2.21 still ships (deprecated there in
favour of Keras preprocessing layers): numeric, bucketized, vocabulary-list, hashed and
identity categorical columns, and indicator, embedding and crossed columns over them, with
TF's reprs, validation errors, ``name``,
``num_buckets`` and ``parse_example_spec``, and :func:`make_parse_example_spec` (the
features to give ``tf.io.parse_example``).

TF 2.21's Keras 3 has no layer that consumes feature columns (``DenseFeatures`` is gone with
Keras 2, and Estimators with TF 2.16): these are the descriptions and their parsing specs.
"""

from __future__ import annotations

import collections
import math

import numpy as np

from . import dtypes
from .io import FixedLenFeature, VarLenFeature

_NUMERIC = ("key", "shape", "default_value", "dtype", "normalizer_fn")


class NumericColumn(collections.namedtuple("NumericColumn", _NUMERIC)):
    """A dense numeric feature of a fixed ``shape`` (``numeric_column``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key

    @property
    def parse_example_spec(self) -> dict:
        return {self.key: FixedLenFeature(self.shape, self.dtype, self.default_value)}


class BucketizedColumn(collections.namedtuple("BucketizedColumn", ("source_column", "boundaries"))):
    """A numeric column cut into ranges at ``boundaries`` (``bucketized_column``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return f"{self.source_column.name}_bucketized"

    @property
    def num_buckets(self) -> int:
        return (len(self.boundaries) + 1) * math.prod(self.source_column.shape)

    @property
    def parse_example_spec(self) -> dict:
        return self.source_column.parse_example_spec


class VocabularyListCategoricalColumn(
    collections.namedtuple(
        "VocabularyListCategoricalColumn",
        ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"),
    )
):
    """Categories given as a list of values (``categorical_column_with_vocabulary_list``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
        return len(self.vocabulary_list) + self.num_oov_buckets

    @property
    def parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(self.dtype)}


class HashedCategoricalColumn(
    collections.namedtuple("HashedCategoricalColumn", ("key", "hash_bucket_size", "dtype"))
):
    """Categories hashed into ``hash_bucket_size`` buckets
    (``categorical_column_with_hash_bucket``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
        return self.hash_bucket_size

    @property
    def parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(self.dtype)}


class IdentityCategoricalColumn(
    collections.namedtuple("IdentityCategoricalColumn", ("key", "number_buckets", "default_value"))
):
    """Integer ids that are their own category (``categorical_column_with_identity``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
        return self.number_buckets

    @property
    def parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(dtypes.int64)}


class IndicatorColumn(collections.namedtuple("IndicatorColumn", ("categorical_column",))):
    """A categorical column as a multi-hot vector of its buckets (``indicator_column``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_indicator"

    @property
    def variable_shape(self):
        from .tensor_shape import TensorShape

        return TensorShape([1, self.categorical_column.num_buckets])

    @property
    def parse_example_spec(self) -> dict:
        return self.categorical_column.parse_example_spec


_EMBEDDING = (
    "categorical_column",
    "dimension",
    "combiner",
    "initializer",
    "ckpt_to_load_from",
    "tensor_name_in_ckpt",
    "max_norm",
    "trainable",
    "use_safe_embedding_lookup",
)


class EmbeddingColumn(collections.namedtuple("EmbeddingColumn", _EMBEDDING)):
    """A categorical column as a learned ``dimension``-vector (``embedding_column``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_embedding"

    @property
    def variable_shape(self):
        from .tensor_shape import TensorShape

        return TensorShape([self.dimension])

    @property
    def parse_example_spec(self) -> dict:
        return self.categorical_column.parse_example_spec


class CrossedColumn(
    collections.namedtuple("CrossedColumn", ("keys", "hash_bucket_size", "hash_key"))
):
    """The hashed combinations of features (``crossed_column``)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return "_X_".join(sorted(k if isinstance(k, str) else k.name for k in self.keys))

    @property
    def num_buckets(self) -> int:
        return self.hash_bucket_size

    @property
    def parse_example_spec(self) -> dict:
        spec = {}
        for key in self.keys:  # a string key is a string feature, as TF
            spec.update({key: VarLenFeature(dtypes.string)} if isinstance(key, str) else
                        key.parse_example_spec)  # fmt: skip
        return spec


_CATEGORICAL = (
    BucketizedColumn,
    VocabularyListCategoricalColumn,
    HashedCategoricalColumn,
    IdentityCategoricalColumn,
    CrossedColumn,
)


def _dtype_text(dtype) -> str:
    return f"<dtype: '{dtype.name}'>"  # as TF's messages print a DType


def _check_key(key) -> None:
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Got: type {type(key)}. Given key: {key}.")


def _shape(shape, key) -> tuple:
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    for size in shape:
        if not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    return tuple(int(size) for size in shape)


def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32, normalizer_fn=None):
    """A dense numeric feature (``tf.feature_column.numeric_column``)."""
    _check_key(key)
    shape = _shape(shape, key)
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(
            f"dtype must be convertible to float. dtype: {_dtype_text(dtype)}, key: {key}"
        )
    if default_value is not None:
        try:
            values = np.broadcast_to(np.asarray(default_value, dtype.as_numpy_dtype), shape)
        except (TypeError, ValueError):
            raise TypeError(
                f"default_value must be compatible with dtype. default_value: {default_value}, "
                f"dtype: {_dtype_text(dtype)}, key: {key}"
            ) from None
        default_value = _nested_tuple(values)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


def _nested_tuple(values: np.ndarray):
    if values.ndim == 0:
        return values.item()
    return tuple(_nested_tuple(v) for v in values)


def bucketized_column(source_column, boundaries):
    """``source_column`` (a numeric column) cut at the sorted ``boundaries``."""
    if not isinstance(source_column, NumericColumn):
        raise ValueError(
            "source_column must be a column generated with numeric_column(). "
            f"Given: {source_column}"
        )
    if len(source_column.shape) > 1:
        raise ValueError(f"source_column must be one-dimensional column. Given: {source_column}")
    if not boundaries:
        raise ValueError(f"boundaries must not be empty. Given: {boundaries}")
    if not isinstance(boundaries, (list, tuple)) or any(
        b >= c for b, c in zip(boundaries, boundaries[1:])
    ):
        raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(boundaries))


def _categorical_dtype(dtype, key, default=None):
    dtype = dtypes.as_dtype(dtype) if dtype is not None else default
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError(
            f"column_name: {key} dtype must be string or integer. dtype: {_dtype_text(dtype)}."
        )
    return dtype


def categorical_column_with_vocabulary_list(
    key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0
):
    """Categories given as a list (strings or integers; ``dtype`` follows the values)."""
    _check_key(key)
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    strings = all(isinstance(v, (str, bytes)) for v in vocabulary_list)
    integers = all(isinstance(v, (int, np.integer)) for v in vocabulary_list)
    if not (strings or integers):
        raise ValueError(f"Invalid vocabulary dtype: {vocabulary_list}, column_name: {key}")
    values_dtype = dtypes.string if strings else dtypes.int64
    dtype = _categorical_dtype(dtype, key, values_dtype)
    if (dtype == dtypes.string) != strings:
        raise ValueError(
            f"dtype {_dtype_text(dtype)} and vocabulary dtype {_dtype_text(values_dtype)} "
            f"do not match, column_name: {key}"
        )
    if num_oov_buckets < 0:
        raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets}, column_name: {key}")
    if num_oov_buckets and default_value != -1:
        raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
    return VocabularyListCategoricalColumn(
        key, tuple(vocabulary_list), dtype, default_value, num_oov_buckets
    )


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """Categories hashed into ``hash_bucket_size`` buckets (strings or integers)."""
    _check_key(key)
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(
            f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}"
        )
    return HashedCategoricalColumn(key, hash_bucket_size, _categorical_dtype(dtype, key))


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """Integer ids in ``[0, num_buckets)`` that are their own category."""
    _check_key(key)
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(
            f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}"
        )
    return IdentityCategoricalColumn(key, num_buckets, default_value)


def _check_categorical(column) -> None:
    if not isinstance(column, _CATEGORICAL):
        raise ValueError(
            f"Unsupported input type. Input must be a CategoricalColumn. Given: {column}"
        )


def indicator_column(categorical_column):
    """A multi-hot (one-hot for one value) view of ``categorical_column``."""
    _check_categorical(categorical_column)
    return IndicatorColumn(categorical_column)


def embedding_column(
    categorical_column,
    dimension,
    combiner="mean",
    initializer=None,
    ckpt_to_load_from=None,
    tensor_name_in_ckpt=None,
    max_norm=None,
    trainable=True,
    use_safe_embedding_lookup=True,
):
    """``categorical_column`` as a ``dimension``-vector; as TF, the initializer defaults to a
    truncated normal of standard deviation ``1 / sqrt(dimension)``."""
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError(
            "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them."
        )
    if initializer is not None and not callable(initializer):
        raise ValueError(
            "initializer must be callable if specified. Embedding of column_name: "
            f"{categorical_column.name}"
        )
    if initializer is None:
        from .initializers import TruncatedNormal

        initializer = TruncatedNormal(mean=0.0, stddev=1 / math.sqrt(dimension))
    return EmbeddingColumn(
        categorical_column, dimension, combiner, initializer, ckpt_to_load_from,
        tensor_name_in_ckpt, max_norm, trainable, use_safe_embedding_lookup,
    )  # fmt: skip


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """The crossing of ``keys`` (feature names or categorical columns) hashed into
    ``hash_bucket_size`` buckets."""
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, (str,) + _CATEGORICAL):
            raise ValueError(
                "Unsupported key type. All keys must be either string, or categorical column "
                f"except HashedCategoricalColumn. Given: {key}"
            )
        if isinstance(key, HashedCategoricalColumn):
            raise ValueError(
                "categorical_column_with_hash_bucket is not supported for crossing. Hashing "
                "before crossing will increase probability of collision. Instead, use the "
                f"feature name as a string. Given: {key}"
            )
    return CrossedColumn(tuple(keys), hash_bucket_size, hash_key)


def make_parse_example_spec(feature_columns) -> dict:
    """The ``{key: FixedLenFeature | VarLenFeature}`` dict to parse the columns' features
    (``tf.io.parse_example(serialized, make_parse_example_spec(columns))``)."""
    result = {}
    for column in feature_columns:
        spec = getattr(column, "parse_example_spec", None)
        if spec is None:
            raise ValueError(
                f"All feature_columns must be FeatureColumn instances. Given: {column}"
            )
        for key, feature in spec.items():
            if key in result and result[key] != feature:
                raise ValueError(
                    f"feature_columns contain different parse_spec for key {key}. "
                    f"Given {feature} and {result[key]}"
                )
        result.update(spec)
    return result


__all__ = [
    "bucketized_column",
    "categorical_column_with_hash_bucket",
    "categorical_column_with_identity",
    "categorical_column_with_vocabulary_list",
    "crossed_column",
    "embedding_column",
    "indicator_column",
    "make_parse_example_spec",
    "numeric_column",
]
