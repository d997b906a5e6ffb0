"""Keras-3-written files of an attention model and an int8-quantized model (made by
reference/make_attention_int8_files.py with real Keras) load in gpuflow and predict what
Keras predicted; gpuflow writes them back in Keras' layout."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")
REF = Path(__file__).parent / "reference"
EXPECTED = np.load(REF / "attention_int8_expected.npz")


@pytest.mark.parametrize("name", ["attention", "int8"])
def test_keras_file_predicts_as_keras(name, tmp_path):
    model = tf.keras.models.load_model(REF / f"{name}.keras")
    got = model.predict(EXPECTED[f"{name}_x"], verbose=0)
    np.testing.assert_allclose(got, EXPECTED[f"{name}_y"], rtol=1e-5, atol=1e-6)
    path = tmp_path / f"{name}.keras"
    model.save(path)  # written back in Keras' layout, read again
    again = tf.keras.models.load_model(path)
    np.testing.assert_allclose(
        again.predict(EXPECTED[f"{name}_x"], verbose=0), got, rtol=1e-6, atol=1e-6
    )


def test_int8_layers_come_back_quantized():
    model = tf.keras.models.load_model(REF / "int8.keras")
    modes = {type(layer).__name__: layer.quantization_mode for layer in model.layers}
    assert modes["EinsumDense"] == modes["Dense"] == modes["Embedding"] == "int8"
    einsum = model.get_layer(index=2)
    assert einsum.kernel_scale.shape == (1, 1, 2, 4)  # Keras' layout along the output


def test_attention_sublayers_in_keras_layout(tmp_path):
    tf.random.set_seed(0)
    inputs = tf.keras.Input((5, 8))
    outputs = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    model = tf.keras.Model(inputs, outputs)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5") as f:
        group = "layers/multi_head_attention"
        for name in ("query_dense", "key_dense", "value_dense", "output_dense"):
            assert f[f"{group}/{name}/vars/0"].ndim == 3
        assert len(f[f"{group}/vars"]) == 0


def test_files_of_the_earlier_flat_attention_layout_still_load(tmp_path):
    tf.random.set_seed(1)
    inputs = tf.keras.Input((5, 8))
    outputs = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    model = tf.keras.Model(inputs, outputs)
    x = np.random.default_rng(0).random((2, 5, 8), dtype=np.float32)
    expected = model(x).numpy()
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as f:  # rewrite as gpuflow wrote it before: all 8 in vars
        group = "layers/multi_head_attention"
        arrays = []
        for name in ("query_dense", "key_dense", "value_dense", "output_dense"):
            arrays += [f[f"{group}/{name}/vars/{i}"][()] for i in range(2)]
            del f[f"{group}/{name}"]
        for name in ("_dropout_layer", "_softmax"):
            del f[f"{group}/{name}"]
        for i, array in enumerate(arrays):
            f[f"{group}/vars/{i}"] = array
    fresh = tf.keras.Model(inputs, outputs)
    for variable in fresh.weights:
        variable.assign(np.zeros(variable.shape, np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh.load_weights(path)
    np.testing.assert_allclose(fresh(x).numpy(), expected, rtol=1e-6)
