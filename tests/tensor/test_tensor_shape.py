"""tf.TensorShape as TensorFlow 2: text, slices, sums, comparisons and rank helpers."""

import pickle

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
