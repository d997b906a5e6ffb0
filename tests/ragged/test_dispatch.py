"""Elementwise tf ops on RaggedTensors (the ragged tensor guide): ``tf.add(rt, 3)`` & co."""

import pytest

import gpuflow as tf


def _digits():
    return tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])


def test_elementwise_ops_keep_the_partition():
    digits = _digits()
    assert tf.add(digits, 3).to_list() == [[6, 4, 7, 4], [], [8, 12, 5], [9], []]
    assert tf.math.square(digits).to_list() == [[9, 1, 16, 1], [], [25, 81, 4], [36], []]
    assert tf.maximum(digits, 3).to_list() == [[3, 3, 4, 3], [], [5, 9, 3], [6], []]
    assert tf.where(digits > 2, digits, 0).to_list() == [[3, 0, 4, 0], [], [5, 9, 0], [6], []]
    as_float = tf.cast(digits, tf.float32)
    assert isinstance(as_float, tf.RaggedTensor) and as_float.dtype == tf.float32
    doubled = tf.multiply(digits, digits)
    assert doubled.to_list() == [[9, 1, 16, 1], [], [25, 81, 4], [36], []]
    assert tf.math.equal(digits, 1).to_list() == [
        [False, True, False, True],
        [],
        [False, False, False],
        [False],
        [],
    ]


def test_mismatched_rows_and_unsupported_ops_name_the_op():
    other = tf.ragged.constant([[1, 2], [3]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="different row lengths"):
        tf.add(_digits(), other)
    with pytest.raises(tf.errors.InvalidArgumentError, match="one_hot: RaggedTensor arguments"):
        tf.one_hot(_digits(), 10)
