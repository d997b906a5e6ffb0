"""Bad input is refused before work starts, with one clear line."""

from __future__ import annotations

import numpy as np
import pytest
from model_factory import mlp

import gpuflow


@pytest.fixture
def model():
    m = mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def test_x_and_y_lengths_differ(model, blobs):
    x, y = blobs
    with pytest.raises(ValueError, match="x has 400 samples, y has 399"):
        model.fit(x, y[:-1], verbose=0)


def test_empty_data(model):
    with pytest.raises(ValueError, match="no data"):
        model.fit(np.zeros((0, 20), "float32"), np.zeros((0,), "int64"), verbose=0)


def test_nan_in_inputs(model, blobs):
    x, y = blobs
    x = x.copy()
    x[5, 3] = np.nan
    # Keras trains on NaN inputs (a loss may mask them): a warning that names the place
    with pytest.warns(RuntimeWarning, match=r"x contains NaN or Inf \(first at index \(5, 3\)\)"):
        history = model.fit(x, y, verbose=0)
    assert np.isnan(history.history["loss"][0])


def test_sparse_labels_out_of_range(model, blobs):
    x, y = blobs
    y = y.copy()
    y[0] = 9
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        model.fit(x, y, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_wrong_input_shape_names_the_model_and_shapes(model, blobs):
    x, y = blobs
    with pytest.raises(ValueError, match=r"expects samples of shape \(20,\), received .* \(21,\)"):
        model.fit(np.zeros((4, 21), "float32"), y[:4], verbose=0)
    with pytest.raises(ValueError, match="expected input with last axis 20"):
        model.layers[0](np.zeros((2, 7), "float32"))


def _fit_with_loss(loss):
    model = mlp()
    model.compile(optimizer="sgd", loss=loss)
    model.fit(np.zeros((4, 20), "float32"), np.zeros((4,), "int64"), verbose=0)


@pytest.mark.parametrize(
    "make",
    [
        lambda: gpuflow.keras.layers.Dense(3, activation="relux"),
        # as Keras 3, compile() keeps an unknown loss name and fit() rejects it
        lambda: _fit_with_loss("categorical_crossentropyy"),
        lambda: mlp().compile(optimizer="adamw2", loss="mse"),
    ],
)
def test_unknown_names(make):
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    assert "\n" not in message and (
        "relux" in message or "crossentropyy" in message or "adamw2" in message
    )


def test_not_compiled(blobs):
    x, y = blobs
    with pytest.raises(ValueError, match="not compiled"):  # Keras 3 raises ValueError
        mlp().fit(x, y, verbose=0)


def test_unsupported_fit_argument(model, blobs):
    x, y = blobs
    with pytest.raises(TypeError, match="unexpected argument 'epochz'"):
        model.fit(x, y, epochz=3)
