"""tf.experimental.RowPartition: each factory, each encoding, dtypes, and TF's errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

RP = tf.experimental.RowPartition


def _same(partition, splits):
    np.testing.assert_array_equal(partition.row_splits().numpy(), splits)


def test_encodings_of_one_partition():
    p = RP.from_row_lengths([2, 0, 3])
    _same(p, [0, 2, 2, 5])
    assert p.dtype == tf.int64 and p.row_splits().dtype == tf.int64
    np.testing.assert_array_equal(p.row_lengths().numpy(), [2, 0, 3])
    np.testing.assert_array_equal(p.row_starts().numpy(), [0, 2, 2])
    np.testing.assert_array_equal(p.row_limits().numpy(), [2, 2, 5])
    np.testing.assert_array_equal(p.value_rowids().numpy(), [0, 0, 2, 2, 2])
    np.testing.assert_array_equal(p.offsets_in_rows().numpy(), [0, 1, 0, 1, 2])
    assert int(p.nrows()) == 3 and int(p.nvals()) == 5
    assert (p.static_nrows, p.static_nvals) == (3, 5)
    assert p.uniform_row_length() is None and not p.is_uniform()
    assert repr(p) == "tf.RowPartition(row_splits=[0 2 2 5])"


def test_every_factory_gives_the_same_splits():
    _same(RP.from_row_splits([0, 2, 2, 5]), [0, 2, 2, 5])
    _same(RP.from_row_starts([0, 2, 2], nvals=5), [0, 2, 2, 5])
    _same(RP.from_row_limits([2, 2, 5]), [0, 2, 2, 5])
    _same(RP.from_value_rowids([0, 0, 2, 2, 2]), [0, 2, 2, 5])
    _same(RP.from_value_rowids([0, 0, 2, 2, 2], nrows=4), [0, 2, 2, 5, 5])
    _same(RP.from_row_lengths([]), [0])


def test_uniform_rows():
    u = RP.from_uniform_row_length(2, nvals=6)
    _same(u, [0, 2, 4, 6])
    assert u.is_uniform() and int(u.uniform_row_length()) == 2 and int(u.nrows()) == 3
    assert repr(u) == "tf.RowPartition(nrows=3, uniform_row_length=2)"
    assert int(RP.from_uniform_row_length(3, nrows=2).nvals()) == 6
    _same(RP.from_uniform_row_length(0, nvals=0, nrows=4), [0, 0, 0, 0, 0])
    with pytest.raises(ValueError, match="uniform_row_length=2 times nrows=2 must equal nvals=5"):
        RP.from_uniform_row_length(2, nvals=5)


def test_dtypes_follow_the_input_the_argument_and_with_dtype():
    assert RP.from_row_splits(tf.constant([0, 2], tf.int32)).dtype == tf.int32
    assert RP.from_row_splits([0, 2], dtype=tf.int32).dtype == tf.int32
    assert RP.from_row_splits([0, 2], dtype_hint=tf.int32).dtype == tf.int32
    p = RP.from_row_lengths([2, 0, 3]).with_dtype(tf.int32)
    assert p.dtype == tf.int32 and p.value_rowids().dtype == tf.int32


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: RP.from_row_lengths([2, -1]), tf.errors.InvalidArgumentError, "from_row_lengths"),
        (lambda: RP.from_row_splits([1, 2]), tf.errors.InvalidArgumentError, "start at 0"),
        (lambda: RP.from_row_splits([0, 3, 2]), tf.errors.InvalidArgumentError, "not decrease"),
        (lambda: RP.from_value_rowids([1, 0]), tf.errors.InvalidArgumentError, "sorted"),
        (lambda: RP.from_row_starts([1, 2], nvals=3), tf.errors.InvalidArgumentError, "start"),
        (lambda: RP.from_value_rowids([0, 3], nrows=2), ValueError, "nrows >= value_rowids"),
        (lambda: RP.from_row_splits([[0, 1]]), ValueError, "must have rank 1"),
        (lambda: RP.from_row_splits([0.0, 1.0]), ValueError, "int32 or int64"),
        (lambda: RP(np.array([0])), ValueError, "constructor is private"),
    ],
)
def test_invalid_partitions(make, error, message):
    with pytest.raises(error, match=message):
        make()
