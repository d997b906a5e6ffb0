"""tf.compat.v1's TF 1 names of TF 2 functions and the TF 1 signatures that differ
(values checked against TensorFlow 2.21)."""

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


def test_aliases_are_the_tf2_functions():
    assert v1.log1p is tf.math.log1p
    m = tf.constant([[2.0, 0.0], [0.0, 4.0]])
    assert v1.matrix_inverse(m).numpy().tolist() == tf.linalg.inv(m).numpy().tolist()
    assert v1.unsorted_segment_sum is tf.math.unsorted_segment_sum
    sp = tf.sparse.SparseTensor([[0, 1]], [3.0], [1, 2])
    assert v1.sparse_tensor_to_dense(sp).numpy().tolist() == [[0.0, 3.0]]
    assert v1.string_join(["a", "b"]).numpy() == b"ab"
    assert v1.random_crop(tf.zeros([4, 4]), [2, 2]).shape == (2, 2)
    np.testing.assert_allclose(v1.erf(tf.constant([0.5])).numpy(), [0.5204999], rtol=1e-6)
    assert v1.ceil(tf.constant(1.2)).numpy() == 2.0
    seg = v1.segment_sum(tf.constant([1, 2, 3]), tf.constant([0, 0, 1]))
    assert seg.numpy().tolist() == [3, 3]


def test_reductions_take_keep_dims_and_reduction_indices():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = v1.reduce_sum(x, reduction_indices=[1], keep_dims=True)
    assert out.shape == (2, 1) and out.numpy().ravel().tolist() == [3.0, 7.0]
    assert v1.reduce_mean(x, axis=0).numpy().tolist() == [2.0, 3.0]
    assert v1.reduce_max(x, 1, True).shape == (2, 1)
    with pytest.raises(ValueError, match="Cannot specify both 'reduction_indices' and 'axis'"):
        v1.reduce_sum(x, axis=0, reduction_indices=0)
    assert v1.count_nonzero(
        tf.constant([[0, 1], [2, 0]]), reduction_indices=1
    ).numpy().tolist() == [1, 1]


def test_tf1_argument_names():
    x = tf.constant([[1, 3], [4, 2]])
    assert v1.arg_max(x, 1).numpy().tolist() == [1, 0]
    assert v1.arg_min(x, dimension=0).numpy().tolist() == [0, 1]
    assert v1.argmax(x, dimension=0).dtype == tf.int64
    assert v1.squeeze(tf.zeros([1, 2, 1]), squeeze_dims=[0]).shape == (2, 1)
    assert v1.expand_dims(tf.zeros([2]), dim=1).shape == (2, 1)
    assert v1.to_complex64(tf.constant(1.0)).dtype == tf.complex64
    assert v1.space_to_depth(tf.zeros([1, 4, 4, 1]), 2).shape == (1, 2, 2, 4)
    dense = v1.sparse_to_dense([1, 3], [5], [7, 8])
    assert dense.numpy().tolist() == [0, 7, 0, 8, 0]
    assert v1.floor_div(tf.constant(7), tf.constant(2)).numpy() == 3


def test_v1_asserts_take_data():
    v1.assert_positive(tf.constant([1.0]), data=[tf.constant(1.0)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="too small"):
        v1.assert_less(tf.constant(3), tf.constant(2), data=["too small"])


def test_dimension_objects():
    Dimension = v1.Dimension  # noqa: N806 - TensorFlow's name
    dims = tf.TensorShape([16, None]).dims
    assert [repr(d) for d in dims] == ["Dimension(16)", "Dimension(None)"]
    assert dims[0].is_compatible_with(16) and dims[1].is_compatible_with(3)
    assert dims[0] == 16 and (dims[1] == 3) is None and dims[0] + 1 == 17
    assert (Dimension(None) + 1).value is None and str(Dimension(None)) == "?"
    assert Dimension(3).merge_with(None).value == 3 and int(Dimension(4)) == 4
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        Dimension(3).merge_with(4)
    assert tf.TensorShape(dims).as_list() == [16, None]


def test_tensor_equality_switch():
    x, y = tf.Variable(0.0), tf.Variable(0.0)
    v1.disable_tensor_equality()
    try:
        assert (x == y) is False and (x == x) is True and (x != y) is True
        assert len({x, y}) == 2  # variables hash by identity
    finally:
        v1.enable_tensor_equality()
    assert bool((x == y).numpy()) is True
    with pytest.raises(TypeError, match="unhashable"):
        hash(x)


def test_sparse_string_and_scatter_functions_with_tf1_signatures():
    # values checked against TensorFlow 2.21
    sp = tf.sparse.SparseTensor([[0, 0], [1, 2]], [1.0, 5.0], [2, 3])
    assert v1.sparse_reduce_sum(sp, reduction_axes=1, keep_dims=True).numpy().tolist() == [
        [1.0],
        [5.0],
    ]
    assert v1.sparse_tensor_to_dense(v1.sparse_concat(1, [sp, sp])).shape == (2, 6)
    assert v1.confusion_matrix([0, 1, 1], [0, 1, 0], num_classes=2).numpy().tolist() == [
        [1, 0],
        [1, 1],
    ]
    joined = v1.reduce_join([["a", "b"], ["c", "d"]], reduction_indices=1, separator="-")
    assert joined.numpy().tolist() == [b"a-b", b"c-d"]
    out, idx = v1.setdiff1d([1, 2, 3, 4, 5], [2, 4])
    assert out.numpy().tolist() == [1, 3, 5] and idx.numpy().tolist() == [0, 2, 4]
    v = tf.Variable([1.0, 2.0, 3.0])
    assert v1.scatter_update(v, [0, 2], [10.0, 30.0]).numpy().tolist() == [10.0, 2.0, 30.0]
    assert v1.scatter_add(v, [1], [5.0]).numpy().tolist() == [10.0, 7.0, 30.0]
    assert v1.resource_variables_enabled() and v1.executing_eagerly_outside_functions()


def test_scatter_update_of_a_graph_variable_runs_in_session():
    with tf.Graph().as_default():
        w = v1.Variable([1.0, 2.0, 3.0])
        update = v1.scatter_update(w, [1], [7.0])
        with v1.Session() as sess:
            sess.run(w.initializer)
            assert sess.run(update).tolist() == [1.0, 7.0, 3.0]
            assert sess.run(w).tolist() == [1.0, 7.0, 3.0]
