"""tf.debugging.assert_shapes, assert_rank_in, assert_same_float_dtype and the placement /
traceback-filtering flags. Pass/fail cases and message wording were checked on TF 2.21."""

from __future__ import annotations

import pytest

import gpuflow as tf


def test_assert_shapes_passes_and_fails_as_tensorflow():
    x, y, s = tf.ones([2, 3]), tf.ones([3, 4]), tf.ones([])
    assert tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("Q", "D")), (s, [])]) is None
    for ok in (
        [(s, ("N",))],  # a spec of one entry accepts a scalar
        [(x, ("N", "."))],
        [(x, ("*", "N"))],
        [(y, (3, None))],
        [(x, (..., 3)), (y, ("A", 4))],
    ):
        assert tf.debugging.assert_shapes(ok) is None
    with pytest.raises(ValueError) as info:
        tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N", "D"))])
    assert str(info.value) == (
        "assert_shapes: Specified by tensor shape=(2, 3) dtype=float32 dimension 0.  "
        "Tensor shape=(3, 4) dtype=float32 dimension 0 must have size 2.  "
        "Received size 3, shape (3, 4)"
    )
    with pytest.raises(ValueError, match=r"must have rank in \(0, 1\)"):
        tf.debugging.assert_shapes([(x, ("N",))])
    with pytest.raises(ValueError, match="Specified explicitly.*dimension 1 must have size 4"):
        tf.debugging.assert_shapes([(x, (2, 4))])
    with pytest.raises(ValueError, match="must have rank 3"):
        tf.debugging.assert_shapes([(x, ("A", "B", "C"))])
    with pytest.raises(ValueError, match="only allowed as the first entry"):
        tf.debugging.assert_shapes([(x, ("N", "*"))])
    with pytest.raises(ValueError, match="^assert_shapes: check x"):
        tf.debugging.assert_shapes([(x, (5, 3))], message="check x")


def test_assert_rank_in():
    x = tf.ones([2, 3])
    assert tf.debugging.assert_rank_in(x, [1, 2]) is None
    with pytest.raises(ValueError) as info:
        tf.debugging.assert_rank_in(x, [1, 3])
    assert "must have rank in (1, 3).  Received rank 2, shape (2, 3)" in str(info.value)
    assert str(info.value).startswith("assert_rank_in: ")


def test_assert_same_float_dtype():
    x = tf.ones([2, 3])
    assert tf.debugging.assert_same_float_dtype([x, tf.ones([1])]) == tf.float32
    assert tf.debugging.assert_same_float_dtype([x, None], tf.float32) == tf.float32
    assert tf.debugging.assert_same_float_dtype() == tf.float32
    assert tf.debugging.assert_same_float_dtype(None, tf.float64) == tf.float64
    with pytest.raises(ValueError, match="must be of the same type"):
        tf.debugging.assert_same_float_dtype([x, tf.ones([1], tf.float64)])
    with pytest.raises(ValueError, match="Expected floating point type, got <dtype: 'int32'>"):
        tf.debugging.assert_same_float_dtype([tf.ones([1], tf.int32)])


def test_flags_are_stored():
    assert tf.debugging.get_log_device_placement() is False
    try:
        tf.debugging.set_log_device_placement(True)
        assert tf.debugging.get_log_device_placement() is True
    finally:
        tf.debugging.set_log_device_placement(False)
    assert tf.debugging.is_traceback_filtering_enabled() is True
    try:
        tf.debugging.disable_traceback_filtering()
        assert tf.debugging.is_traceback_filtering_enabled() is False
    finally:
        tf.debugging.enable_traceback_filtering()
    assert tf.debugging.is_traceback_filtering_enabled() is True
