"""tf.custom_gradient (and the wrappers built on it) inside tf.function and compiled
Keras train steps: the recorded grad_fn replays on each call's values, as eagerly."""

import warnings

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


@tf.custom_gradient
def sin_reads_own_output(x):
    a = tf.sin(x)

    def grad(upstream):
        return upstream * tf.cos(x) * a  # reads an input and the function's own result

    return a, grad


@tf.custom_gradient
def two_inputs(x, y):
    z = x * y

    def grad(upstream):
        return tf.clip_by_norm(upstream * y, 1.0), upstream * x * 2.0

    return z, grad


def _tape_gradient(fn, *xs):
    with tf.GradientTape() as tape:
        tape.watch(list(xs))
        y = tf.reduce_sum(fn(*xs))
    return tape.gradient(y, list(xs))


def test_tf_guide_log1pexp_in_function_replays_on_new_values():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = log1pexp(x)
        return tape.gradient(y, x)

    assert float(f(tf.constant(100.0))) == 1.0
    # the second call replays the trace: grad_fn must see this call's exp(x)
    np.testing.assert_allclose(float(f(tf.constant(1.0))), 1 / (1 + np.exp(-1.0)), rtol=1e-6)
    np.testing.assert_allclose(float(f(tf.constant(-2.0))), 1 / (1 + np.exp(2.0)), rtol=1e-6)
    assert f.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("fn", [sin_reads_own_output, two_inputs], ids=["own_output", "two"])
def test_compiled_gradient_equals_eager(fn):
    n = 2 if fn is two_inputs else 1
    compiled = tf.function(lambda *xs: _tape_gradient(fn, *xs))
    rng = np.random.default_rng(0)
    for _ in range(3):
        xs = [tf.constant(rng.normal(size=(3,)).astype("float32")) for _ in range(n)]
        got = compiled(*xs)
        want = _tape_gradient(fn, *xs)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g.numpy(), w.numpy())
    assert compiled.experimental_get_tracing_count() == 1


def test_variables_keyword_in_function():
    v = tf.Variable([1.0, 2.0])

    @tf.custom_gradient
    def scaled(x):
        def grad(upstream, variables=None):
            assert len(variables) == 1 and variables[0] is v
            return upstream * v * 3.0, [tf.reduce_sum(upstream * x, axis=0) * 10.0]

        return x * v, grad

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(scaled(x) ** 2)
        return tape.gradient(y, [x, v])

    compiled = tf.function(step)
    for xv in ([0.3, 1.5], [-1.0, 0.25]):
        x = tf.constant(xv)
        for g, w in zip(compiled(x), step(x)):
            np.testing.assert_array_equal(g.numpy(), w.numpy())


def test_variables_read_before_the_inputs_are_not_the_functions_variables():
    """Only Variables read inside f count: a weight that computed an input does not."""
    earlier = tf.Variable([[2.0]])
    w = tf.Variable([[3.0]])
    seen = []

    @tf.custom_gradient
    def mm(x):
        def grad(upstream, variables=None):
            seen.append(list(variables))
            return tf.matmul(upstream, tf.transpose(w)), [tf.matmul(tf.transpose(x), upstream)]

        return tf.matmul(x, w), grad

    with tf.GradientTape() as tape:
        y = mm(tf.matmul(tf.constant([[1.0]]), earlier))
    g_earlier, g_w = tape.gradient(y, [earlier, w])
    assert seen[0] == [w]
    assert float(g_w[0, 0]) == 2.0 and float(g_earlier[0, 0]) == 3.0


def test_recompute_grad_and_grad_pass_through_in_function():
    v = tf.Variable([0.5, -1.5])
    rec = tf.recompute_grad(lambda x: tf.tanh(x * v))
    through = tf.grad_pass_through(tf.round)

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            r = tf.reduce_sum(rec(x) ** 2)
            total = r + tf.reduce_sum(through(x * 3.0) ** 2)
        return tape.gradient(total, [x, v])

    compiled = tf.function(step)
    for xv in ([0.3, 1.5], [-0.7, 2.0]):
        x = tf.constant(xv)
        for g, w in zip(compiled(x), step(x)):
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-6)


