"""Parsing ``tf.train.Example`` / ``SequenceExample`` records into tensors: the feature
configurations (``FixedLenFeature``, ``VarLenFeature``, ``FixedLenSequenceFeature``,
``RaggedFeature``) and ``tf.io.parse_single_example``, ``parse_example``,
``parse_single_sequence_example``, ``parse_sequence_example``.

Records are decoded with the protobuf classes of :mod:`gpuflow.io.protos`. Results follow
TensorFlow: a FixedLenFeature gives a dense tensor of its shape (a batch dimension first in
``parse_example``), a VarLenFeature a ``SparseTensor``, a FixedLenSequenceFeature a dense
tensor padded along its sequence axis, a RaggedFeature a ``RaggedTensor`` (a dense vector
for one Example). Strings stay on the host; numbers go to the current device.

Inside ``gpuflow.function`` a parse is one host step, run again on each call's records; a
parse whose result holds a SparseTensor or RaggedTensor cannot be replayed and raises
``NotSupportedInGraphError`` there (call it eagerly, or in ``Dataset.map``, which runs
functions eagerly).
"""

from __future__ import annotations

import collections
import functools

import numpy as np

from .. import dtypes
from .._string_arrays import OBJECT, bytes_array
from .._tracing import host_call, tracing
from ..backend import current_device, get_device
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from . import sparse_feature

_KIND = {"string": "bytes_list", "int64": "int64_list", "float32": "float_list"}
_TYPE_NAME = {"bytes_list": "string", "int64_list": "int64", "float_list": "float"}
_NP = {"string": OBJECT, "int64": np.dtype(np.int64), "float32": np.dtype(np.float32)}


