"""Gradients through loops inside tf.function: a loop whose trip count is known when
traced (tf.while_loop on a counter from constants, keras.ops.fori_loop, for over tf.range)
is unrolled into the trace and compiles; one whose condition reads the call's values runs
eagerly (a warning), with the same numbers."""

import warnings

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras

W = [0.5, -0.3]


def _while_counter(x, w):
    with tf.GradientTape() as tape:
        tape.watch(x)
        _, y = tf.while_loop(
            lambda i, y: tf.logical_and(i < 3, i >= 0),
            lambda i, y: (i + 1, tf.sin(y * w)),
            [tf.constant(0), x],
        )
        loss = tf.reduce_sum(y)
    return tape.gradient(loss, [x, w])


def _fori(x, w):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras.ops.fori_loop(0, 3, lambda i, y: tf.sin(y * w), x)
        loss = tf.reduce_sum(y)
    return tape.gradient(loss, [x, w])


def _data_dependent(x, w):
    with tf.GradientTape() as tape:
        tape.watch(x)
        (y,) = tf.while_loop(lambda y: tf.reduce_sum(y) < 10.0, lambda y: (y * 1.5 + w,), [x])
        loss = tf.reduce_sum(y)
    return tape.gradient(loss, [x, w])


@pytest.mark.parametrize("step", [_while_counter, _fori], ids=["while_loop", "fori_loop"])
def test_known_trip_count_compiles_and_equals_eager(step):
    w = tf.Variable(W)
    compiled = tf.function(step)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback to eager
        for xv in ([1.0, 2.0], [-0.5, 0.25]):
            x = tf.constant(xv)
            for got, want in zip(compiled(x, w), step(x, w)):
                np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert compiled.experimental_get_tracing_count() == 1
    # TensorFlow 2.21's values at x = [1, 2]
    gx, gw = compiled(tf.constant([1.0, 2.0]), w)
    np.testing.assert_allclose(gx.numpy(), [0.105811, -0.021937], atol=1e-6)
    np.testing.assert_allclose(gw.numpy(), [0.678595, 0.48137], atol=1e-6)


def test_data_dependent_condition_runs_eagerly_with_tf_numbers():
    w = tf.Variable(W)
    compiled = tf.function(_data_dependent)
    with pytest.warns(RuntimeWarning, match="condition depends on values"):
        gx, gw = compiled(tf.constant([1.0, 2.0]), w)
    # TensorFlow 2.21 (three iterations: 1.5 ** 3 and 1 + 1.5 + 1.5 ** 2)
    np.testing.assert_allclose(gx.numpy(), [3.375, 3.375])
    np.testing.assert_allclose(gw.numpy(), [4.75, 4.75])


def test_a_random_condition_is_not_a_constant():
    w = tf.Variable(W)

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            _, y = tf.while_loop(
                lambda i, y: tf.random.uniform([]) < 2.0,  # always true, but drawn each call
                lambda i, y: (i + 1, y * w),
                [tf.constant(0), x],
                maximum_iterations=2,
            )
        return tape.gradient(y, x)

    with pytest.warns(RuntimeWarning, match="condition depends on values"):
        g = tf.function(step)(tf.constant([1.0, 2.0]))
    np.testing.assert_allclose(g.numpy(), [0.25, 0.09], rtol=1e-6)


class _Repeated(keras.layers.Layer):
    def build(self, shape):
        self.w = self.add_weight(shape=(shape[-1],), initializer="ones")

    def call(self, x):
        return keras.ops.fori_loop(0, 3, lambda i, h: keras.ops.tanh(h * self.w + 0.1), x)


def _fit(run_eagerly):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), _Repeated(), keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", run_eagerly=run_eagerly)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    return history.history["loss"], [w.numpy() for w in model.weights]


def test_keras_fit_compiles_a_fori_loop_layer_and_equals_eager():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled = _fit(False)
    eager = _fit(True)
    assert compiled[0] == eager[0]
    for a, b in zip(compiled[1], eager[1]):
        np.testing.assert_array_equal(a, b)


def test_autograph_while_on_a_counter_compiles():
    w = tf.Variable(W)

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            i = tf.constant(0)
            y = x
            while i < 3:
                y = tf.sin(y * w)
                i += 1
            loss = tf.reduce_sum(y)
        return tape.gradient(loss, [x, w])

    compiled = tf.function(step)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = compiled(tf.constant([1.0, 2.0]))
    np.testing.assert_allclose(got[0].numpy(), [0.105811, -0.021937], atol=1e-6)
    np.testing.assert_allclose(got[1].numpy(), [0.678595, 0.48137], atol=1e-6)