def test_two_gradients_through_one_custom_op():
    def step(x, y):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, y])
            z = tf.reduce_sum(two_inputs(x, y))
            w = z * 2.0
        return tape.gradient(z, [x, y]), tape.gradient(w, [x, y])

    compiled = tf.function(step)
    for s in (1.0, -2.0):
        x, y = tf.constant([0.5 * s, 1.0]), tf.constant([2.0, s])
        got, want = compiled(x, y), step(x, y)
        for a, b in zip(tf.nest.flatten(got), tf.nest.flatten(want)):
            np.testing.assert_array_equal(a.numpy(), b.numpy())


class _ClipReLU(keras.layers.Layer):
    def call(self, x):
        @tf.custom_gradient
        def clipped(x):
            def grad(upstream):
                return tf.clip_by_value(upstream, -0.05, 0.05) * tf.cast(x > 0, x.dtype)

            return tf.nn.relu(x), grad

        return clipped(x)


def _fit(run_eagerly):
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), _ClipReLU()])
    model.add(keras.layers.Dense(3))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", run_eagerly=run_eagerly)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.normal(size=(32, 3)).astype("float32")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    return history.history["loss"], [w.numpy() for w in model.weights]


def test_keras_fit_compiles_a_custom_gradient_layer_and_equals_eager():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a fallback to eager warns: it must not happen
        compiled = _fit(False)
    eager = _fit(True)
    assert compiled[0] == eager[0]
    for a, b in zip(compiled[1], eager[1]):
        np.testing.assert_array_equal(a, b)


@tf.custom_gradient
def two_outputs(x):
    def grad(da, db):
        return da * 3.0 + db * tf.cos(x)

    return (x * 2.0, tf.sin(x)), grad


@tf.custom_gradient
def nested_inputs(pair, z):
    p, q = pair

    def grad(upstream):
        return [upstream * q, upstream * p], upstream * 0.5

    return p * q + z, grad


def _structures(x):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a, b = two_outputs(x)
        loss = tf.reduce_sum(a) + tf.reduce_sum(b * b)
        n = nested_inputs([x, x * 2.0], x)
    # an output the gradient does not reach gets a zero upstream gradient (TF's rule)
    return tape.gradient(loss, x), tape.gradient(a, x), tape.gradient(n, x)


def test_several_outputs_and_nested_inputs_eager_and_compiled():
    x = tf.constant([0.3, 0.5])
    g_loss, g_a, g_n = _structures(x)
    # TensorFlow 2.21's values for this program
    np.testing.assert_allclose(g_loss.numpy(), [3.5646424, 3.841471], rtol=1e-6)
    np.testing.assert_array_equal(g_a.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(g_n.numpy(), [1.7, 2.5], rtol=1e-6)
    compiled = tf.function(_structures)
    for xv in ([0.3, 0.5], [-1.0, 2.0]):
        x = tf.constant(xv)
        for got, want in zip(compiled(x), _structures(x)):
            np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_errors_name_the_function():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def reads_variable(x):
        return x * v, lambda upstream: upstream * v

    with pytest.raises(TypeError, match="reads_variable.*keyword argument 'variables'"):
        reads_variable(tf.constant(1.0))

    @tf.custom_gradient
    def wrong_count(x, y):
        return x * y, lambda upstream: upstream

    with tf.GradientTape() as tape:
        x = tf.constant(1.0)
        tape.watch(x)
        y = wrong_count(x, tf.constant(2.0))
    with pytest.raises(ValueError, match=r"wrong_count.*must return 2 gradients.*received 1"):
        tape.gradient(y, x)
