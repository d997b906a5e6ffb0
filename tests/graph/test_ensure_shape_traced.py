"""tf.ensure_shape inside tf.function, as TensorFlow 2.21: the declared static shape is
checked while tracing, each call's sizes when it runs, and the static shape it gives."""

import numpy as np
import pytest

import gpuflow as tf


def test_concrete_function_with_unknown_sizes():
    shapes = []

    @tf.function
    def f(t):
        shapes.append(t.shape.as_list())
        t = tf.ensure_shape(t, [None, 3])
        shapes.append(t.shape.as_list())
        return t * 2.0

    cf = f.get_concrete_function(tf.TensorSpec([None, None]))
    assert shapes[:2] == [[None, None], [None, 3]]
    np.testing.assert_allclose(cf(tf.ones([2, 3])).numpy(), np.full((2, 3), 2.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="ensure_shape"):
        cf(tf.ones([2, 4]))


def test_a_declared_shape_that_cannot_fit_fails_the_trace():
    @tf.function
    def f(t):
        return tf.ensure_shape(t, [None, 3]) * 2.0

    with pytest.raises(ValueError, match="ensure_shape"):
        f.get_concrete_function(tf.TensorSpec([None, 4]))


def test_each_call_checks_its_sizes_and_gradients_pass():
    w = tf.Variable([[1.0], [2.0], [3.0]])

    @tf.function(input_signature=[tf.TensorSpec([None, None])])
    def g(x):
        with tf.GradientTape() as tape:
            h = tf.ensure_shape(tf.matmul(x, tf.ones([x.shape[1] or 3, 3])), [None, 3])
            loss = tf.reduce_sum(tf.matmul(h, w))
        return tape.gradient(loss, w)

    np.testing.assert_allclose(g(tf.ones([2, 3])).numpy(), [[6.0], [6.0], [6.0]])
    np.testing.assert_allclose(g(tf.ones([1, 3])).numpy(), [[3.0], [3.0], [3.0]])

    @tf.function(input_signature=[tf.TensorSpec([None, None])])
    def h(x):
        return tf.ensure_shape(x, [None, 3]) + 1.0

    np.testing.assert_allclose(h(tf.zeros([4, 3])).numpy(), np.ones((4, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"expected shape \[None, 3\]"):
        h(tf.zeros([4, 2]))
