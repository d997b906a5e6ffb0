"""tf.sparse maximum/minimum, softmax, transpose, expand_dims, eye, split, map_values,
reset_shape, mask, segment reductions and bincount (expected values from TensorFlow 2.21)."""

import numpy as np
import pytest

import gpuflow as tf


def _a():
    return tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, -2.0, 3.0], [3, 4])


def _b():
    return tf.sparse.SparseTensor([[0, 0], [1, 1], [2, 1]], [0.5, 4.0, 5.0], [3, 4])


def test_maximum_and_minimum_on_the_union_of_positions():
    a, b = _a(), _b()
    dense_a, dense_b = tf.sparse.to_dense(a).numpy(), tf.sparse.to_dense(b).numpy()
    biggest = tf.sparse.maximum(a, b)
    assert biggest.indices.numpy().tolist() == [[0, 0], [1, 1], [1, 2], [2, 1]]
    np.testing.assert_array_equal(tf.sparse.to_dense(biggest), np.maximum(dense_a, dense_b))
    np.testing.assert_array_equal(
        tf.sparse.to_dense(tf.sparse.minimum(a, b)), np.minimum(dense_a, dense_b)
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="sparse.maximum"):
        tf.sparse.maximum(a, tf.sparse.eye(3))


def test_softmax_over_present_entries_of_each_row_with_gradients():
    s = tf.sparse.SparseTensor(
        [[0, 0], [0, 2], [1, 1], [2, 0], [2, 3]], [1.0, 2.0, 3.0, 0.5, 0.5], [3, 4]
    )
    e = np.exp([1.0, 2.0])
    np.testing.assert_allclose(
        tf.sparse.softmax(s).values.numpy(), [*(e / e.sum()), 1.0, 0.5, 0.5], rtol=1e-6
    )
    x = tf.Variable([1.0, 2.0, -3.0])
    with tf.GradientTape() as tape:
        sp = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], x, [2, 2])
        y = tf.reduce_sum(tf.sparse.softmax(sp).values * tf.constant([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [-0.1966, 0.1966, 0.0], atol=1e-4)


def test_transpose_expand_dims_eye_and_reset_shape():
    a = _a()
    t = tf.sparse.transpose(a)
    assert t.indices.numpy().tolist() == [[0, 0], [1, 2], [2, 1]]
    np.testing.assert_array_equal(tf.sparse.to_dense(t), tf.sparse.to_dense(a).numpy().T)
    assert tf.sparse.expand_dims(a, 0).shape == (1, 3, 4)
    assert tf.sparse.expand_dims(a).indices.numpy().tolist() == [[0, 0, 0], [1, 2, 0], [2, 1, 0]]
    np.testing.assert_array_equal(tf.sparse.to_dense(tf.sparse.eye(2, 3)), np.eye(2, 3))
    assert tf.sparse.reset_shape(a).shape == (3, 3)
    assert tf.sparse.reset_shape(a, [5, 6]).shape == (5, 6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="sparse.reset_shape"):
        tf.sparse.reset_shape(a, [2, 2])


def test_split_gives_the_extra_columns_to_the_first_pieces():
    parts = tf.sparse.split(sp_input=_a(), num_split=3, axis=1)
    assert [tuple(p.shape) for p in parts] == [(3, 2), (3, 1), (3, 1)]
    assert [p.indices.numpy().tolist() for p in parts] == [[[0, 0], [2, 1]], [[1, 0]], []]


def test_map_values_needs_matching_positions():
    a = _a()
    assert tf.sparse.map_values(tf.math.multiply, a, 10).values.numpy().tolist() == [
        10.0,
        -20.0,
        30.0,
    ]
    assert tf.sparse.map_values(tf.add, a, a).values.numpy().tolist() == [2.0, -4.0, 6.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="same indices and dense_shape"):
        tf.sparse.map_values(tf.add, a, _b())


def test_segment_reductions_over_gathered_rows():
    data = tf.constant([[1.0, 2], [3, 4], [5, 6]])
    rows, ids = tf.constant([0, 1, 2]), tf.constant([0, 0, 1])
    assert tf.sparse.segment_sum(data, rows, ids).numpy().tolist() == [[4, 6], [5, 6]]
    assert tf.sparse.segment_mean(data, rows, ids).numpy().tolist() == [[2, 3], [5, 6]]
    np.testing.assert_allclose(
        tf.sparse.segment_sqrt_n(data, rows, ids).numpy(),
        [[4 / np.sqrt(2), 6 / np.sqrt(2)], [5, 6]],
        rtol=1e-6,
    )
    padded = tf.sparse.segment_sum(data, tf.constant([0, 2]), tf.constant([0, 2]), num_segments=4)
    assert padded.numpy().tolist() == [[1, 2], [0, 0], [5, 6], [0, 0]]


def test_bincount_per_row_and_overall():
    v = tf.constant([[3, 2, 1, 1], [5, 0, 0, 5]])
    per_row = tf.sparse.bincount(v, axis=-1)
    assert per_row.indices.numpy().tolist() == [[0, 1], [0, 2], [0, 3], [1, 0], [1, 5]]
    assert per_row.values.numpy().tolist() == [2, 1, 1, 2, 2]
    assert per_row.dense_shape.numpy().tolist() == [2, 6]
    overall = tf.sparse.bincount(v)
    assert overall.values.numpy().tolist() == [2, 2, 1, 1, 2]
    assert overall.dense_shape.numpy().tolist() == [6]
    binary = tf.sparse.bincount(v, axis=-1, binary_output=True, minlength=8)
    assert binary.values.numpy().tolist() == [1] * 5
    assert binary.dense_shape.numpy().tolist() == [2, 8]
    with pytest.raises(ValueError, match="axis must be 0 or -1"):
        tf.sparse.bincount(v, axis=1)


def test_bincount_counts_take_the_values_dtype_without_weights():
    # TF 2.21: int32 values -> int32 counts, int64 -> int64; weights -> the weights' dtype
    v32 = tf.constant([[3, 2, 1, 1], [5, 0, 0, 5]])
    assert tf.sparse.bincount(v32, axis=-1).values.dtype == tf.int32
    assert tf.sparse.bincount(v32, binary_output=True).values.dtype == tf.int32
    assert tf.sparse.bincount(tf.cast(v32, tf.int64)).values.dtype == tf.int64
    assert tf.sparse.bincount(tf.ragged.constant([[1], [2, 2]])).values.dtype == tf.int32
    weighted = tf.sparse.bincount(v32, weights=tf.ones([2, 4], tf.float32))
    assert weighted.values.dtype == tf.float32


def test_mask_drops_the_masked_rows_of_indexed_slices():
    slices = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([4, 7, 9]))
    kept = tf.sparse.mask(slices, [7])
    assert kept.indices.numpy().tolist() == [4, 9]
    assert kept.values.numpy().tolist() == [[1.0], [3.0]]
