"""tf.TensorShape as TensorFlow 2: text, slices, sums, comparisons and rank helpers."""

import pickle

import numpy as np
import pytest

import gpuflow as tf


def test_repr_and_str_as_tensorflow():
    s = tf.TensorShape([2, None])
    assert repr(s) == "TensorShape([2, None])" and str(s) == "(2, None)" and f"{s}" == "(2, None)"
    assert repr(tf.TensorShape([3])) == "TensorShape([3])" and str(tf.TensorShape([3])) == "(3,)"
    assert repr(tf.TensorShape([])) == "TensorShape([])" and str(tf.TensorShape([])) == "()"
    assert repr(tf.TensorShape(None)) == "TensorShape(None)"
    assert str(tf.TensorShape(None)) == "<unknown>"
    assert repr(tf.zeros([2, 3]).shape) == "TensorShape([2, 3])"
    assert str([tf.zeros([4]).shape]) == "[TensorShape([4])]"


def test_slices_are_shapes_and_indexes_are_sizes():
    x = tf.zeros([2, 3, 4])
    tail = x.shape[1:]
    assert isinstance(tail, tf.TensorShape) and tail.as_list() == [3, 4]
    assert x.shape[-1] == 4 and type(x.shape[-1]) is int
    unknown = tf.TensorShape(None)
    assert unknown[0] is None
    assert unknown[1:] == tf.TensorShape(None) and unknown[:2] == tf.TensorShape([None, None])


def test_sums_concatenate():
    s = tf.TensorShape([2, None])
    assert repr(s + [5]) == "TensorShape([2, None, 5])"
    assert repr([1] + s) == "TensorShape([1, 2, None])"
    assert (s + tf.TensorShape(None)) == tf.TensorShape(None)


def test_comparisons_convert_lists_and_tuples():
    s = tf.zeros([2, 3]).shape
    assert s == [2, 3] and s == (2, 3) and not (s != [2, 3]) and s != [3, 2]
    assert tf.TensorShape([1, None]) == [1, None]
    assert tf.TensorShape([1, 2]) != tf.TensorShape(None)
    assert tf.TensorShape(None) == tf.TensorShape(None)
    assert (s == "abc") is False
    assert hash(tf.TensorShape([1, 2])) == hash((1, 2))
    assert {tf.TensorShape([1, 2]): "a"}[(1, 2)] == "a"


def test_rank_helpers():
    s = tf.TensorShape([2, None, 4])
    assert s.with_rank_at_least(2) is s and s.with_rank_at_most(3) is s
    with pytest.raises(ValueError, match=r"Shape \(2, None, 4\) must have rank at least 4"):
        s.with_rank_at_least(4)
    with pytest.raises(ValueError, match="must have rank at most 2"):
        s.with_rank_at_most(2)
    s.assert_has_rank(3)
    with pytest.raises(ValueError, match="must have rank 2"):
        s.assert_has_rank(2)
    with pytest.raises(ValueError, match="must have the same rank"):
        s.assert_same_rank([1, 2])
    with pytest.raises(ValueError, match=r"Shape \(2, None, 4\) is not fully defined"):
        s.assert_is_fully_defined()


def test_compatible_and_subtype_shapes():
    s = tf.TensorShape([2, None, 4])
    assert s.most_specific_compatible_shape([2, 5, 4]) == [2, None, 4]
    assert s.most_specific_compatible_shape([2, 5]) == tf.TensorShape(None)
    assert tf.TensorShape([2, 5, 4]).is_subtype_of(s)
    assert not s.is_subtype_of(tf.TensorShape([2, 5, 4]))
    assert s.is_subtype_of(tf.TensorShape(None))
    common = tf.TensorShape([2, 1]).most_specific_common_supertype([tf.TensorShape([5, 1])])
    assert common == [None, 1]


def test_pickles_as_a_shape():
    for shape in (tf.TensorShape([2, None]), tf.TensorShape(None)):
        back = pickle.loads(pickle.dumps(shape))
        assert back == shape and type(back) is type(shape)


def test_not_a_tuple_and_percent_formatting_takes_it_as_one_value():
    s = tf.zeros([2, 3]).shape
    assert type(s) is tf.TensorShape
    assert not isinstance(s, tuple) and not isinstance(s, list)
    assert "shape: %s" % s == "shape: (2, 3)"
    assert "%s" % tf.TensorShape(None) == "<unknown>"
    assert "%r" % tf.TensorShape([]) == "TensorShape([])"


def test_unknown_rank_has_no_length_items_or_list():
    unknown = tf.TensorShape(None)
    for what in (len, list, tuple, lambda s: s.as_list()):
        with pytest.raises(ValueError, match="unknown"):
            what(unknown)
    assert unknown.rank is None and unknown.dims is None and unknown.num_elements() is None
    assert unknown != [] and unknown != tf.TensorShape([])


