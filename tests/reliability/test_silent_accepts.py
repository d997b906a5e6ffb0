"""Inputs that used to be silently accepted now give a clear error (or what Keras returns)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def _model():
    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    return model


def test_fit_with_zero_epochs_returns_an_empty_history():
    history = _model().fit(
        np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), epochs=0, verbose=0
    )
    assert isinstance(history, tf.keras.callbacks.History)
    assert history.history == {} and history.epoch == []


@pytest.mark.parametrize(
    "x",
    [np.array([["a", "b", "c"]]), np.array([[b"a", b"b", b"c"]]), np.ones((1, 3), np.complex64)],
    ids=["str", "bytes", "complex"],
)
@pytest.mark.parametrize("op", ["predict", "fit", "evaluate"])
def test_string_and_complex_data_are_refused_by_name(x, op):
    model = _model()
    call = {
        "predict": lambda: model.predict(x, verbose=0),
        "fit": lambda: model.fit(x, np.ones((1, 2)), verbose=0),
        "evaluate": lambda: model.evaluate(x, np.ones((1, 2)), verbose=0),
    }[op]
    with pytest.raises(TypeError, match=rf"{op}: x must be a numeric .* received dtype"):
        call()
