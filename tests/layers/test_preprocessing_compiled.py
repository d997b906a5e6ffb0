"""Lookup and encoding layers inside compiled steps, and pandas-like string columns."""

import warnings

import numpy as np
import pytest

import gpuflow as gf


class _Column:
    """What a pandas Series of strings offers a tensor constructor: __array__, dtype 'O'."""

    def __init__(self, values) -> None:
        self._values = np.array(values, dtype=object)
        self.dtype = self._values.dtype

    def __array__(self, dtype=None, copy=None):
        return self._values


def test_a_column_of_strings_becomes_a_string_tensor():
    t = gf.constant(_Column(["fixed", "normal"]))
    assert t.dtype == gf.string
    assert t.numpy().tolist() == [b"fixed", b"normal"]


@pytest.mark.parametrize(
    "layer",
    [
        lambda: gf.keras.layers.IntegerLookup(vocabulary=[3, 5, 7], output_mode="one_hot"),
        lambda: gf.keras.layers.CategoryEncoding(num_tokens=8, output_mode="multi_hot"),
        lambda: gf.keras.layers.Discretization(bin_boundaries=[2.0, 4.0], output_mode="one_hot"),
    ],
)
def test_encoding_layers_compile_in_fit_without_falling_back(layer):
    inputs = gf.keras.Input(shape=(1,), dtype="int64")
    encoded = layer()(inputs)
    outputs = gf.keras.layers.Dense(1)(gf.cast(encoded, "float32"))
    model = gf.keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    x = np.array([[3], [5], [7], [1]] * 4, dtype=np.int64)
    y = np.ones((16, 1), np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "runs eagerly" fallback warning
        history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2
    eager = gf.keras.Model(inputs, outputs)
    np.testing.assert_allclose(model.predict(x, verbose=0), eager(x).numpy(), rtol=1e-6)
