"""``tf.io.SparseFeature``: a SparseTensor built from an Example's index and value lists.

As TensorFlow's ``parse_example``, a SparseFeature is parsed as VarLen features of its
``index_key`` (int64; one key per dense dimension) and ``value_key``; the index lists give
each value's position in a tensor of ``size`` (after the batch dimension in
``parse_example``), sorted unless ``already_sorted``. Index and value keys not asked for
themselves are left out of the result.
"""

from __future__ import annotations

import collections

import numpy as np

from .. import dtypes


class SparseFeature(
    collections.namedtuple(
        "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"]
    )
):
    """A sparse feature from the index and value lists of an Example.

    Args:
        index_key: the int64 feature (or list of features, one per dimension) holding each
            value's index; index ``i`` of ``index_key[j]`` must be in ``[0, size[j])``.
        value_key: the feature holding the values.
        dtype: the values' dtype (``tf.string``, ``tf.int64`` or ``tf.float32``).
        size: the dense size (a list with one size per index key).
        already_sorted: whether the values are already in index order (sorting skipped).
    """

    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        return super().__new__(cls, index_key, value_key, dtype, size, already_sorted)


def _index_keys(feature) -> list:
    return [feature.index_key] if isinstance(feature.index_key, str) else list(feature.index_key)


def split(features: dict, op: str):
    """``(features without SparseFeatures, {key: dtype} of the VarLen features they read,
    [(key, SparseFeature)])``; ValueError for a missing key or conflicting dtypes."""
    plain, var_len, sparse = {}, {}, []
    for key, feature in features.items():
        if not isinstance(feature, SparseFeature):
            plain[key] = feature
            continue
        if not feature.index_key:
            raise ValueError(f"Missing index_key for SparseFeature {feature}.")
        if not feature.value_key:
            raise ValueError(f"Missing value_key for SparseFeature {feature}.")
        if not feature.dtype:
            raise ValueError(f"Missing type for feature {key}. Received feature={feature}.")
        sparse.append((key, feature))
        wanted = [(k, dtypes.int64) for k in sorted(_index_keys(feature))]
        for name, dtype in wanted + [(feature.value_key, dtypes.as_dtype(feature.dtype, op))]:
            known = var_len.get(name)
            if known is not None and known != dtype:
                raise ValueError(f"Conflicting type {known} vs {dtype} for feature {name}.")
            var_len[name] = dtype
    return plain, var_len, sparse


def merge(tensors: dict, sparse: list, asked, make_sparse, op: str) -> dict:
    """``tensors`` with each SparseFeature's SparseTensor (``make_sparse(indices, values,
    shape)``) and without the parsed keys that were not ``asked`` for."""
    updates = {}
    for key, feature in sorted(sparse, key=lambda item: str(item[0])):
        ids = [tensors[k] for k in _index_keys(feature)]
        values = tensors[feature.value_key]
        sizes = [feature.size] if isinstance(feature.index_key, str) else list(feature.size)
        if len(sizes) != len(ids):
            raise ValueError(
                f"{op}: SparseFeature {key!r} has {len(ids)} index keys and {len(sizes)} sizes"
            )
        outer = np.asarray(ids[0].indices.numpy())[:, :-1]
        columns = [np.asarray(i.values.numpy(), np.int64).reshape(-1, 1) for i in ids]
        value_array = np.asarray(values.values.numpy())
        if any(len(c) != len(value_array) for c in columns):
            # TensorFlow: ValueError "Dimensions 2 and 1 are not compatible"
            raise ValueError(
                f"{op}: SparseFeature {key!r}: the index lists have "
                f"{[len(c) for c in columns]} entries and {feature.value_key!r} has "
                f"{len(value_array)} values; they must have the same lengths"
            )
        indices = np.concatenate([outer] + columns, axis=1)
        if not feature.already_sorted and len(indices):
            order = np.lexsort(indices.T[::-1])
            indices, value_array = indices[order], value_array[order]
        shape = tuple(int(n) for n in ids[0].dense_shape.numpy()[:-1]) + tuple(
            int(s) for s in sizes
        )
        updates[key] = make_sparse(indices, value_array, shape)
    tensors = dict(tensors)
    tensors.update(updates)
    return {k: v for k, v in tensors.items() if k in asked}
