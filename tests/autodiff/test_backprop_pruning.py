"""The backward walk runs only the ops through which a gradient reaches the asked-for
tensors: a frozen branch under a trained head costs no backward pass (eager, in a
gpuflow.function, and in a compiled fit step), and the gradients are unchanged."""

from __future__ import annotations

import numpy as np

import gpuflow as gf


def _counting_identity(calls):
    @gf.custom_gradient
    def identity(x):
        def grad(dy):
            calls.append(1)
            return dy

        return gf.identity(x), grad

    return identity


def _loss(identity, x, frozen, head):
    h = identity(x * frozen)
    return gf.reduce_sum(gf.square(h * head))


def test_eager_gradient_skips_branch_not_leading_to_sources():
    calls = []
    identity = _counting_identity(calls)
    x = gf.constant([1.0, 2.0, 3.0])
    frozen, head = gf.Variable([0.5, 1.0, 2.0]), gf.Variable([1.0, -1.0, 0.5])
    with gf.GradientTape(persistent=True) as tape:
        loss = _loss(identity, x, frozen, head)
    g_head = tape.gradient(loss, head)
    assert calls == []
    h = x.numpy() * frozen.numpy()
    np.testing.assert_allclose(g_head.numpy(), 2 * h * h * head.numpy(), rtol=1e-6)
    g_frozen, g_head2 = tape.gradient(loss, [frozen, head])
    assert calls == [1]
    np.testing.assert_allclose(g_head2.numpy(), g_head.numpy())
    np.testing.assert_allclose(g_frozen.numpy(), 2 * h * head.numpy() ** 2 * x.numpy(), rtol=1e-6)


def test_intermediate_source_still_gets_its_gradient():
    x = gf.Variable([1.0, 2.0])
    with gf.GradientTape() as tape:
        h = x * 3.0
        y = gf.reduce_sum(h * h)
    np.testing.assert_allclose(tape.gradient(y, h).numpy(), [6.0, 12.0])


def test_function_gradient_skips_branch_not_leading_to_sources():
    calls = []
    identity = _counting_identity(calls)
    x = gf.constant([1.0, 2.0, 3.0])
    frozen, head = gf.Variable([0.5, 1.0, 2.0]), gf.Variable([1.0, -1.0, 0.5])

    @gf.function
    def step():
        with gf.GradientTape() as tape:
            loss = _loss(identity, x, frozen, head)
        return tape.gradient(loss, head)

    first = step().numpy()
    second = step().numpy()
    assert calls == []
    h = x.numpy() * frozen.numpy()
    np.testing.assert_allclose(first, 2 * h * h * head.numpy(), rtol=1e-6)
    np.testing.assert_allclose(second, first)


def test_fit_with_frozen_encoder_runs_no_encoder_backward():
    calls = []
    identity = _counting_identity(calls)
    keras = gf.keras
    encoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    encoder.trainable = False
    inputs = keras.Input((4,))
    features = keras.layers.Lambda(identity)(encoder(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(features))
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 1)).astype("float32")
    before = [w.numpy().copy() for w in encoder.weights]
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert calls == []
    assert np.isfinite(history.history["loss"]).all()
    for b, w in zip(before, encoder.weights):
        np.testing.assert_array_equal(b, w.numpy())