# -- feature configurations ----------------------------------------------------------------
class FixedLenFeature(
    collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])
):
    """A feature of a fixed number of values, parsed into a dense tensor of ``shape``.

    Args:
        shape: the shape of the feature in one Example (its values fill it in row-major
            order).
        dtype: ``tf.string``, ``tf.int64`` or ``tf.float32``.
        default_value: used when an Example lacks the feature (reshaped to ``shape``);
            None makes the feature required.
    """

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any number of values, parsed into a ``SparseTensor``."""


class FixedLenSequenceFeature(
    collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"]
    )
):
    """A feature holding a sequence of items of ``shape`` each, parsed into a dense tensor
    ``[length, *shape]`` (in ``parse_example`` and ``parse_sequence_example`` padded to the
    longest with ``default_value``, or zeros / empty strings).

    Args:
        shape: the shape of one item.
        dtype: ``tf.string``, ``tf.int64`` or ``tf.float32``.
        allow_missing: whether a missing feature gives an empty sequence (required True in
            ``parse_example``).
        default_value: the padding value (a scalar).
    """

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class RaggedFeature(
    collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"]
    )
):
    """A feature parsed into a ``RaggedTensor`` (one Example: a dense vector).

    Args:
        dtype: ``tf.string``, ``tf.int64`` or ``tf.float32``.
        value_key: the feature's key in the Example (None: the key of the dict entry).
        partitions: row partitions (``RaggedFeature.RowSplits(key)``, ``RowLengths``,
            ``RowStarts``, ``RowLimits``, ``ValueRowIds``, ``UniformRowLength(length)``),
            outermost first, read from the int64 features they name.
        row_splits_dtype: ``tf.int32`` (TensorFlow's default) or ``tf.int64``; gpuflow's
            RaggedTensors keep int64 row splits in either case.
        validate: accepted for TensorFlow's signature.
    """

    RowSplits = collections.namedtuple("RowSplits", ["key"])
    RowLengths = collections.namedtuple("RowLengths", ["key"])
    RowStarts = collections.namedtuple("RowStarts", ["key"])
    RowLimits = collections.namedtuple("RowLimits", ["key"])
    ValueRowIds = collections.namedtuple("ValueRowIds", ["key"])
    UniformRowLength = collections.namedtuple("UniformRowLength", ["length"])

    def __new__(
        cls, dtype, value_key=None, partitions=(), row_splits_dtype=dtypes.int32, validate=False
    ):
        return super().__new__(cls, dtype, value_key, tuple(partitions), row_splits_dtype, validate)


_FEATURE_TYPES = (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature, RaggedFeature)


# -- checking a configuration -----------------------------------------------------------------
def _invalid(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{op}: {message}")


def _dtype_name(dtype, op: str, key) -> str:
    try:
        name = dtypes.as_dtype(dtype, op).name
    except (TypeError, ValueError):
        name = repr(dtype)
    if name not in _KIND:
        raise _invalid(
            op,
            f"feature {key!r} has dtype {name}; Example features are one of float32, int64, string",
        )
    return name


def _shape(shape, op: str, key) -> tuple:
    if shape is None:
        raise ValueError(f"{op}: feature {key!r} needs a fully defined shape, received None")
    dims = tuple(shape.as_list() if hasattr(shape, "as_list") else shape)
    if any(d is None or int(d) < 0 for d in dims):
        raise ValueError(f"{op}: feature {key!r} needs a fully defined shape, received {dims}")
    return tuple(int(d) for d in dims)


class _Config:
    """One entry of the features dict, checked: kind, dtype name, shape, default."""

    __slots__ = (
        "key",
        "feature",
        "kind",
        "dtype",
        "shape",
        "size",
        "default",
        "value_key",
        "partitions",
    )

    def __init__(self, key, feature, op: str, sequence: bool = False) -> None:
        if not isinstance(feature, _FEATURE_TYPES):
            raise ValueError(
                f"{op}: feature {key!r} must be a FixedLenFeature, VarLenFeature, "
                f"FixedLenSequenceFeature or RaggedFeature, received {type(feature).__name__}"
            )
        self.key = key
        self.feature = feature
        self.kind = type(feature).__name__
        self.dtype = _dtype_name(feature.dtype, op, key)
        self.shape = None
        self.size = None
        self.default = None
        self.value_key = key
        self.partitions = ()
        if isinstance(feature, (FixedLenFeature, FixedLenSequenceFeature)):
            self.shape = _shape(feature.shape, op, key)
            self.size = int(np.prod(self.shape, dtype=np.int64))
            if feature.default_value is not None:
                self.default = _default(feature.default_value, self.dtype, op, key)
                if isinstance(feature, FixedLenFeature):
                    try:
                        self.default = self.default.reshape(self.shape)
                    except ValueError:
                        raise ValueError(
                            f"{op}: the default_value of feature {key!r} has "
                            f"{self.default.size} values; its shape {list(self.shape)} needs "
                            f"{self.size}"
                        ) from None
                elif self.default.size != 1:
                    raise ValueError(
                        f"{op}: the default_value of FixedLenSequenceFeature {key!r} pads the "
                        f"sequence and must be a scalar, received {self.default.size} values"
                    )
        if isinstance(feature, RaggedFeature):
            self.value_key = key if feature.value_key is None else feature.value_key
            self.partitions = tuple(feature.partitions)
            for part in self.partitions:
                if type(part).__name__ not in _PARTITIONS:
                    raise TypeError(
                        f"{op}: RaggedFeature {key!r}: a partition must be one of RaggedFeature."
                        f"{', RaggedFeature.'.join(_PARTITIONS)}, received {part!r}"
                    )
            if self.partitions and sequence:
                raise NotImplementedError(
                    f"{op}: RaggedFeature {key!r} with partitions in a SequenceExample is "
                    "not supported by gpuflow"
                )
        if isinstance(feature, FixedLenSequenceFeature) and not sequence:
            if not feature.allow_missing:
                raise ValueError(
                    f"{op}: Unsupported: FixedLenSequenceFeature requires allow_missing to be "
                    f"True (feature {key!r})."
                )


def _default(value, dtype: str, op: str, key) -> np.ndarray:
    if isinstance(value, Tensor):
        value = value._data if value._data.dtype is OBJECT else value.numpy()
    if dtype == "string":
        if isinstance(value, np.ndarray) and value.dtype is OBJECT:
            return value
        return bytes_array(value, f"{op}: default_value of {key!r}")
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{op}: the default_value of {dtype} feature {key!r} must be numbers, "
            f"received {value!r}"
        )
    return array.astype(_NP[dtype])


def _configs(features, op: str, sequence: bool = False) -> list:
    if features is None:
        return []
    if not isinstance(features, dict):
        raise TypeError(
            f"{op}: features must be a dict of feature configurations, received "
            f"{type(features).__name__}"
        )
    configs = [_Config(key, features[key], op, sequence) for key in features]
    _check_ragged_keys_apart(configs, op)
    # TensorFlow's result dicts list the sparse (VarLen) features, then the dense ones, then the
    # ragged ones, each group by sorted key: parse in that order so the dicts match
    return sorted(configs, key=lambda c: (_RESULT_GROUP.get(c.kind, 3), str(c.key)))


def _check_ragged_keys_apart(configs: list, op: str) -> None:
    """A RaggedFeature's value and partition keys are its own: TensorFlow refuses a key that
    a dense (FixedLen) or sparse (VarLen) feature also reads."""
    ragged = set()
    for c in configs:
        if c.kind == "RaggedFeature":
            ragged.add(c.value_key)
            ragged.update(p.key for p in c.partitions if hasattr(p, "key"))
    for words, kinds in (
        ("sparse", ("VarLenFeature",)),
        ("dense", ("FixedLenFeature", "FixedLenSequenceFeature")),
    ):
        shared = ragged & {c.key for c in configs if c.kind in kinds}
        if shared:
            raise ValueError(
                f"{op}: Ragged and {words} keys must not intersect; the RaggedFeature "
                f"value/partition keys {sorted(ragged)} share {sorted(shared)} with "
                f"{' or '.join(kinds)} features"
            )


_RESULT_GROUP = {
    "VarLenFeature": 0,
    "FixedLenFeature": 1,
    "FixedLenSequenceFeature": 1,
    "RaggedFeature": 2,
}


# -- reading the records ---------------------------------------------------------------------
def _serialized(value, op: str) -> np.ndarray:
    """``serialized`` as an object array of bytes (any shape; the caller checks rank)."""
    if isinstance(value, Tensor):
        if value._data.dtype is not OBJECT:
            # TensorFlow converts ``serialized`` to tf.string first: a ValueError
            raise ValueError(
                f"{op}: Tensor conversion requested dtype string for Tensor with dtype "
                f"{value.dtype.name} (serialized must be a string tensor)"
            )
        return value._data
    if isinstance(value, (bytes, np.bytes_)):
        out = np.empty((), OBJECT)
        out[()] = bytes(value)
        return out
    try:
        return bytes_array(value, op)
    except (TypeError, ValueError) as exc:
        raise _invalid(op, f"serialized must be strings, received {type(value).__name__} ({exc})")


def _decode(kind: str, record: bytes, op: str, name: str):
    """``record`` as a message of class ``kind`` ("Example" or "SequenceExample"); protobuf
    is imported on the first parse, not with gpuflow.io."""
    from . import protos

    cls = getattr(protos, kind)
    try:
        return cls.FromString(record)
    except Exception:  # noqa: BLE001 (protobuf's DecodeError, or a type error for non-bytes)
        shown = record[:40]
        raise _invalid(
            op, f"Could not parse {name} as a {cls.__name__} (serialized: {shown!r}...)"
        ) from None


def _values(feature, config: _Config, op: str, where: str) -> list:
    """The values list of one Feature message, its kind checked against the config."""
    kind = feature.WhichOneof("kind")
    if kind is None:
        return []
    if kind != _KIND[config.dtype]:
        raise _invalid(
            op,
            f"{where}Key: {config.key}.  Data types don't match. Data type: "
            f"{_TYPE_NAME[kind]} but expected type: {_TYPE_NAME[_KIND[config.dtype]]}",
        )
    return getattr(feature, kind).value


def _array(values, dtype: str) -> np.ndarray:
    if dtype == "string":
        out = np.empty(len(values), OBJECT)
        out[:] = list(values)
        return out
    return np.asarray(values, dtype=_NP[dtype]).reshape(len(values))


def _feature_map(features_message) -> dict:
    return features_message.feature


def _fixed_values(fmap, config: _Config, op: str, where: str):
    """The values of a FixedLenFeature of one Example (a protobuf list or the default's
    flat list), their count checked."""
    feature = fmap.get(config.key)
    if feature is None:
        if config.default is None:
            raise _invalid(
                op,
                f"{where}Feature: {config.key} (data type: "
                f"{_TYPE_NAME[_KIND[config.dtype]]}) is required but could not be found.",
            )
        return config.default.reshape(-1).tolist()
    values = _values(feature, config, op, where)
    if len(values) != config.size:
        raise _invalid(
            op,
            f"{where}Key: {config.key}.  Number of {config.dtype} values != expected.  Values "
            f"size: {len(values)} but output shape: {list(config.shape)}",
        )
    return values


def _fixed(fmap, config: _Config, op: str, where: str) -> np.ndarray:
    return _array(_fixed_values(fmap, config, op, where), config.dtype).reshape(config.shape)


def _sequence_items(fmap, config: _Config, op: str, where: str) -> np.ndarray:
    """A FixedLenSequenceFeature of an Example: ``[n, *shape]`` from one values list."""
    feature = fmap.get(config.key)
    values = [] if feature is None else _values(feature, config, op, where)
    item = config.size
    if item == 0 or len(values) % item:
        if not (item == 0 and not values):
            raise _invalid(
                op,
                f"{where}Key: {config.key}.  Number of {config.dtype} values is not a "
                f"multiple of the item size {item} (shape {list(config.shape)}): "
                f"{len(values)} values",
            )
    count = len(values) // item if item else 0
    return _array(values, config.dtype).reshape((count,) + config.shape)


def _var(fmap, key: str, config: _Config, op: str, where: str) -> np.ndarray:
    feature = fmap.get(key)
    return _array([] if feature is None else _values(feature, config, op, where), config.dtype)


# -- building the results ----------------------------------------------------------------------
def _tensor(array: np.ndarray) -> Tensor:
    if array.dtype is OBJECT:
        return Tensor._wrap(array, get_device("cpu"))
    device = current_device()
    return Tensor._wrap(device.asarray(np.asarray(array, order="C")), device)


def _sparse(indices: np.ndarray, values: np.ndarray, shape):
    from ..sparse.sparse_tensor import SparseTensor

    values_tensor = _tensor(values)
    device = values_tensor._device
    index_array = device.asarray(indices.astype(np.int64).reshape(-1, len(shape)))
    return SparseTensor._trusted(index_array, values_tensor, shape)


_PARTITIONS = {
    "RowSplits": "from_row_splits",
    "RowLengths": "from_row_lengths",
    "RowStarts": "from_row_starts",
    "RowLimits": "from_row_limits",
    "ValueRowIds": "from_value_rowids",
    "UniformRowLength": "from_uniform_row_length",
}


def _partitioned(values: np.ndarray, fmap, config: _Config, op: str, where: str):
    """One Example's RaggedFeature: its values cut by the partitions, innermost first (the
    last partition splits the values, the first gives the outermost rows), each read from
    the int64 feature it names (as TensorFlow's RaggedFeature)."""
    from ..ops.shape import reshape
    from ..ragged.ragged_tensor import RaggedTensor

    result = _tensor(values)
    kinds = {type(part).__name__ for part in config.partitions}
    if kinds == {"UniformRowLength"}:  # as TensorFlow: a reshape, a dense tensor
        try:
            return reshape(result, [-1] + [int(p.length) for p in config.partitions])
        except ValueError as exc:
            raise _invalid(
                op, f"{where}RaggedFeature {config.key!r}: the values do not fit ({exc})"
            ) from None
    for part in reversed(config.partitions):
        kind = type(part).__name__
        if kind == "UniformRowLength":
            length = int(part.length)
            rows = result.nrows_int() if isinstance(result, RaggedTensor) else result.shape[0]
            if length and rows % length:  # as TensorFlow: a last, partial row is dropped
                result = result[: rows - rows % length]
            result = RaggedTensor.from_uniform_row_length(result, length)
            continue
        feature = fmap.get(part.key)
        ints = [] if feature is None else feature.int64_list.value
        if feature is not None and feature.WhichOneof("kind") not in (None, "int64_list"):
            raise _invalid(
                op, f"{where}Key: {part.key}.  Data types don't match: a partition is int64"
            )
        build = getattr(RaggedTensor, _PARTITIONS[kind])
        try:
            result = build(result, np.asarray(ints, np.int64))
        except (ValueError, TypeError) as exc:
            raise _invalid(
                op, f"{where}RaggedFeature {config.key!r}: partition {part!r} does not fit ({exc})"
            ) from None
    return result


def _ragged(rows: list, dtype: str):
    from ..ragged.ragged_tensor import RaggedTensor

    values = _array([v for row in rows for v in row], dtype)
    lengths = np.asarray([len(row) for row in rows], dtype=np.int64)
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return RaggedTensor.from_row_splits(_tensor(values), splits, validate=False)


def _padded(items: list, config: _Config) -> np.ndarray:
    """``[B, max_n, *shape]`` from per-row ``[n_i, *shape]`` arrays, padded."""
    longest = max((len(a) for a in items), default=0)
    out_shape = (len(items), longest) + config.shape
    if config.default is not None:
        out = np.full(out_shape, config.default.reshape(()).item(), dtype=_NP[config.dtype])
    elif config.dtype == "string":
        out = np.full(out_shape, b"", dtype=OBJECT)
    else:
        out = np.zeros(out_shape, dtype=_NP[config.dtype])
    for row, array in enumerate(items):
        out[row, : len(array)] = array
    return out


def _sparse_rows(rows: list, dtype: str):
    """A SparseTensor ``[B, max_n]`` of per-row value vectors."""
    values = _array([v for row in rows for v in row], dtype)
    batch = np.repeat(np.arange(len(rows), dtype=np.int64), [len(r) for r in rows])
    position = np.concatenate([np.arange(len(r), dtype=np.int64) for r in rows] or [[]])
    indices = np.stack([batch, position.astype(np.int64)], axis=1)
    return _sparse(indices, values, (len(rows), max((len(r) for r in rows), default=0)))


def _batch_results(messages: list, configs: list, op: str, names) -> dict:
    """The features of a batch of Features messages (``parse_example``'s layout)."""
    out = {}
    maps = [_feature_map(m) for m in messages]
    wheres = [_where(names, i) for i in range(len(maps))]
    for config in configs:
        if config.kind == "FixedLenFeature":
            flat: list = []  # every record's values in one list: one conversion per batch
            for m, w in zip(maps, wheres):
                flat.extend(_fixed_values(m, config, op, w))
            array = _array(flat, config.dtype).reshape((len(maps),) + config.shape)
            out[config.key] = _tensor(array)
        elif config.kind == "FixedLenSequenceFeature":
            items = [_sequence_items(m, config, op, w) for m, w in zip(maps, wheres)]
            out[config.key] = _tensor(_padded(items, config))
        elif config.kind == "VarLenFeature":
            rows = [_var(m, config.key, config, op, w) for m, w in zip(maps, wheres)]
            out[config.key] = _sparse_rows(rows, config.dtype)
        elif config.partitions:  # RaggedFeature with row partitions: one row per record
            from ..ragged.join import ragged_stack

            parts = [
                _partitioned(_var(m, config.value_key, config, op, w), m, config, op, w)
                for m, w in zip(maps, wheres)
            ]
            out[config.key] = ragged_stack(parts)
        else:  # RaggedFeature
            rows = [_var(m, config.value_key, config, op, w) for m, w in zip(maps, wheres)]
            out[config.key] = _ragged(rows, config.dtype)
    return out


def _single_results(fmap, configs: list, op: str, where: str) -> dict:
    out = {}
    for config in configs:
        if config.kind == "FixedLenFeature":
            out[config.key] = _tensor(_fixed(fmap, config, op, where))
        elif config.kind == "FixedLenSequenceFeature":
            out[config.key] = _tensor(_sequence_items(fmap, config, op, where))
        elif config.kind == "VarLenFeature":
            values = _var(fmap, config.key, config, op, where)
            indices = np.arange(len(values), dtype=np.int64).reshape(-1, 1)
            out[config.key] = _sparse(indices, values, (len(values),))
        else:
            values = _var(fmap, config.value_key, config, op, where)
            out[config.key] = (
                _partitioned(values, fmap, config, op, where)
                if config.partitions
                else _tensor(values)
            )
    return out


class _Where:
    """Where a batch record is, for error messages: formatted only when a message is made."""

    __slots__ = ("names", "index")

    def __init__(self, names, index: int) -> None:
        self.names = names
        self.index = index

    def __format__(self, spec: str) -> str:
        name = "<unknown>" if self.names is None else self.names[self.index]
        return f"Name: {name}, Index: {self.index}.  "


def _where(names, index: int) -> _Where:
    return _Where(names, index)


def _names(example_names, count: int, op: str):
    if example_names is None:
        return None
    array = _serialized(example_names, op).reshape(-1)
    if array.size != count:
        raise _invalid(
            op,
            f"example_names must have one name per record: {count} records, {array.size} names",
        )
    return [n.decode("utf-8", "replace") for n in array.tolist()]


# -- the ops -----------------------------------------------------------------------------------
def _parse_example(serialized, features, example_names, op: str) -> dict:
    if isinstance(features, dict) and any(
        isinstance(f, sparse_feature.SparseFeature) for f in features.values()
    ):
        plain, var_len, sparse = sparse_feature.split(features, op)
        for key, dtype in var_len.items():
            if not isinstance(plain.get(key), VarLenFeature):
                plain[key] = VarLenFeature(dtype)
        parsed = _parse_example(serialized, plain, example_names, op)
        return sparse_feature.merge(parsed, sparse, features, _sparse, op)
    configs = _configs(features, op)
    records = _serialized(serialized, op)
    if records.ndim > 1:
        raise _invalid(
            op, f"Expected serialized to be a scalar or vector, got shape: {list(records.shape)}"
        )
    if records.ndim == 0:
        message = _decode("Example", records[()], op, "serialized")
        where = "" if example_names is None else f"Name: {_scalar_name(example_names)}, "
        return _single_results(_feature_map(message.features), configs, op, where)
    flat = records.tolist()
    names = _names(example_names, len(flat), op)
    messages = [_decode("Example", r, op, f"serialized[{i}]").features for i, r in enumerate(flat)]
    return _batch_results(messages, configs, op, names)


def _scalar_name(value) -> str:
    array = _serialized(value, "parse_single_example")
    return array.reshape(-1)[0].decode("utf-8", "replace") if array.size else ""


def _parse_single(serialized, features, example_names=None, name=None) -> dict:
    op = "parse_single_example"
    records = _serialized(serialized, op)
    if records.ndim != 0:
        raise _invalid(
            op, f"serialized must be a scalar string (one record), got shape {list(records.shape)}"
        )
    return _parse_example(records, features, example_names, op)


def _parse_batch(serialized, features, example_names=None, name=None) -> dict:
    return _parse_example(serialized, features, example_names, "parse_example")


def _check_sequence_configs(context_features, sequence_features, op: str):
    context = _configs(context_features, op)
    for config in context:
        if config.kind == "FixedLenSequenceFeature":
            raise ValueError(
                f"{op}: context feature {config.key!r} is a FixedLenSequenceFeature; context "
                "features are FixedLenFeature, VarLenFeature or RaggedFeature"
            )
    sequence = _configs(sequence_features, op, sequence=True)
    for config in sequence:
        if config.kind == "FixedLenFeature":
            raise ValueError(
                f"{op}: sequence feature {config.key!r} is a FixedLenFeature; sequence "
                "features are FixedLenSequenceFeature, VarLenFeature or RaggedFeature"
            )
        if config.kind == "FixedLenSequenceFeature" and config.default is not None:
            raise ValueError(
                f"{op}: Value feature_list.dense_defaults[{config.key}] must be None: a "
                "FixedLenSequenceFeature of a SequenceExample has no default_value"
            )
    return context, sequence


def _feature_list(lists, config: _Config, op: str, where: str):
    """The Feature messages of one FeatureList, or None when the list is missing."""
    key = config.value_key
    if key not in lists:
        return None
    return lists[key].feature


def _sequence_dense(features, config: _Config, op: str, where: str) -> np.ndarray:
    """``[T, *shape]`` of a FixedLenSequenceFeature from its FeatureList."""
    if features is None:
        if not config.feature.allow_missing:
            raise _invalid(
                op,
                f"{where}Feature list: {config.key} is required but could not be found "
                "(give its FixedLenSequenceFeature allow_missing=True to parse it as empty).",
            )
        return _array([], config.dtype).reshape((0,) + config.shape)
    need = config.size
    rows = []
    for t, feature in enumerate(features):
        values = _values(feature, config, op, where)
        if len(values) != need:
            raise _invalid(
                op,
                f"{where}Key: {config.key}, Index: {t}.  Number of {config.dtype} values != "
                f"expected.  values size: {len(values)} but output shape: {list(config.shape)}",
            )
        rows.append(_array(values, config.dtype).reshape(config.shape))
    if not rows:
        return _array([], config.dtype).reshape((0,) + config.shape)
    return np.stack(rows)


def _sequence_rows(features, config: _Config, op: str, where: str) -> list:
    if features is None:
        return []
    return [_array(_values(f, config, op, where), config.dtype) for f in features]


def _parse_single_sequence(
    serialized, context_features=None, sequence_features=None, example_name=None, name=None
):
    op = "parse_single_sequence_example"
    context, sequence = _check_sequence_configs(context_features, sequence_features, op)
    records = _serialized(serialized, op)
    if records.ndim != 0:
        raise _invalid(
            op, f"serialized must be a scalar string (one record), got shape {list(records.shape)}"
        )
    message = _decode("SequenceExample", records[()], op, "serialized")
    where = "" if example_name is None else f"Name: {_scalar_name(example_name)}, "
    context_out = _single_results(_feature_map(message.context), context, op, where)
    lists = message.feature_lists.feature_list
    sequence_out = {}
    for config in sequence:
        features = _feature_list(lists, config, op, where)
        if config.kind == "FixedLenSequenceFeature":
            sequence_out[config.key] = _tensor(_sequence_dense(features, config, op, where))
        elif config.kind == "VarLenFeature":
            sequence_out[config.key] = _sparse_rows(
                _sequence_rows(features, config, op, where), config.dtype
            )
        else:
            sequence_out[config.key] = _ragged(
                _sequence_rows(features, config, op, where), config.dtype
            )
    return context_out, sequence_out


def _parse_sequence_batch(
    serialized, context_features=None, sequence_features=None, example_names=None, name=None
):
    op = "parse_sequence_example"
    context, sequence = _check_sequence_configs(context_features, sequence_features, op)
    records = _serialized(serialized, op)
    if records.ndim != 1:
        raise _invalid(
            op, f"serialized must be a vector of records, got shape {list(records.shape)}"
        )
    flat = records.tolist()
    names = _names(example_names, len(flat), op)
    messages = [_decode("SequenceExample", r, op, f"serialized[{i}]") for i, r in enumerate(flat)]
    context_out = _batch_results([m.context for m in messages], context, op, names)
    sequence_out, lengths = {}, {}
    for config in sequence:
        per = []
        for i, m in enumerate(messages):
            where = _where(names, i)
            features = _feature_list(m.feature_lists.feature_list, config, op, where)
            if config.kind == "FixedLenSequenceFeature":
                per.append(_sequence_dense(features, config, op, where))
            else:
                per.append(_sequence_rows(features, config, op, where))
        if config.kind == "FixedLenSequenceFeature":
            sequence_out[config.key] = _tensor(_padded(per, config))
            lengths[config.key] = _tensor(np.asarray([len(p) for p in per], dtype=np.int64))
        elif config.kind == "VarLenFeature":
            sequence_out[config.key] = _sparse_batch_of_rows(per, config.dtype)
        else:
            sequence_out[config.key] = _ragged_2(per, config.dtype)
    return context_out, sequence_out, lengths


def _sparse_batch_of_rows(per: list, dtype: str):
    """A SparseTensor ``[B, max_T, max_n]`` of per-example lists of value vectors."""
    indices, values = [], []
    longest_t = max((len(rows) for rows in per), default=0)
    longest_n = 0
    for b, rows in enumerate(per):
        for t, row in enumerate(rows):
            longest_n = max(longest_n, len(row))
            for i in range(len(row)):
                indices.append((b, t, i))
            values.extend(row.tolist())
    index_array = np.asarray(indices, dtype=np.int64).reshape(-1, 3)
    return _sparse(index_array, _array(values, dtype), (len(per), longest_t, longest_n))


def _ragged_2(per: list, dtype: str):
    """A RaggedTensor ``[B, None, None]`` of per-example lists of value vectors."""
    from ..ragged.ragged_tensor import RaggedTensor

    inner = _ragged([row for rows in per for row in rows], dtype)
    outer = np.concatenate([[0], np.cumsum([len(rows) for rows in per])]).astype(np.int64)
    return RaggedTensor.from_row_splits(inner, outer, validate=False)


# -- inside gpuflow.function ---------------------------------------------------------------------
def _composite(structure) -> bool:
    from .. import nest

    return any(getattr(leaf, "_is_composite_tensor", False) for leaf in nest.flatten(structure))


def _traceable(fn, name: str):
    host = host_call(fn, effect=False)

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if tracing.trace is None:
            return fn(*args, **kwargs)
        out = host(*args, **kwargs)
        if _composite(out):
            from ..graph.trace import NotSupportedInGraphError

            raise NotSupportedInGraphError(
                f"{name}: a parse that gives a SparseTensor or RaggedTensor (VarLenFeature, "
                "RaggedFeature) cannot be replayed inside gpuflow.function yet; call it "
                "eagerly or in Dataset.map, or parse with FixedLenFeature / "
                "FixedLenSequenceFeature"
            )
        return out

    return op


parse_single_example = _traceable(_parse_single, "parse_single_example")
parse_single_example.__name__ = parse_single_example.__qualname__ = "parse_single_example"
parse_single_example.__doc__ = """Parses one serialized ``tf.train.Example`` (a scalar string)
into a dict of tensors, one per entry of ``features`` (a dict of FixedLenFeature,
VarLenFeature, FixedLenSequenceFeature (allow_missing=True) or RaggedFeature).

Raises:
    InvalidArgumentError: for a record that is not an Example, a required feature that is
        missing, a feature of another dtype or a FixedLenFeature with the wrong number of
        values (naming the key).
"""
parse_example = _traceable(_parse_batch, "parse_example")
parse_example.__name__ = parse_example.__qualname__ = "parse_example"
parse_example.__doc__ = """Parses a vector of serialized ``tf.train.Example`` records into a
dict of batched tensors: FixedLenFeature ``[B, *shape]``, VarLenFeature a SparseTensor
``[B, max_n]``, FixedLenSequenceFeature ``[B, max_n, *shape]`` (padded), RaggedFeature a
RaggedTensor ``[B, None]``. A scalar ``serialized`` parses as parse_single_example does.
"""
parse_single_sequence_example = _traceable(_parse_single_sequence, "parse_single_sequence_example")
parse_single_sequence_example.__name__ = "parse_single_sequence_example"
parse_single_sequence_example.__qualname__ = "parse_single_sequence_example"
parse_single_sequence_example.__doc__ = """Parses one serialized ``tf.train.SequenceExample``
into ``(context, feature_lists)`` dicts: context features as in parse_single_example,
sequence features FixedLenSequenceFeature ``[T, *shape]``, VarLenFeature a SparseTensor
``[T, max_n]``, RaggedFeature a RaggedTensor ``[T, None]``.
"""
parse_sequence_example = _traceable(_parse_sequence_batch, "parse_sequence_example")
parse_sequence_example.__name__ = parse_sequence_example.__qualname__ = "parse_sequence_example"
parse_sequence_example.__doc__ = """Parses a vector of serialized ``tf.train.SequenceExample``
records into ``(context, feature_lists, feature_list_lengths)``: batched context features,
sequence features padded to ``[B, max_T, ...]`` (VarLenFeature: SparseTensor
``[B, max_T, max_n]``, RaggedFeature: RaggedTensor ``[B, None, None]``) and, for
FixedLenSequenceFeature, each example's sequence length ``[B]``.
"""
