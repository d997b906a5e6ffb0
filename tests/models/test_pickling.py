"""pickle and copy.deepcopy of a model go through the .keras format, as Keras 3."""

from __future__ import annotations

import copy
import pickle

import numpy as np

import gpuflow as gf


def _trained_model():
    model = gf.keras.Sequential([gf.keras.Input((3,)), gf.keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0)
    return model


def test_pickle_round_trip_keeps_weights_and_compile_state():
    model, x = _trained_model(), np.ones((1, 3), "float32")
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again(x).numpy(), model(x).numpy())
    assert int(again.optimizer.iterations.numpy()) == 1 and again.loss == "mse"


def test_deepcopy_is_an_independent_model():
    model, x = _trained_model(), np.ones((1, 3), "float32")
    twin = copy.deepcopy(model)
    assert twin.layers[0].kernel is not model.layers[0].kernel
    np.testing.assert_array_equal(twin(x).numpy(), model(x).numpy())
    twin.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0)
    assert not np.allclose(twin(x).numpy(), model(x).numpy())
