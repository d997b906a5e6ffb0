"""GradientTape semantics (TensorFlow's), the graph walk, no_grad and stop_gradient."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_close

import gpuflow as gf


def test_watch_constant(device):
    x = gf.constant(3.0, device=device)
    with gf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    g = tape.gradient(y, x)
    assert g.device == device and g.dtype == gf.float32
    assert float(g) == 6.0


def test_unwatched_constant_gets_none_or_zeros():
    x = gf.constant([1.0, 2.0])
    with gf.GradientTape(persistent=True) as tape:
        y = x * x
    assert tape.gradient(y, x) is None
    zero = tape.gradient(y, x, unconnected_gradients="zero")
    assert zero.shape == (2,) and zero.dtype == gf.float32
    np.testing.assert_array_equal(zero.numpy(), [0.0, 0.0])


def test_trainable_variables_are_watched_automatically():
    w = gf.Variable([1.0, 2.0])
    frozen = gf.Variable([3.0, 4.0], trainable=False)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(w * frozen)
    gw, gf_ = tape.gradient(loss, [w, frozen])
    np.testing.assert_array_equal(gw.numpy(), [3.0, 4.0])
    assert gf_ is None
    assert tape.watched_variables() == () or all(v.trainable for v in tape.watched_variables())


def test_watch_accessed_variables_false():
    w = gf.Variable([1.0, 2.0])
    with gf.GradientTape(watch_accessed_variables=False) as tape:
        loss = gf.reduce_sum(w * w)
    assert tape.gradient(loss, w) is None
    with gf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        loss = gf.reduce_sum(w * w)
    np.testing.assert_array_equal(tape.gradient(loss, w).numpy(), [2.0, 4.0])


def test_non_persistent_tape_allows_one_gradient_call():
    x = gf.Variable(2.0)
    with gf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(
        RuntimeError, match="only be called once on a non-persistent tape.*persistent=True"
    ):
        tape.gradient(y, x)


def test_persistent_tape():
    x = gf.Variable(2.0)
    with gf.GradientTape(persistent=True) as tape:
        y = x * x
        z = y * y
    assert float(tape.gradient(y, x)) == 4.0
    assert float(tape.gradient(z, x)) == 32.0  # 4 x^3
    assert float(tape.gradient(z, y)) == 8.0  # gradient w.r.t. an intermediate


def test_fan_out_gradients_are_summed():
    x = gf.Variable([1.0, 2.0])
    with gf.GradientTape() as tape:
        a = x * 3.0
        y = a * x + x + gf.exp(x) * a  # x reaches y along four paths
    expected = 6 * np.array([1.0, 2.0]) + 1 + np.exp([1.0, 2.0]) * (3 * np.array([1.0, 2.0]) + 3)
    assert_close(tape.gradient(y, x), expected)


def test_diamond_graph_walks_each_node_once():
    x = gf.Variable(1.5)
    with gf.GradientTape() as tape:
        h = x * x
        y = h * 2.0 + h * 3.0  # h consumed twice; its gradient must be complete before x's
        z = y + h
    assert_close(tape.gradient(z, x), 6 * 2 * 1.5)


def test_broadcasting_is_reduced_in_backward():
    x = gf.Variable(np.ones((3, 1), np.float32))
    b = gf.Variable(np.ones((4,), np.float32))
    s = gf.Variable(2.0)
    with gf.GradientTape() as tape:
        y = gf.reduce_sum((x + b) * s)
    gx, gb, gs = tape.gradient(y, [x, b, s])
    assert gx.shape == (3, 1) and gb.shape == (4,) and gs.shape == ()
    np.testing.assert_array_equal(gx.numpy(), np.full((3, 1), 8.0))
    np.testing.assert_array_equal(gb.numpy(), np.full(4, 6.0))
    assert float(gs) == 24.0


def test_stop_gradient():
    x = gf.Variable([1.0, 2.0])
    with gf.GradientTape() as tape:
        y = gf.reduce_sum(gf.stop_gradient(x * x) * x)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [1.0, 4.0])
    assert isinstance(gf.stop_gradient([1.0]), gf.Tensor)


def test_no_grad_records_nothing():
    x = gf.Variable([1.0, 2.0])
    with gf.GradientTape() as tape:
        with gf.no_grad():
            y = x * x
        z = gf.reduce_sum(y)
    assert y._node is None
    assert tape.gradient(z, x) is None


def test_stop_recording():
    x = gf.Variable(3.0)
    with gf.GradientTape() as tape:
        y = x * x
        with tape.stop_recording():
            z = y * x
    assert tape.gradient(z, x) is None


def test_ops_outside_a_tape_build_no_graph():
    w = gf.Variable([1.0])
    y = w * 2.0
    assert y._node is None


def test_output_gradients():
    x = gf.Variable([1.0, 2.0, 3.0])
    with gf.GradientTape() as tape:
        y = x * x
    g = tape.gradient(y, x, output_gradients=gf.constant([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(g.numpy(), [2.0, 0.0, -6.0])


def test_nested_structures_of_targets_and_sources():
    a = gf.Variable(1.0, name="a")
    b = gf.Variable(2.0, name="b")
    with gf.GradientTape() as tape:
        y1 = a * b
        y2 = a + b
    grads = tape.gradient([y1, y2], {"a": a, "pair": (b, [a])})
    assert set(grads) == {"a", "pair"}
    assert float(grads["a"]) == 3.0  # b + 1
    assert isinstance(grads["pair"], tuple) and isinstance(grads["pair"][1], list)
    assert float(grads["pair"][0]) == 2.0 and float(grads["pair"][1][0]) == 3.0


def test_nested_tapes():
    x = gf.Variable(2.0)
    with gf.GradientTape() as outer:
        with gf.GradientTape() as inner:
            y = x * x
        z = y * 3.0
    assert float(inner.gradient(y, x)) == 4.0
    assert float(outer.gradient(z, x)) == 12.0


def test_tape_watch_before_enter_and_exit_clears_watch():
    x = gf.constant(2.0)
    tape = gf.GradientTape()
    tape.watch(x)
    with tape:
        y = x * x
    assert float(tape.gradient(y, x)) == 4.0
    y2 = x * x  # after the tape exits, x is no longer watched
    assert y2._node is None


def test_gradient_errors():
    x = gf.Variable(1.0)
    with gf.GradientTape(persistent=True) as tape:
        y = x * 2.0
    with pytest.raises(TypeError, match="sources must be Tensors"):
        tape.gradient(y, [1.0])
    with pytest.raises(TypeError, match="target must be a Tensor"):
        tape.gradient(3.0, x)
    with pytest.raises(ValueError, match="GradientTape.watch: expected Tensors"):
        tape.watch([1.0])
    i = gf.constant([1, 2])
    assert tape.gradient(i, x) is None  # as TensorFlow: an integer target has no gradient


def test_float16_gradients_keep_dtype():
    x = gf.Variable(np.array([1.0, 2.0], np.float16))
    with gf.GradientTape() as tape:
        y = gf.reduce_sum(x * x * 0.5)
    g = tape.gradient(y, x)
    assert g.dtype == gf.float16
    np.testing.assert_array_equal(g.numpy(), [1.0, 2.0])


def test_gradient_through_variable_update_in_a_loop():
    w = gf.Variable([0.0, 0.0])
    target = gf.constant([1.0, -2.0])
    for _ in range(100):
        with gf.GradientTape() as tape:
            loss = gf.reduce_sum(gf.square(w - target))
        w.assign_sub(0.1 * tape.gradient(loss, w))
    assert_close(w, [1.0, -2.0], atol=1e-4)


def test_perceptron_example():
    """The issue's "Done when" example: shapes and the tape's gradient, against NumPy."""
    gf.random.set_seed(1)
    x = gf.random.normal([1, 784])
    W = gf.Variable(gf.random.normal([784, 512]))
    b = gf.Variable(gf.ones([512]))
    with gf.GradientTape() as tape:
        h = gf.math.maximum(gf.matmul(x, W) + b, 0)
        loss = gf.reduce_sum(h)
    assert h.shape == (1, 512) and h.dtype == gf.float32 and h.device == gf.current_device().name
    dW, db = tape.gradient(loss, [W, b])
    xn, Wn, bn = x.numpy().astype(np.float64), W.numpy().astype(np.float64), b.numpy()
    pre = xn @ Wn + bn
    mask = (pre > 0).astype(np.float64)
    assert_close(h, np.maximum(pre, 0), rtol=1e-4, atol=1e-3)
    assert dW.shape == (784, 512) and db.shape == (512,)
    assert_close(db, mask[0])
    assert_close(dW, xn.T @ mask)
