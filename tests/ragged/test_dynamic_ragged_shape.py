"""tf.experimental.DynamicRaggedShape and tf.shape of a RaggedTensor (TF 2.21's values)."""

import pytest

import gpuflow as tf

D = tf.experimental.DynamicRaggedShape


def test_shape_of_a_ragged_tensor():
    rt = tf.ragged.constant([[1, 2, 3], [4], [5, 6]])
    s = tf.shape(rt)
    assert isinstance(s, D)
    assert repr(s) == "<DynamicRaggedShape lengths=[3, (3, 1, 2)] num_row_partitions=1>"
    assert (s.rank, s.num_row_partitions, s.inner_rank) == (2, 1, 1)
    assert s.dtype == tf.int32 and s.inner_shape.numpy().tolist() == [6]
    assert int(s[0]) == 3 and s[0].dtype == tf.int32
    with pytest.raises(ValueError, match="Index 1 is not uniform"):
        s[1]
    # equal row lengths are still a ragged partition
    with pytest.raises(ValueError, match="not uniform"):
        tf.shape(tf.ragged.constant([[1, 2], [3, 4]]))[1]
    deep = tf.shape(tf.ragged.constant([[[1], [2, 3]], [[4, 5, 6]]]), out_type=tf.int64)
    assert deep.static_lengths() == [2, (2, 1), (1, 2, 3)] and deep.dtype == tf.int64


def test_from_lengths_and_from_tensor():
    d = D.from_lengths([2, 3, (1, 2, 1, 1, 1, 1), 4])
    assert d.num_row_partitions == 2 and d.inner_shape.numpy().tolist() == [7, 4]
    assert d.static_lengths() == [2, 3, (1, 2, 1, 1, 1, 1), 4]
    assert d.static_lengths(ragged_lengths=False) == [2, 3, None, 4]
    assert [int(d[1]), int(d[3]), int(d[-1])] == [3, 4, 4]
    e = D.from_lengths([2, (1, 2), 3])
    assert repr(e) == "<DynamicRaggedShape lengths=[2, (1, 2), 3] num_row_partitions=1>"
    assert e.inner_shape.numpy().tolist() == [3, 3] and e.dtype == tf.int64
    dense = D.from_tensor(tf.zeros([2, 3]))
    assert dense.num_row_partitions == 0 and dense.static_lengths() == [2, 3]
    with pytest.raises(ValueError, match="Shape not consistent"):
        D.from_lengths([2, (1, 2, 3)])
    with pytest.raises(TypeError, match="index with an int or a slice"):
        e["a"]


def test_slices_keep_the_leading_axes():
    D = tf.experimental.DynamicRaggedShape
    e = D.from_lengths([2, (1, 2), 3])
    assert repr(e[:1]) == "<DynamicRaggedShape lengths=[2] num_row_partitions=0>"
    assert repr(e[:2]) == "<DynamicRaggedShape lengths=[2, (1, 2)] num_row_partitions=1>"
    assert repr(e[:-1]) == repr(e[:2]) and repr(e[:3]) == repr(e)
    with pytest.raises(ValueError, match="All relevant dimensions must be uniform"):
        e[1:]
    assert D.from_lengths([2, 3])[1:].static_lengths() == [3]


def test_built_from_row_partitions():
    D = tf.experimental.DynamicRaggedShape
    part = tf.experimental.RowPartition.from_row_lengths([5, 3, 2])
    s = D(row_partitions=[part], inner_shape=[10, 8])
    assert s.rank == 3 and s.num_row_partitions == 1
    assert s.static_lengths() == [3, (5, 3, 2), 8]
    uniform = D([tf.experimental.RowPartition.from_uniform_row_length(2, 6)], [6])
    assert uniform.static_lengths() == [3, 2]


def test_reshape_zeros_ones_fill_take_a_ragged_shape():
    shape = tf.shape(tf.ragged.constant([[1], [2, 3, 4], [], [5, 6]]))
    words = tf.reshape(tf.constant([["a", "b"], ["c", "d"], ["e", "f"]]), shape)
    assert words.to_list() == [[b"a"], [b"b", b"c", b"d"], [], [b"e", b"f"]]
    assert tf.reshape(tf.range(6), shape).to_list() == [[0], [1, 2, 3], [], [4, 5]]
    zeros = tf.zeros(shape)
    assert zeros.dtype == tf.float32 and zeros.to_list() == [[0.0], [0.0] * 3, [], [0.0] * 2]
    assert tf.ones(shape, tf.int32).to_list() == [[1], [1, 1, 1], [], [1, 1]]
    assert tf.fill(shape, "x").to_list() == [[b"x"], [b"x"] * 3, [], [b"x"] * 2]
    with pytest.raises(ValueError, match="reshape"):
        tf.reshape(tf.range(5), shape)