def test_truthiness_is_a_known_rank():
    assert bool(tf.TensorShape([])) and bool(tf.TensorShape([None]))
    assert not tf.TensorShape(None)


def test_built_from_one_int_dimensions_or_tensors_with_tf_errors():
    assert tf.TensorShape(3) == [3]
    assert tf.TensorShape([tf.compat.v1.Dimension(2), None]) == [2, None]
    assert tf.TensorShape([tf.constant(4)]) == [4]
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        tf.TensorShape([2, -1])
    with pytest.raises(TypeError, match="Dimension value must be integer"):
        tf.TensorShape([2.5])
    with pytest.raises(TypeError, match="Failed to convert"):
        tf.TensorShape(x for x in ["a"])


def test_merge_with_and_concatenate():
    s = tf.TensorShape([None, 3])
    assert s.merge_with([4, None]) == [4, 3] and tf.TensorShape(None).merge_with(s) is s
    with pytest.raises(ValueError, match=r"Shapes \(None, 3\) and \(4, 5\) are not compatible"):
        s.merge_with([4, 5])
    with pytest.raises(ValueError, match="not compatible"):
        s.merge_with([4])
    assert (1,) + s == [1, None, 3] and type((1,) + s) is tf.TensorShape
    assert s.concatenate(tf.TensorShape(None)).rank is None
    with pytest.raises(TypeError):  # no repetition operator, as TF's
        s * 2


def test_equality_and_hash_follow_the_dimensions():
    assert tf.TensorShape([None, 3]) == (None, 3) and tf.TensorShape([None, 3]) != [2, 3]
    assert (tf.TensorShape([2]) == None) is False  # noqa: E711 - None is an unknown shape
    assert len({tf.TensorShape([2, 3]), tf.TensorShape((2, 3)), tf.TensorShape(None)}) == 2


def test_hands_sizes_to_numpy_ops_and_tf_constant():
    s = tf.zeros([2, 3]).shape
    assert np.zeros(s).shape == (2, 3) and tf.zeros(s[1:] + [4]).shape == [3, 4]
    assert tf.reshape(tf.range(6), s[::-1]).shape == [3, 2]
    t = tf.constant(s)
    assert t.dtype == tf.int32 and t.numpy().tolist() == [2, 3]
    with pytest.raises(ValueError, match=r"partially known TensorShape \(None, 3\)"):
        tf.convert_to_tensor(tf.TensorShape([None, 3]))
    with pytest.raises(ValueError, match="partially known TensorShape <unknown>"):
        tf.constant(tf.TensorShape(None))


def test_a_leaf_of_nested_structures():
    s = tf.TensorShape([2, 3])
    assert tf.nest.flatten({"a": s, "b": [1]}) == [s, 1]


def test_as_proto_marks_unknown_sizes_and_rank():
    proto = tf.TensorShape([None, 3]).as_proto()
    assert [d.size for d in proto.dim] == [-1, 3]
    assert tf.TensorShape(None).as_proto().unknown_rank


def test_shapes_taken_as_arguments():
    assert tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3])) == [2, 3]
    assert tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape(None)).rank is None
    assert tf.ensure_shape(tf.ones([2, 3]), tf.TensorShape(None)).shape == [2, 3]
    assert tf.ensure_shape(tf.ones([2, 3]), tf.TensorShape([None, 3])).shape == [2, 3]
    assert tf.TensorSpec(tf.TensorShape(None)).is_compatible_with(tf.zeros([4]))
    assert tf.TensorArray(tf.float32, size=1).element_shape == tf.TensorShape(None)


def test_ops_on_a_variable_of_unknown_rank_use_its_value():
    v = tf.Variable(tf.zeros([2, 3]), shape=tf.TensorShape(None))
    assert v.shape.rank is None and v.get_shape().rank is None and "shape=<unknown>" in repr(v)
    assert tf.matmul(v, tf.ones([3, 1])).shape == [2, 1]
    assert tf.shape(v).numpy().tolist() == [2, 3] and tf.concat([v, v], 0).shape == [4, 3]
    v.assign(tf.ones([5]))
    assert v.shape.rank is None and tf.reduce_sum(v).numpy() == 5.0
    v.set_shape(tf.TensorShape(None))  # fits any value, as TF's
    with pytest.raises(ValueError):
        tf.zeros([2]).set_shape(tf.TensorShape([3]))


def test_comparing_with_a_negative_size_raises_as_tensorflow():
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        tf.TensorShape([2, 3]) == [-1, 3]  # noqa: B015 - the comparison is the test
    assert (tf.TensorShape([2, 3]) == [[1]]) is False
