"""keras.RematScope: which layers recompute their call in the backward pass (Keras 3's
modes), with unchanged values and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras


class Counting(keras.layers.Dense):
    """A Dense layer that counts how often its call runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    def call(self, inputs):
        self.calls += 1
        return super().call(inputs)


def _calls_with_a_gradient(layer, x):
    layer(x)  # build
    layer.calls = 0
    with gf.GradientTape() as tape:
        y = gf.reduce_sum(layer(x) ** 2)
    grads = tape.gradient(y, layer.trainable_weights)
    return layer.calls, grads


@pytest.mark.parametrize(
    "scope, recomputed",
    [
        (keras.RematScope(mode="full"), True),
        (keras.RematScope(mode="list_of_layers", layer_names=["c"]), True),
        (keras.RematScope(mode="list_of_layers", layer_names=["other"]), False),
        (keras.RematScope(mode="larger_than", output_size_threshold=10), True),
        (keras.RematScope(mode="larger_than", output_size_threshold=10_000), False),
        (keras.RematScope(mode=None), False),
    ],
)
def test_modes_choose_the_layers_that_recompute(scope, recomputed):
    x = gf.constant(np.linspace(-1, 1, 24, dtype="float32").reshape(4, 6))
    with scope:
        layer = Counting(8, name="c")
    plain = Counting(8, name="p")
    plain(x)
    layer(x)
    plain.set_weights(layer.get_weights())
    calls, grads = _calls_with_a_gradient(layer, x)
    plain_calls, plain_grads = _calls_with_a_gradient(plain, x)
    assert plain_calls == 1 and calls == (2 if recomputed else 1)
    for g, r in zip(grads, plain_grads):
        np.testing.assert_allclose(g.numpy(), r.numpy(), rtol=1e-6)


def test_mode_is_taken_at_creation_and_invalid_modes_are_refused():
    with keras.RematScope(mode="full"):
        inside = keras.layers.Dense(2)
    assert inside._remat_mode.mode == "full" and keras.layers.Dense(2)._remat_mode is None
    with pytest.raises(ValueError, match="Invalid mode 'all'"):
        keras.RematScope(mode="all")


def test_a_compiled_step_runs_the_call_plainly_and_trains_as_eager():
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(4, 6)
    results = []
    for eager in (True, False):
        gf.keras.utils.set_random_seed(2)
        with keras.RematScope(mode="full"):
            hidden = [keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
        model = keras.Sequential([keras.Input((6,))] + hidden)
        model.compile(optimizer="sgd", loss="mse", run_eagerly=eager)
        model.fit(x, np.ones((4, 1)), epochs=2, batch_size=2, shuffle=False, verbose=0)
        results.append(model.get_weights())
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-6)
