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
    tf.compat.v1.disable_eager_execution()  # TF 1 graph mode (tests/compat_v1), then back
    assert not tf.compat.v1.executing_eagerly()
    tf.compat.v1.enable_eager_execution()
    assert tf.compat.v1.executing_eagerly()
    with pytest.raises(RuntimeError, match="placeholder.*not compatible with eager"):
        tf.compat.v1.placeholder(tf.float32, [None, 2])
    tf.compat.v1.set_random_seed(3)
    a = tf.random.uniform([2])
    tf.random.set_seed(3)
    assert a.numpy().tolist() == tf.random.uniform([2]).numpy().tolist()


def test_v1_session_set_up_of_tf2_scripts():
    config = tf.compat.v1.ConfigProto()
    config.gpu_options.allow_growth = True
    config.gpu_options.per_process_gpu_memory_fraction = 0.5
    config.graph_options.optimizer_options.global_jit_level = tf.compat.v1.OptimizerOptions.ON_1
    # TensorFlow's text format and wire bytes (tensorflow/core/protobuf/config.proto)
    assert str(config) == (
        "gpu_options {\n  per_process_gpu_memory_fraction: 0.5\n  allow_growth: true\n}\n"
        "graph_options {\n  optimizer_options {\n    global_jit_level: ON_1\n  }\n}\n"
    )
    assert tf.compat.v1.ConfigProto.FromString(config.SerializeToString()) == config
    with pytest.raises(ValueError, match='ConfigProto has no "bogus" field'):
        tf.compat.v1.ConfigProto(bogus=1)
    with pytest.raises(AttributeError, match='ConfigProto has no "bogus" field'):
        config.bogus = 1
    options = tf.compat.v1.GPUOptions(per_process_gpu_memory_fraction=0.3)
    session = tf.compat.v1.Session(config=tf.compat.v1.ConfigProto(gpu_options=options))
    v = tf.Variable([1.0, 2.0])
    out = session.run({"v": v, "pair": (tf.constant(3), v * 2)})
    assert out["v"].tolist() == [1.0, 2.0] and out["pair"][0] == 3
    assert out["pair"][1].tolist() == [2.0, 4.0]
    with pytest.raises(TypeError, match="'x:0'"):  # no such tensor in the graph
        session.run(v, feed_dict={"x:0": 1})
    with pytest.raises(TypeError, match="Fetch argument 3 has invalid type"):
        session.run(3)
    session.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        session.run(v)
    with tf.compat.v1.InteractiveSession() as interactive:
        assert interactive.sess_str == b""
    with pytest.raises(TypeError, match="config must be a tf.compat.v1.ConfigProto"):
        tf.compat.v1.Session(config={"allow_growth": True})
    assert tf.compat.v1.get_default_session() is None


def test_v1_names_renamed_in_tf2():
    tf.compat.v1.reset_default_graph()
    assert tf.compat.v1.to_float(tf.constant(1)).dtype == tf.float32
    assert tf.compat.v1.to_int64(tf.constant(1.5)).numpy() == 1
    assert tf.compat.v1.random_normal([3]).shape == (3,)
    # tf.compat.v1.nn is TF 2's tf.nn but for TF 1 signatures (ctc_loss), as in TensorFlow
    assert tf.compat.v1.nn.relu is tf.nn.relu and tf.compat.v1.keras is tf.keras
    assert tf.compat.v1.nn.ctc_loss is not tf.nn.ctc_loss
    assert tf.compat.v1.div(tf.constant(3.0), 2.0).numpy() == 1.5
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        tf.compat.v1.not_a_name
    with tf.Graph().as_default():
        with pytest.raises(AssertionError, match="reset_default_graph"):
            tf.compat.v1.reset_default_graph()
