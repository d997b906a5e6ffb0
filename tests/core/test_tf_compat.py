"""tf.compat: conversions, dimension helpers, forward compatibility, and tf.compat.v1's
few TF 2 names (values checked against tensorflow-cpu 2.21 by hand)."""

import logging
import pathlib

import pytest

import gpuflow as tf


def test_text_and_bytes_conversions():
    assert tf.compat.as_bytes("héllo") == "héllo".encode()
    assert tf.compat.as_bytes(bytearray(b"ab")) == b"ab"
    assert tf.compat.as_text(b"abc") == "abc" == tf.compat.as_str(b"abc")
    assert tf.compat.as_str_any(12) == "12"
    assert tf.compat.path_to_str(pathlib.Path("a/b")) == "a/b"
    assert tf.compat.path_to_str(3) == 3
    with pytest.raises(TypeError, match="as_bytes: expected binary or unicode string"):
        tf.compat.as_bytes(3)
    with pytest.raises(TypeError, match="as_text"):
        tf.compat.as_text(None)
    assert isinstance(b"x", tf.compat.bytes_or_text_types)
    assert isinstance(3, tf.compat.integral_types) and not isinstance(3.5, tf.compat.integral_types)


def test_dimension_helpers():
    shape = tf.TensorShape([2, None, 4])
    assert tf.compat.dimension_value(shape[0]) == 2
    assert tf.compat.dimension_value(shape[1]) is None
    assert tf.compat.dimension_at_index(shape, 2) == 4


def test_forward_compatibility_horizon():
    assert tf.compat.forward_compatible(2020, 1, 1)
    assert not tf.compat.forward_compatible(2099, 1, 1)
    with tf.compat.forward_compatibility_horizon(2100, 1, 1):
        assert tf.compat.forward_compatible(2099, 1, 1)
    assert not tf.compat.forward_compatible(2099, 1, 1)


def test_v1_logging_sets_gpuflow_s_logger_level():
    logger = tf.get_logger()
    before = logger.level
    try:
        tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
        assert logger.level == logging.ERROR
        assert tf.compat.v1.logging.get_verbosity() == logging.ERROR
    finally:
        logger.setLevel(before)


def test_v1_eager_names_and_refused_graph_mode():
    tf.compat.v1.enable_eager_execution()
    tf.compat.v1.enable_v2_behavior()
    assert tf.compat.v1.executing_eagerly()
    assert tf.compat.v2 is tf
    with pytest.raises(NotImplementedError, match="disable_eager_execution.*graph mode"):
        tf.compat.v1.disable_eager_execution()
    with pytest.raises(NotImplementedError, match="Session"):
        tf.compat.v1.Session()
    tf.compat.v1.set_random_seed(3)
    a = tf.random.uniform([2])
    tf.random.set_seed(3)
    assert a.numpy().tolist() == tf.random.uniform([2]).numpy().tolist()
