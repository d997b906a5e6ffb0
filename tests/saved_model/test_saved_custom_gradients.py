"""tf.custom_gradient inside a saved function: the loaded function has the custom
gradient, as TensorFlow saves it by default (saved_model/custom_programs.py)."""

import numpy as np

import gpuflow as tf


def _log1pexp_module(calls):
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)  # read by grad_fn: a forward value the saved backward takes in

        def grad(upstream):
            calls.append(1)
            return upstream * (1 - 1 / (1 + e))

        return tf.math.log(1 + e), grad

    @tf.custom_gradient
    def times_ten_gradient(x):
        return tf.identity(x), lambda dy: dy * 10.0

    class Module(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable([0.5, -1.0, 2.0])

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def __call__(self, x):
            return tf.reduce_sum(log1pexp(x * self.w) + times_ten_gradient(x))

    return Module()


def test_loaded_function_has_the_custom_gradients(tmp_path):
    calls = []
    module = _log1pexp_module(calls)
    module(tf.ones((2, 3)))
    assert calls == []  # tracing alone does not run grad_fn (as in TensorFlow)
    tf.saved_model.save(module, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    for n in (1, 4):
        x = tf.reshape(tf.range(3 * n, dtype=tf.float32), (n, 3)) / 5.0
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            original, restored = module(x), loaded(x)
        np.testing.assert_allclose(restored.numpy(), original.numpy(), rtol=1e-6)
        gx = tape.gradient(original, x).numpy()
        np.testing.assert_allclose(tape.gradient(restored, x).numpy(), gx, rtol=1e-6)
        np.testing.assert_allclose(
            tape.gradient(restored, loaded.w).numpy(),
            tape.gradient(original, module.w).numpy(),
            rtol=1e-6,
        )
        w = module.w.numpy()
        sigmoid = 1 / (1 + np.exp(-x.numpy() * w))
        np.testing.assert_allclose(gx, 10.0 + sigmoid * w, rtol=1e-5)


def test_second_derivative_through_a_loaded_custom_gradient_names_it(tmp_path):
    module = _log1pexp_module([])
    tf.saved_model.save(module, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    x = tf.ones((1, 3))
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = loaded(x)
        g = inner.gradient(y, x)
    try:
        outer.gradient(g, x)
    except LookupError as exc:
        assert "log1pexp" in str(exc)
    else:
        raise AssertionError("expected a LookupError naming the custom gradient")
