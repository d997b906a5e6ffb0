"""Keras 3's input-rank rule in Sequential models (Functional has it too): a ``(batch,)``
array for ``input_shape=(1,)`` gets its last axis, as the regression tutorial relies on."""

import numpy as np
import pytest

import gpuflow as gf


def _model():
    normalizer = gf.keras.layers.Normalization(input_shape=[1], axis=None)
    normalizer.adapt(np.arange(10.0))  # before the model builds it, as the tutorial does
    return gf.keras.Sequential([normalizer, gf.keras.layers.Dense(1)])


def test_one_dimensional_data_fits_an_input_of_one_feature():
    model = _model()
    x = np.linspace(0.0, 9.0, 40)
    expected = model.predict(x[:, None], verbose=0)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(model(x).numpy(), expected, rtol=1e-6)
    model.compile(optimizer="adam", loss="mae")
    history = model.fit(x, 2 * x, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_a_trailing_axis_of_one_too_many_is_dropped_and_other_shapes_are_refused():
    model = gf.keras.Sequential([gf.keras.Input(shape=(3,)), gf.keras.layers.Dense(2)])
    x = np.ones((4, 3, 1), np.float32)
    assert model.predict(x, verbose=0).shape == (4, 2)
    with pytest.raises(ValueError, match=r"expects samples of shape \(3,\).*\(5,\)"):
        model.predict(np.ones((4, 5), np.float32), verbose=0)
