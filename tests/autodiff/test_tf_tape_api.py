"""GradientTape's API: jacobian, batch_jacobian, unconnected gradients, watch on nested
structures, watch_accessed_variables, persistent, stop_recording, custom_gradient,
stop_gradient."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_jacobian_matches_the_analytic_one(device):
    x = tf.constant([0.5, -1.0, 2.0], device=device)
    w = tf.Variable(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], device=device))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.matmul(x[None], w)[0]
        z = tf.sin(x)
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), w.numpy().T, rtol=1e-6)
    np.testing.assert_allclose(tape.jacobian(z, x).numpy(), np.diag(np.cos(x.numpy())), rtol=1e-6)
    jw = tape.jacobian(y, w)
    assert jw.shape == (2, 3, 2)
    np.testing.assert_allclose(jw.numpy()[1, :, 1], x.numpy())


def test_jacobian_of_a_gradient_is_the_hessian():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x[0] ** 2 * x[1] ** 3
        g = inner.gradient(y, x)
    hessian = outer.jacobian(g, x)
    a, b = 1.0, 2.0
    np.testing.assert_allclose(
        hessian.numpy(), [[2 * b**3, 6 * a * b**2], [6 * a * b**2, 6 * a**2 * b]]
    )


def test_batch_jacobian():
    x = tf.constant(np.arange(6.0).reshape(3, 2) / 4)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.concat([x * x, tf.reduce_sum(x, axis=1, keepdims=True)], axis=1)
    j = tape.batch_jacobian(y, x)
    assert j.shape == (3, 3, 2)
    for b in range(3):
        expected = np.vstack([np.diag(2 * x.numpy()[b]), np.ones((1, 2))])
        np.testing.assert_allclose(j.numpy()[b], expected)
    with pytest.raises(ValueError, match="batch_jacobian: target and source need the same"):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.reduce_sum(x)
        t.batch_jacobian(y, x)


def test_unconnected_gradients():
    x, z = tf.Variable(1.0), tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = x * 2.0
    assert tape.gradient(y, z) is None
    zero = tape.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    np.testing.assert_array_equal(zero.numpy(), [0.0, 0.0])
    assert tape.gradient(y, [x, z], unconnected_gradients="zero")[1].shape == (2,)
    with pytest.raises(ValueError, match="unconnected_gradients must be"):
        tape.gradient(y, x, unconnected_gradients="maybe")


def test_watch_nested_structures_and_gradient_structure():
    a, b, c = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, (b, {"c": c})])
        y = a * b * c
    grads = tape.gradient(y, {"first": a, "rest": [b, c]})
    assert float(grads["first"]) == 6.0 and [float(g) for g in grads["rest"]] == [3.0, 2.0]
    with pytest.raises(ValueError, match="GradientTape.watch: expected Tensors"):
        tape.watch([a, "b"])


def test_watch_accessed_variables_false_and_trainable_false():
    v, w = tf.Variable(2.0), tf.Variable(3.0)
    frozen = tf.Variable(4.0, trainable=False)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(v)
        y = v * w * frozen
    dv, dw, df = tape.gradient(y, [v, w, frozen])
    assert float(dv) == 12.0 and dw is None and df is None
    assert tape.watched_variables() == (v,)
    with tf.GradientTape() as tape:
        y = v * w * frozen
    assert tape.watched_variables() == (v, w)  # the trainable ones it read


def test_persistent_and_non_persistent():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(y, x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y, z = x * x, x * x * x
    assert float(tape.gradient(y, x)) == 6.0 and float(tape.gradient(z, x)) == 27.0


def test_stop_recording_and_stop_gradient():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x
        with tape.stop_recording():
            z = x * 10.0
        total = y + z + tf.stop_gradient(x * 100.0)
    assert float(tape.gradient(total, x)) == 4.0
    with pytest.raises(RuntimeError, match="stop_recording: the tape is not recording"):
        with tape.stop_recording():
            pass


def test_custom_gradient_first_and_second_order():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))

        return tf.math.log(1 + e), grad

    x = tf.constant(50.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(tape.gradient(y, x)) == 1.0  # no NaN: the custom gradient is used

    @tf.custom_gradient
    def square(x):
        return x * x, lambda up: up * 2 * x

    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = square(x)
        g = inner.gradient(y, x)
    assert float(g) == 6.0 and float(outer.gradient(g, x)) == 2.0


def test_custom_gradient_with_variables():
    w = tf.Variable(2.0)

    @tf.custom_gradient
    def scale(x):
        def grad(upstream, variables):
            return upstream * w, [upstream * x * 10.0]  # deliberately 10x for the variable

        return x * w, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    gx, gw = tape.gradient(y, [x, w])
    assert float(gx) == 2.0 and float(gw) == 30.0


def test_gradient_argument_errors():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2
    with pytest.raises(TypeError, match="GradientTape.gradient: sources must be Tensors"):
        tape.gradient(y, [x, 3.0])
    i = tf.constant(1)
    with tf.GradientTape() as tape:
        with pytest.warns(UserWarning, match="dtype of the watched tensor must be floating"):
            tape.watch(i)
        y = i * i
    assert tape.gradient(y, i) is None  # as TensorFlow


def test_reset_forgets_the_ops_recorded_before_it():
    x, y = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y_sq = y * y
        x_early = x * x
        tape.reset()
        z = x * x + y_sq + x_early
    grad = tape.gradient(z, {"x": x, "y": y})
    assert float(grad["x"]) == 4.0  # only the x * x run after the reset
    assert grad["y"] is None
    # an outer tape keeps everything it recorded
    with tf.GradientTape() as outer:
        with tf.GradientTape(persistent=True) as inner:
            y_sq = y * y
            inner.reset()
            z = x * y_sq
        assert inner.gradient(z, y) is None
        assert float(inner.gradient(z, x)) == 9.0
    assert float(outer.gradient(z, y)) == 12.0
    # jacobians of a reset tape follow the same rule
    with tf.GradientTape() as tape:
        early = y * x
        tape.reset()
        v = tf.stack([early, x * 3.0])
    assert tape.jacobian(v, x).numpy().tolist() == [0.0, 3.0]


def test_ragged_tensors_are_watched_and_get_ragged_gradients():
    # TF's GradientTape.gradient docstring example, and nested sources
    x = tf.ragged.constant([[1.0, 2.0], [3.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        rows = tf.reduce_sum(x * x, axis=1)
    grad = tape.gradient(y, x)
    assert isinstance(grad, tf.RaggedTensor) and grad.to_list() == [[2.0, 4.0], [6.0]]
    assert [g.to_list() for g in tape.gradient(rows, [x])] == [[[2.0, 4.0], [6.0]]]
    assert tape.gradient({"a": rows}, {"b": x})["b"].to_list() == [[2.0, 4.0], [6.0]]
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        rt = tf.RaggedTensor.from_row_lengths(tf.reshape(v, [-1]), [3, 1])
        total = tf.reduce_sum(rt * 2.0)
    assert tape.gradient(total, v).numpy().tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_jacobians_without_pfor_need_a_persistent_tape():
    x = tf.Variable([[1.0, 2.0]])
    for method in ("jacobian", "batch_jacobian"):
        with tf.GradientTape() as tape:
            y = x * x
        with pytest.raises(RuntimeError, match="persistent=True"):
            getattr(tape, method)(y, x, experimental_use_pfor=False)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
    j = tape.batch_jacobian(y, x, experimental_use_pfor=False)
    assert j.numpy().tolist() == [[[2.0, 0.0], [0.0, 4.0]]]


def test_jacobian_of_an_unconnected_or_integer_target_is_none_as_tensorflow():
    x = tf.Variable([1.0, 2.0])
    z = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        y = z * tf.constant([2.0, 3.0, 4.0])
        n = tf.cast(x, tf.int32)
        empty = x[:0] * 2.0
    assert tape.jacobian(y, x) is None
    assert tape.jacobian(y, [x, z])[0] is None
    assert tape.jacobian(y, x, unconnected_gradients="zero").numpy().tolist() == [[0.0, 0.0]] * 3
    assert tape.jacobian(n, x) is None
    assert tape.jacobian(n, x, unconnected_gradients="zero").shape == (2, 2)
    assert tape.jacobian(empty, x).shape == (0, 2)


def test_batch_jacobian_of_an_unconnected_target_is_zeros_of_its_dtype_as_tensorflow():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    z = tf.constant([[1.0], [2.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = z * 2.0
        n = tf.cast(x, tf.int32)
    j = tape.batch_jacobian(y, x)
    assert j.shape == (2, 1, 2) and not j.numpy().any()
    jn = tape.batch_jacobian(n, x)
    assert jn.dtype == tf.int32 and jn.shape == (2, 2, 2) and not jn.numpy().any()


def test_custom_gradient_without_a_recorded_input_keeps_its_forward_ops_as_tensorflow():
    c = tf.constant(3.0)

    @tf.custom_gradient
    def times_c(x):
        return x * c, lambda dy: dy * 100.0

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = times_c(x)  # x is not watched: the custom op is not recorded
    assert float(tape.gradient(y, c)) == 2.0
    with tf.GradientTape() as tape:
        tape.watch([x, c])
        y = times_c(x)  # x is watched: the custom gradient rules, c gets none
    assert tape.gradient(y, [x, c])[1] is None


def test_custom_gradient_inside_a_grad_fn_differentiates_its_captured_tensors():
    @tf.custom_gradient
    def sin(x):
        def grad(dy):
            @tf.custom_gradient
            def scaled(dy):
                return dy * tf.cos(x), lambda ddy: ddy * 100.0

            return scaled(dy)

        return tf.sin(x), grad

    x = tf.constant(0.5)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = sin(x)
        g = inner.gradient(y, x)
    np.testing.assert_allclose(float(outer.gradient(g, x)), -np.sin(0.5), rtol=1e-6)


def test_output_gradients_with_none_is_an_error_not_nan():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        a, b = x * 2.0, x * 3.0
    with pytest.raises(ValueError, match="output_gradients has None"):
        tape.gradient([a, b], x, output_gradients=[tf.constant(1.0), None])
