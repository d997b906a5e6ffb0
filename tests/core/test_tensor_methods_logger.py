"""Tensor.get_shape / set_shape / ref and tf.get_logger."""

from __future__ import annotations

import logging

import pytest

import gpuflow as tf


def test_get_shape_set_shape_ref():
    t = tf.constant([[1.0, 2.0]])
    assert t.get_shape() == (1, 2) and t.get_shape().as_list() == [1, 2]
    t.set_shape([None, 2])
    with pytest.raises(ValueError, match="not compatible with supplied shape \\(1, 3\\)"):
        t.set_shape([1, 3])
    r = t.ref()
    assert r.deref() is t and r == t.ref() and {r: 1}[t.ref()] == 1
    v = tf.Variable(1.0)
    assert v.ref() != t.ref() and v.experimental_ref().deref() is v


def test_get_logger():
    logger = tf.get_logger()
    assert isinstance(logger, logging.Logger) and logger.name == "gpuflow"
    logger.setLevel("ERROR")
    assert tf.get_logger().level == logging.ERROR
    logger.setLevel(logging.NOTSET)


def test_round_of_a_variable_is_a_tensor_as_keras():
    # keras.callbacks.LearningRateScheduler docstring: round(model.optimizer.learning_rate, 5)
    opt = tf.keras.optimizers.SGD(0.0123456)
    r = round(opt.learning_rate, 3)
    assert isinstance(r, tf.Tensor) and not isinstance(r, tf.Variable)
    assert abs(float(r) - 0.012) < 1e-7
    assert float(round(tf.Variable(2.5))) == 2.0  # half to even
    assert abs(float(round(tf.Variable(-1.25), 1)) + 1.2) < 1e-6
    assert int(round(tf.Variable(7), 1)) == 7
    with pytest.raises(TypeError, match="round: ndigits must be an int"):
        round(tf.Variable(1.0), 1.5)
    with pytest.raises(TypeError):  # a tf.Tensor has no __round__ (TensorFlow's behaviour)
        round(tf.constant(1.5))
