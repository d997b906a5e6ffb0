"""tf.train.ExponentialMovingAverage; expected values printed by tensorflow-cpu 2.21."""

import numpy as np
import pytest

import gpuflow as tf


def test_shadow_variables_follow_the_variables():
    v, w = tf.Variable(1.0), tf.Variable([1.0, 2.0], name="w")
    ema = tf.train.ExponentialMovingAverage(decay=0.9)
    ema.apply([v, w])
    assert float(ema.average(v)) == 1.0  # starts at the variable's value
    assert ema.average_name(w) == "w/ExponentialMovingAverage"
    assert ema.average(w).name == "w/ExponentialMovingAverage:0"
    v.assign(2.0)
    w.assign([3.0, 4.0])
    ema.apply([v, w])
    np.testing.assert_allclose(float(ema.average(v)), 1.1, rtol=1e-6)
    np.testing.assert_allclose(ema.average(w).numpy(), [1.2, 2.2], rtol=1e-6)
    assert ema.average(tf.Variable(3.0)) is None and not ema.average(v).trainable


def test_num_updates_and_zero_debias_as_tensorflow():
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=tf.Variable(0))
    u = tf.Variable(0.0)
    ema.apply([u])
    u.assign(1.0)
    ema.apply([u])  # decay min(0.99, 1 / 10)
    np.testing.assert_allclose(float(ema.average(u)), 0.9, rtol=1e-6)
    debiased = tf.train.ExponentialMovingAverage(0.5, zero_debias=True)
    z = tf.Variable(2.0)
    debiased.apply([z])
    z.assign(4.0)
    debiased.apply([z])  # TensorFlow debiases tensors only: a variable's average is plain
    assert float(debiased.average(z)) == 3.0
    t = tf.constant(2.0)
    debiased.apply([t])
    assert float(debiased.average(t)) == 2.0  # zero start, bias divided out


def test_bad_entries_say_what_was_expected():
    ema = tf.train.ExponentialMovingAverage(0.9)
    with pytest.raises(TypeError, match="expected Variables or tensors"):
        ema.apply([1.0])
    with pytest.raises(TypeError, match="dtype int32 is not averaged"):
        ema.apply([tf.Variable(1)])
