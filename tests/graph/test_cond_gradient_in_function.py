"""Gradients through tf.cond on a traced predicate inside tf.function: each replay
differentiates the branch its predicate takes, as eagerly (and TensorFlow)."""

import warnings

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


def _step(x, w):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        h = x * w
        passed = tf.cond(tf.reduce_sum(x) > 0, lambda: x, lambda: tf.zeros_like(x))
        both = tf.cond(tf.reduce_sum(x) > 1, lambda: h * w + x, lambda: tf.sin(h) * 3.0)
        pair = tf.cond(x[0] > 0, lambda: (h, h * h), lambda: (-h, tf.exp(h)))
        constant = tf.cond(x[1] > 0, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
        loss = (
            tf.reduce_sum(passed * 2.0)
            + tf.reduce_sum(both**2)
            + tf.reduce_sum(pair[0] + pair[1])
            + constant
        )
    return tape.gradient(loss, [x, w]) + [tape.gradient(pair[1], w)]


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0)], ids=["first", "last"])
def test_each_branch_combination_equals_eager(order):
    w = tf.Variable([1.0, 2.0])
    values = [[1.0, 0.5], [-1.0, 0.2], [0.3, 0.1], [0.3, -2.0]]
    compiled = tf.function(_step)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # compiled: no fallback to eager
        for i in order:  # the trace is taken on different branches in each order
            x = tf.constant(values[i])
            for got, want in zip(compiled(x, w), _step(x, w)):
                np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    assert compiled.experimental_get_tracing_count() == 1


def test_a_branch_returning_an_outer_tensor_keeps_that_tensor():
    @tf.function
    def f(x, p):
        y = tf.cond(p > 0, lambda: x, lambda: tf.zeros_like(x))
        return x + y  # x must stay x on the replay that takes the other branch

    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(f(x, tf.constant(1.0)).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(f(x, tf.constant(-1.0)).numpy(), [1.0, 2.0])


def test_nested_conds_under_a_tape_run_eagerly_with_tf_numbers():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: tf.cond(x > 1, lambda: x * x, lambda: x), lambda: -x)
        return tape.gradient(y, x)

    with pytest.warns(RuntimeWarning, match="runs eagerly"):
        assert float(f(tf.constant(2.0))) == 4.0
    assert float(f(tf.constant(0.5))) == 1.0 and float(f(tf.constant(-1.0))) == -1.0


class _Gate(keras.layers.Layer):
    def call(self, x):
        return tf.cond(tf.reduce_mean(x) > 0, lambda: tf.nn.relu(x), lambda: tf.tanh(x) * 0.5)


def _fit(run_eagerly):
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6), _Gate()])
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", run_eagerly=run_eagerly)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.normal(size=(32, 1)).astype("float32")
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    return history.history["loss"], [w.numpy() for w in model.weights]


def test_keras_fit_compiles_a_cond_layer_and_equals_eager():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled = _fit(False)
    eager = _fit(True)
    np.testing.assert_allclose(compiled[0], eager[0], rtol=1e-6)
    for a, b in zip(compiled[1], eager[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
