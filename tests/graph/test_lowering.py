"""The lowered replay (graph/lowering.py) computes what the step interpreter computes."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.autodiff.state import state
from gpuflow.graph.steps import run_steps


def _interpreted(function):
    """Make each trace of ``function`` replay through ``run_steps`` (the reference)."""
    for concrete in function._concrete.values():
        concrete._lowered = lambda slots, steps=concrete._steps: run_steps(steps, slots)


def _train(lowered: bool, units=(64, 10), batch=8, steps=4, dtype="float64", hook=None):
    gf.random.set_seed(3)
    model = gf.keras.Sequential(
        [gf.keras.Input((32,), dtype=dtype)]
        + [gf.keras.layers.Dense(u, activation="relu", dtype=dtype) for u in units[:-1]]
        + [gf.keras.layers.Dense(units[-1], dtype=dtype)]
    )
    loss_fn = gf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    opt = gf.keras.optimizers.SGD(0.1)
    rng = np.random.default_rng(0)
    x = gf.constant(rng.standard_normal((batch, 32)).astype(dtype))
    y = gf.constant(rng.integers(0, units[-1], batch))

    @gf.function
    def step(a, b):
        with gf.GradientTape() as tape:
            out = model(a, training=True)
            loss = loss_fn(b, out)  # Keras' losses give floatx (float32)
            loss = loss + gf.cast(0.0 * gf.reduce_sum(out), loss.dtype)  # two paths into out
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss, grads[-1]

    losses = [step(x, y)]  # the trace
    if not lowered:
        _interpreted(step)
    previous, state.check_hook = state.check_hook, hook
    try:
        for _ in range(steps):
            losses.append(step(x, y))
    finally:
        state.check_hook = previous
    results = [(float(loss), g.numpy()) for loss, g in losses]
    return results, [w.numpy() for w in model.weights], step


@pytest.mark.parametrize("units", [(64, 10), (1024, 10)])  # a 32x1024 kernel fuses SGD's update
def test_lowered_replay_equals_the_interpreter_bitwise(units):
    got, weights, step = _train(True, units)
    want, want_weights, _ = _train(False, units)
    for (a, ga), (b, gb) in zip(got, want):
        assert a == b
        np.testing.assert_array_equal(ga, gb)
    for a, b in zip(weights, want_weights):
        np.testing.assert_array_equal(a, b)
    (concrete,) = step._concrete.values()
    assert concrete._lowered.source.startswith("def replay(slots):")
    fused = [s.fused for s in concrete._steps if getattr(s, "fused", None) is not None]
    assert bool(fused) == (units[0] == 1024)


def test_a_check_hook_takes_the_general_walk_with_the_same_result():
    seen = []

    def hook(fn, array, direction):
        seen.append(direction)

    got, weights, _ = _train(True, hook=hook)
    want, want_weights, _ = _train(False)
    assert seen  # the general walk ran the hook
    for a, b in zip(weights, want_weights):
        np.testing.assert_array_equal(a, b)


def test_a_source_the_loss_does_not_reach_gets_a_zero_gradient():
    v = gf.Variable([1.0, 2.0])
    unused = gf.Variable([3.0])

    @gf.function
    def grads(x):
        with gf.GradientTape() as tape:
            loss = gf.reduce_sum(v * x)
        return tape.gradient(loss, [v, unused], unconnected_gradients="zero")

    for _ in range(2):
        gv, gu = grads(gf.constant([4.0, 5.0]))
        np.testing.assert_array_equal(gv.numpy(), [4.0, 5.0])
        np.testing.assert_array_equal(gu.numpy(), [0.0])


def test_gradients_accumulate_across_uses_and_casts():
    v = gf.Variable([1.0, 2.0], dtype="float32")

    @gf.function
    def grads(x):
        with gf.GradientTape() as tape:
            wide = gf.cast(v, "float64")
            loss = gf.reduce_sum(wide * x) + gf.cast(gf.reduce_sum(v * v), "float64")
        return tape.gradient(loss, v)

    for _ in range(2):
        g = grads(gf.constant([3.0, 4.0], dtype="float64"))
        assert g.dtype == gf.float32
        np.testing.assert_allclose(g.numpy(), [3.0 + 2.0, 4.0 + 4.0])
