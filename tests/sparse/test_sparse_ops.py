"""tf.sparse ops on every device against NumPy references built from the dense array."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def _random_sparse(shape, density=0.3, seed=0, dtype="float32"):
    rng = np.random.default_rng(seed)
    dense = rng.normal(size=shape).astype(dtype)
    dense[rng.random(shape) > density] = 0
    return dense


def _st(dense, device):
    idx = np.argwhere(dense != 0)
    with tf.device(device):
        return tf.sparse.SparseTensor(idx, dense[tuple(idx.T)], dense.shape)


def test_constructor_attributes(device):
    with tf.device(device):
        st = tf.SparseTensor([[0, 1], [2, 3]], [1.5, -2.0], [3, 4])
    assert st.indices.dtype == np.int64 and st.dense_shape.dtype == np.int64
    assert st.shape == (3, 4) and st.get_shape().as_list() == [3, 4]
    assert st.dtype == np.float32 and st.values.device == device
    np.testing.assert_array_equal(st.dense_shape.numpy(), [3, 4])
    assert tf.sparse.SparseTensor is tf.SparseTensor
    empty = tf.SparseTensor(np.zeros((0, 2), np.int64), tf.constant([], tf.float32), [2, 2])
    np.testing.assert_array_equal(tf.sparse.to_dense(empty).numpy(), np.zeros((2, 2)))


@pytest.mark.parametrize(
    "indices, values, shape, message",
    [
        ([[0, 0]], [1.0, 2.0], [3, 4], r"indices of shape \(1, 2\) do not fit 2 values"),
        (
            [[0, 4]],
            [1.0],
            [3, 4],
            r"indices\[0\] = \[0, 4\] is out of bounds: need 0 <= index < \[3, 4\]",
        ),
        ([[-1, 0]], [1.0], [3, 4], r"indices\[0\] = \[-1, 0\] is out of bounds"),
        ([[0, 0, 0]], [1.0], [3, 4], r"rank-2 dense_shape \[3, 4\]"),
        ([[0, 0]], [[1.0]], [3, 4], r"values must be a vector, received shape \(1, 1\)"),
        ([[0, 0]], [1.0], [3, -4], r"sizes >= 0"),
    ],
)
def test_inconsistent_inputs_are_invalid_argument(device, indices, values, shape, message):
    with tf.device(device):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            tf.SparseTensor(indices, values, shape)


def test_from_dense_to_dense_round_trip(device):
    dense = _random_sparse((4, 5, 3))
    with tf.device(device):
        st = tf.sparse.from_dense(tf.constant(dense))
    np.testing.assert_array_equal(st.indices.numpy(), np.argwhere(dense != 0))
    np.testing.assert_array_equal(st.values.numpy(), dense[dense != 0])
    np.testing.assert_array_equal(tf.sparse.to_dense(st).numpy(), dense)
    filled = tf.sparse.to_dense(st, default_value=7.0).numpy()
    np.testing.assert_array_equal(filled, np.where(dense != 0, dense, 7.0))
    assert tf.sparse.to_dense(st).device == device


def test_to_dense_rejects_repeated_positions(device):
    with tf.device(device):
        st = tf.SparseTensor([[0, 1], [0, 1]], [1.0, 2.0], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="1 position"):
        tf.sparse.to_dense(st)


def test_reorder(device):
    with tf.device(device):
        st = tf.SparseTensor([[2, 3], [0, 1], [1, 0]], [1.0, 2.0, 3.0], [3, 4])
    out = tf.sparse.reorder(st)
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 1], [1, 0], [2, 3]])
    np.testing.assert_array_equal(out.values.numpy(), [2.0, 3.0, 1.0])


def test_reshape(device):
    dense = _random_sparse((4, 6), seed=1)
    out = tf.sparse.reshape(_st(dense, device), [3, -1, 2])
    assert out.shape == (3, 4, 2)
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), dense.reshape(3, 4, 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\(24 elements\) into \[5, 5\]"):
        tf.sparse.reshape(_st(dense, device), [5, 5])


def test_slice(device):
    dense = _random_sparse((5, 6), density=0.6, seed=2)
    out = tf.sparse.slice(_st(dense, device), [1, 2], [3, 10])
    assert out.shape == (3, 4)
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), dense[1:4, 2:])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concat(device, axis):
    a, b = _random_sparse((3, 4), seed=3), _random_sparse((3, 4), seed=4)
    out = tf.sparse.concat(axis, [_st(a, device), _st(b, device)])
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), np.concatenate([a, b], axis))
    flat = np.ravel_multi_index(out.indices.numpy().T, out.shape)
    assert (np.diff(flat) > 0).all()  # row-major order, as TensorFlow's output


def test_concat_expand_nonconcat_dims(device):
    a, b = _random_sparse((2, 3), seed=5), _random_sparse((2, 5), seed=6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="differ outside axis 0"):
        tf.sparse.concat(0, [_st(a, device), _st(b, device)])
    out = tf.sparse.concat(0, [_st(a, device), _st(b, device)], expand_nonconcat_dims=True)
    expected = np.zeros((4, 5), np.float32)
    expected[:2, :3], expected[2:] = a, b
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), expected)


def test_add_sparse_sparse_dense_and_threshold(device):
    a, b = _random_sparse((4, 4), seed=7), _random_sparse((4, 4), seed=8)
    out = tf.sparse.add(_st(a, device), _st(b, device))
    assert isinstance(out, tf.SparseTensor)
    np.testing.assert_allclose(tf.sparse.to_dense(out).numpy(), a + b, rtol=1e-6)
    dense = np.ones((4, 4), np.float32)
    with tf.device(device):
        mixed = tf.sparse.add(_st(a, device), tf.constant(dense))
    assert isinstance(mixed, tf.Tensor)
    np.testing.assert_allclose(mixed.numpy(), a + dense, rtol=1e-6)
    with tf.device(device):
        x = tf.SparseTensor([[0, 0], [1, 1]], [1.0, 0.1], [2, 2])
        y = tf.SparseTensor([[0, 0]], [-1.0], [2, 2])
    kept = tf.sparse.add(x, y, threshold=0.5)
    assert kept.indices.numpy().tolist() == [] and kept.values.shape == (0,)


def test_retain(device):
    with tf.device(device):
        st = tf.SparseTensor([[0, 1], [2, 0], [2, 3]], [-1.0, -5.0, 2.0], [3, 4])
    out = tf.sparse.retain(st, [True, False, True])
    np.testing.assert_array_equal(out.values.numpy(), [-1.0, 2.0])
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 1], [2, 3]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"one entry per value \(3\)"):
        tf.sparse.retain(st, [True])


def test_fill_empty_rows(device):
    with tf.device(device):
        st = tf.SparseTensor([[0, 1], [2, 0], [2, 3]], [-1.0, -5.0, 2.0], [4, 4])
    filled, empty = tf.sparse.fill_empty_rows(st, 9.0)
    assert filled.indices.numpy().tolist() == [[0, 1], [1, 0], [2, 0], [2, 3], [3, 0]]
    np.testing.assert_array_equal(filled.values.numpy(), [-1.0, 9.0, -5.0, 2.0, 9.0])
    np.testing.assert_array_equal(empty.numpy(), [False, True, False, True])


def test_to_indicator(device):
    with tf.device(device):
        ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 1, 3], tf.int64), [2, 2])
    out = tf.sparse.to_indicator(ids, 5).numpy()
    expected = np.zeros((2, 5), bool)
    expected[0, [3, 1]] = True
    expected[1, 3] = True
    np.testing.assert_array_equal(out, expected)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"ids must be in \[0, 3\)"):
        tf.sparse.to_indicator(ids, 3)


@pytest.mark.parametrize(
    "axis, keepdims", [(None, False), (0, False), (1, True), ([0, 2], False), (-1, True)]
)
def test_reduce_sum_and_max(device, axis, keepdims):
    dense = _random_sparse((3, 4, 5), density=0.5, seed=9)
    st = _st(dense, device)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    out = tf.sparse.reduce_sum(st, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(
        out.numpy(), dense.sum(axis=np_axis, keepdims=keepdims), rtol=1e-5, atol=1e-6
    )
    # max over the stored values only; positions with none give 0 (TensorFlow's rule)
    masked = np.where(dense != 0, dense, -np.inf)
    expected = masked.max(axis=np_axis, keepdims=keepdims)
    expected = np.where(np.isinf(expected), 0, expected)
    np.testing.assert_array_equal(
        tf.sparse.reduce_max(st, axis=axis, keepdims=keepdims).numpy(), expected
    )


def test_reduce_output_is_sparse(device):
    with tf.device(device):
        st = tf.SparseTensor([[0, 1], [2, 0], [2, 3]], [-1.0, -5.0, 2.0], [3, 4])
    out = tf.sparse.reduce_sum(st, axis=1, output_is_sparse=True)
    assert out.indices.numpy().tolist() == [[0], [2]] and out.shape == (3,)
    np.testing.assert_array_equal(out.values.numpy(), [-1.0, -3.0])
    top = tf.sparse.reduce_max(st, axis=0, output_is_sparse=True)
    assert top.indices.numpy().tolist() == [[0], [1], [3]]
    np.testing.assert_array_equal(top.values.numpy(), [-5.0, -1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range"):
        tf.sparse.reduce_sum(st, axis=2)


def test_elementwise_mul_with_dense_and_scalar(device):
    dense = _random_sparse((3, 4), seed=10)
    other = np.arange(4, dtype=np.float32)
    with tf.device(device):
        out = _st(dense, device) * tf.constant(other)
    np.testing.assert_allclose(tf.sparse.to_dense(out).numpy(), dense * other, rtol=1e-6)
    np.testing.assert_allclose(tf.sparse.to_dense(2.0 * _st(dense, device)).numpy(), 2 * dense)


def test_to_dense_of_string_values():
    st = tf.SparseTensor(
        indices=[[0, 0], [2, 0], [2, 1]], values=["a", "b", "c"], dense_shape=[3, 3]
    )
    dense = tf.sparse.to_dense(st)
    assert dense.dtype == tf.string
    assert dense.numpy().tolist() == [[b"a", b"", b""], [b"", b"", b""], [b"b", b"c", b""]]
    filled = tf.sparse.to_dense(st, default_value="-")
    assert filled.numpy()[1].tolist() == [b"-", b"-", b"-"]
    with pytest.raises(TypeError, match="sparse.to_dense: default_value must be a string"):
        tf.sparse.to_dense(st, default_value=0)


def test_map_values_transpose_and_expand_dims():
    st = tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])
    plus_5 = tf.sparse.map_values(tf.add, st, 5)
    assert tf.sparse.to_dense(plus_5).numpy().tolist() == [[6, 0, 0, 13], [0] * 4, [0, 0, 8, 0]]
    both = tf.sparse.map_values(tf.multiply, st, st)
    assert both.values.numpy().tolist() == [1, 64, 9]
    with pytest.raises(ValueError, match="No SparseTensor"):
        tf.sparse.map_values(tf.add, 1, 2)
    other = tf.SparseTensor([[0, 1]], [1], [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="same indices"):
        tf.sparse.map_values(tf.add, st, other)
    a = tf.SparseTensor(indices=[[0, 3], [2, 4]], values=[15, 25], dense_shape=[3, 10])
    t = tf.sparse.transpose(a)
    assert t.shape == (10, 3) and t.indices.numpy().tolist() == [[3, 0], [4, 2]]
    assert np.array_equal(tf.sparse.to_dense(t), tf.transpose(tf.sparse.to_dense(a)))
    swapped = tf.sparse.transpose(
        tf.SparseTensor([[0, 1, 2], [1, 0, 0]], [1, 2], [2, 2, 3]), [2, 0, 1]
    )
    assert swapped.indices.numpy().tolist() == [[0, 1, 0], [2, 0, 1]]  # row-major again
    with pytest.raises(tf.errors.InvalidArgumentError, match="perm must be a permutation"):
        tf.sparse.transpose(a, [0, 0])
    e = tf.sparse.expand_dims(a, 0)
    assert e.shape == (1, 3, 10) and e.indices.numpy().tolist() == [[0, 0, 3], [0, 2, 4]]
    assert tf.sparse.expand_dims(a, -1).shape == (3, 10, 1)


def test_eye_minimum_maximum_softmax_split():
    eye = tf.sparse.eye(2, 3)
    assert eye.shape == (2, 3) and eye.indices.numpy().tolist() == [[0, 0], [1, 1]]
    assert eye.dtype == tf.float32
    a = tf.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[4, 10])
    b = tf.SparseTensor(indices=[[0, 2], [3, 0]], values=[56, 38], dense_shape=[4, 10])
    low, high = tf.sparse.minimum(a, b), tf.sparse.maximum(a, b)
    assert low.indices.numpy().tolist() == [[0, 2], [3, 0], [3, 4]]
    assert low.values.numpy().tolist() == [31, 0, 0] and high.values.numpy().tolist() == [56, 38, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="sparse.minimum: dense shapes differ"):
        tf.sparse.minimum(a, tf.sparse.eye(2))
    logits = tf.Variable([1.0, 2.0, 5.0])
    with tf.GradientTape() as tape:
        sm = tf.sparse.softmax(tf.SparseTensor([[0, 0], [0, 3], [1, 1]], logits, [2, 4]))
        picked = sm.values[0]
    np.testing.assert_allclose(sm.values.numpy(), [0.26894143, 0.7310586, 1.0], rtol=1e-6)
    assert tape.gradient(picked, logits) is not None
    st = tf.SparseTensor(indices=[[0, 3], [2, 4], [1, 1]], values=[10, 20, 30], dense_shape=[3, 5])
    left, right = tf.sparse.split(sp_input=st, num_split=2, axis=1)
    assert left.shape == (3, 3) and right.shape == (3, 2)  # the first piece takes the extra
    assert left.values.numpy().tolist() == [30] and right.indices.numpy().tolist() == [
        [0, 0],
        [2, 1],
    ]
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range"):
        tf.sparse.split(sp_input=st, num_split=2, axis=2)


def test_set_shape_asserts_a_compatible_shape():
    st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
    st.set_shape([3, 4])
    st.set_shape([3, None])  # None: any size there
    assert st.shape == (3, 4)
    with pytest.raises(ValueError, match=r"Tensor's shape \(3, 4\) is not compatible with"):
        st.set_shape([1, 4])


def test_sampled_addmm_docstring_examples():
    indices = tf.constant([0, 0, 1, 1], shape=[2, 2])
    mat1 = tf.reshape(tf.range(1.0, 7.0), [2, 3])
    mat2 = tf.reshape(tf.range(7.0, 13.0), [3, 2])
    out_indices, out_values, out_shape = tf.sparse.sampled_addmm(
        indices, tf.constant([0.5, 0.3]), tf.constant([2, 2]), mat1, mat2, alpha=0.75, beta=0.25
    )
    assert out_indices.numpy().tolist() == [[0, 0], [1, 1]]
    np.testing.assert_allclose(out_values.numpy(), [43.625, 115.575], rtol=1e-6)
    assert out_shape.numpy().tolist() == [2, 2]
    batch = tf.constant([0, 1, 1, 0, 0, 0, 1, 0], shape=[2, 2, 2])
    values = tf.constant([3.0, 5.0, 2.0, 7.0], shape=[2, 2])
    _, out_values, _ = tf.sparse.sampled_addmm(
        batch,
        values,
        tf.constant([2, 2]),
        tf.reshape(tf.range(1.0, 13.0), [2, 2, 3]),
        tf.reshape(tf.range(13.0, 25.0), [2, 3, 2]),
        alpha=0.75,
        beta=0.25,
    )
    np.testing.assert_allclose(out_values.numpy(), [[75.75, 173.0], [381.5, 524.5]])
    with pytest.raises(ValueError, match="sparse.sampled_addmm: dense_shape \\[2, 2, 2\\]"):
        tf.sparse.sampled_addmm(batch, values, [2, 2, 2], tf.ones([2, 2, 3]), tf.ones([2, 3, 2]))
