"""tf.RaggedTensor: construction, validation, partitions, conversion, indexing (every device)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

ROWS = [[1, 2, 3], [], [4, 5], [6]]


def _rt(device, rows=ROWS, dtype=None):
    with tf.device(device):
        return tf.ragged.constant(rows, dtype=dtype)


def test_constant_and_partitions(device):
    rt = _rt(device)
    assert isinstance(rt, tf.RaggedTensor)
    assert rt.shape.as_list() == [4, None] and rt.ragged_rank == 1 and rt.dtype == np.int32
    assert rt.to_list() == ROWS
    np.testing.assert_array_equal(rt.row_lengths().numpy(), [3, 0, 2, 1])
    np.testing.assert_array_equal(rt.row_splits.numpy(), [0, 3, 3, 5, 6])
    np.testing.assert_array_equal(rt.values.numpy(), [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(rt.flat_values.numpy(), [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(rt.value_rowids().numpy(), [0, 0, 0, 2, 2, 3])
    assert int(rt.nrows()) == 4 and rt.row_splits.dtype == np.int64
    assert rt.flat_values.device == device


def test_nested_and_inner_shape(device):
    with tf.device(device):
        r3 = tf.ragged.constant([[[1.0, 2.0], [3.0]], [[4.0]], []])
        r2 = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert r3.shape.as_list() == [3, None, None] and r3.ragged_rank == 2
    assert r3.dtype == np.float32 and r3.to_list() == [[[1.0, 2.0], [3.0]], [[4.0]], []]
    assert len(r3.nested_row_splits) == 2
    np.testing.assert_array_equal(r3.row_lengths(axis=2).flat_values.numpy(), [2, 1, 1])
    assert r2.shape.as_list() == [2, None, 2] and r2.ragged_rank == 1
    assert r2.flat_values.shape == (3, 2)


@pytest.mark.parametrize(
    "factory, args, message",
    [
        ("from_row_lengths", ([1, 2, 3], [1, 1]), "row_lengths sum to 2 but values has 3 rows"),
        ("from_row_lengths", ([1, 2, 3], [4, -1]), r"row_lengths\[1\] = -1 is negative"),
        ("from_row_splits", ([1, 2, 3], [0, 1, 5]), "row_splits end at 5 but values has 3 rows"),
        ("from_row_splits", ([1, 2, 3], [1, 3]), "row_splits must start with 0, received 1"),
        (
            "from_row_splits",
            ([1, 2, 3], [0, 2, 1, 3]),
            r"row_splits\[1\] = 2 > row_splits\[2\] = 1",
        ),
        ("from_value_rowids", ([1, 2, 3], [0, 2]), "value_rowids has 2 entries but values has 3"),
        ("from_value_rowids", ([1, 2], [1, 0]), "must be sorted"),
    ],
)
def test_inconsistent_inputs_name_the_numbers(device, factory, args, message):
    with tf.device(device):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            getattr(tf.RaggedTensor, factory)(*args)


def test_constant_errors():
    # ValueError, as TensorFlow raises for bad Python lists
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant([[1, [2]], [3]])
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant(["A", ["B", "C"]])
    with pytest.raises(ValueError, match="not uniform"):
        tf.ragged.constant([[[1, 2], [3]]], ragged_rank=1)
    with pytest.raises(ValueError, match="mixed types"):
        tf.ragged.constant([["one", "two"], [3, 4]])
    with pytest.raises(TypeError, match="tf.ragged.constant"):
        tf.RaggedTensor([1], [0, 1])


def test_factories_agree(device):
    with tf.device(device):
        values = tf.constant([1.0, 2.0, 3.0, 4.0])
        by_lengths = tf.RaggedTensor.from_row_lengths(values, [2, 0, 2])
        by_splits = tf.RaggedTensor.from_row_splits(values, [0, 2, 2, 4])
        by_ids = tf.RaggedTensor.from_value_rowids(values, [0, 0, 2, 2], nrows=3)
        by_starts = tf.RaggedTensor.from_row_starts(values, [0, 2, 2])
        by_limits = tf.RaggedTensor.from_row_limits(values, [2, 2, 4])
    for rt in (by_splits, by_ids, by_starts, by_limits):
        assert rt.to_list() == by_lengths.to_list() == [[1.0, 2.0], [], [3.0, 4.0]]
    nested = tf.RaggedTensor.from_nested_row_lengths(values, [[2, 1], [1, 1, 2]])
    assert nested.to_list() == [[[1.0], [2.0]], [[3.0, 4.0]]]
    with tf.device(device):
        empty_rows = tf.RaggedTensor.from_value_rowids(values, [1, 1, 1, 1], nrows=4)
    assert empty_rows.to_list() == [[], [1.0, 2.0, 3.0, 4.0], [], []]


def test_from_tensor_padding_and_lengths(device):
    dense = np.array([[1, 0, 0], [2, 3, 0], [0, 0, 0], [4, 0, 5]], np.int32)
    with tf.device(device):
        by_padding = tf.RaggedTensor.from_tensor(tf.constant(dense), padding=0)
        by_lengths = tf.RaggedTensor.from_tensor(tf.constant(dense), lengths=[1, 0, 3, 2])
        full = tf.RaggedTensor.from_tensor(tf.constant(dense))
    assert by_padding.to_list() == [[1], [2, 3], [], [4, 0, 5]]
    assert by_lengths.to_list() == [[1], [], [0, 0, 0], [4, 0]]
    assert full.to_list() == dense.tolist()
    rank2 = tf.RaggedTensor.from_tensor(np.arange(24).reshape(2, 3, 4), ragged_rank=2)
    assert rank2.ragged_rank == 2 and rank2.to_list() == np.arange(24).reshape(2, 3, 4).tolist()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"in \[0, 3\]"):
        tf.RaggedTensor.from_tensor(tf.constant(dense), lengths=[4, 0, 0, 0])


def test_from_tensor_nested_lengths_cut_each_ragged_dimension(device):
    # TF's docstring example: a tuple of row lengths, one per ragged dimension
    with tf.device(device):
        dt = tf.constant(
            [[[5, 0], [7, 0], [0, 0]], [[0, 0], [3, 0], [0, 0]], [[6, 0], [0, 0], [0, 0]]]
        )
        rt = tf.RaggedTensor.from_tensor(dt, lengths=([2, 0, 3], [1, 1, 2, 0, 1]))
    assert rt.ragged_rank == 2
    assert rt.to_list() == [[[5], [7]], [], [[6, 0], [], [0]]]
    assert str(rt) == "<tf.RaggedTensor [[[5], [7]], [], [[6, 0], [], [0]]]>"
    one = tf.RaggedTensor.from_tensor(dt, lengths=(tf.constant([2, 0, 3]),))
    assert one.ragged_rank == 1 and one.to_list() == [[[5, 0], [7, 0]], [], dt.numpy()[2].tolist()]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"lengths\[1\] must hold 5 row"):
        tf.RaggedTensor.from_tensor(dt, lengths=([2, 0, 3], [1, 1, 2, 0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="ragged_rank must be 2"):
        tf.RaggedTensor.from_tensor(dt, lengths=([2, 0, 3], [1, 1, 2, 0, 1]), ragged_rank=3)


def test_to_tensor_default_and_shape(device):
    rt = _rt(device)
    expected = np.array([[1, 2, 3], [-1, -1, -1], [4, 5, -1], [6, -1, -1]])
    np.testing.assert_array_equal(rt.to_tensor(default_value=-1).numpy(), expected)
    np.testing.assert_array_equal(
        rt.to_tensor(shape=[4, 2]).numpy(), np.where(expected[:, :2] < 0, 0, expected[:, :2])
    )
    padded = rt.to_tensor(shape=[5, 4]).numpy()
    assert (
        padded.shape == (5, 4)
        and padded[:4, :3].tolist() == np.where(expected < 0, 0, expected).tolist()
    )
    with tf.device(device):
        r3 = tf.ragged.constant([[[1.0, 2.0], [3.0]], [[4.0]]])
    np.testing.assert_array_equal(r3.to_tensor().numpy(), [[[1, 2], [3, 0]], [[4, 0], [0, 0]]])
    assert r3.to_tensor().device == device


def test_row_indexing_and_slicing(device):
    rt = _rt(device)
    np.testing.assert_array_equal(rt[0].numpy(), [1, 2, 3])
    np.testing.assert_array_equal(rt[-2].numpy(), [4, 5])
    assert rt[1].shape == (0,)
    assert rt[1:3].to_list() == [[], [4, 5]]
    assert rt[::2].to_list() == [[1, 2, 3], [4, 5]]
    assert rt[:, :2].to_list() == [[1, 2], [], [4, 5], [6]]
    assert rt[:, 1:].to_list() == [[2, 3], [], [5], []]
    np.testing.assert_array_equal(rt[2:, 0].numpy(), [4, 6])
    np.testing.assert_array_equal(rt[2:, -1].numpy(), [5, 6])
    assert int(rt[0, 1]) == 2
    with pytest.raises(tf.errors.InvalidArgumentError, match="row index 4 is out of range"):
        rt[4]
    with pytest.raises(tf.errors.InvalidArgumentError, match="row 1 of length 0"):
        rt[:, 0]
    assert [r.numpy().tolist() for r in rt] == ROWS
    assert rt.to_sparse().indices.numpy().tolist() == [
        [0, 0],
        [0, 1],
        [0, 2],
        [2, 0],
        [2, 1],
        [3, 0],
    ]


def test_ellipsis_indexing_as_tensorflow(device):
    # the image-captioning tutorial splits tokens with tokens[..., :-1] and tokens[..., 1:]
    rt = _rt(device)
    assert rt[..., :-1].to_list() == [[1, 2], [], [4], []]
    assert rt[..., 1:].to_list() == [[2, 3], [], [5], []]
    assert rt[...].to_list() == ROWS and rt[1:, ...].to_list() == ROWS[1:]
    np.testing.assert_array_equal(rt[2, ...].numpy(), [4, 5])
    with tf.device(device):
        r3 = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert r3[..., 0].to_list() == [[1, 3], [5]]
    assert r3[..., :1].to_list() == [[[1], [3]], [[5]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="single ellipsis"):
        rt[..., ...]
    with pytest.raises(tf.errors.InvalidArgumentError, match="too many indices"):
        rt[..., 0, 0, 0]


def test_repr_and_numpy_as_tensorflow():
    rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
    assert repr(rt) == "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], []]>"
    uniform = tf.RaggedTensor.from_uniform_row_length(tf.constant([1, 2, 3, 4, 5, 6]), 2)
    assert str(uniform) == "<tf.RaggedTensor [[1, 2],\n [3, 4],\n [5, 6]]>"  # wrapped, as TF
    assert uniform.numpy().dtype == np.int32 and uniform.numpy().shape == (3, 2)
    nested = tf.ragged.constant([[[1, 2, 3], [4]], [[], [5, 6, 7]], [[8], []]]).numpy()
    assert nested.dtype == object and nested.shape == (3, 2)
    assert nested[1, 1].tolist() == [5, 6, 7]
    long_rows = tf.ragged.constant(
        [["Let's", "build", "some", "ragged", "tensors", "!"], ["We", "can", "use", "it"]]
    )
    assert str(long_rows).count("\n") == 1  # lines wrap at NumPy's width


def test_nested_value_rowids_and_row_lengths_and_no_truth_value():
    rt = tf.ragged.constant([[[[3, 1, 4, 1], [], [5, 9, 2]], [], [[6], []]]])
    ids = [t.numpy().tolist() for t in rt.nested_value_rowids()]
    assert ids == [[0, 0, 0], [0, 0, 0, 2, 2], [0, 0, 0, 0, 2, 2, 2, 3]]  # TF's docstring
    lengths = [t.numpy().tolist() for t in rt.nested_row_lengths()]
    assert lengths == [[3], [3, 0, 2], [4, 0, 3, 1, 0]]
    with pytest.raises(TypeError, match="RaggedTensor may not be used as a boolean"):
        bool(tf.ragged.constant([[1]]) == 1)
