"""Keras 3 int8 quantization: layer.quantize("int8") / model.quantize on Dense and Embedding."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras


def _model():
    gf.random.set_seed(0)
    return keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(4)]
    )


def _quantized(model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # InputLayer has no quantize, as in Keras
        model.quantize("int8")
    return model


def _reference_dense(x, layer):
    """Keras' int8 Dense in NumPy: inputs quantized per row, exact int sums, scaled back."""
    k = layer.kernel.numpy().astype(np.float32)
    scale = 127.0 / (np.abs(x).max(axis=-1, keepdims=True) + 1e-7)
    xq = np.clip(np.round(x * scale), -127, 127)
    return (xq @ k) / (scale * layer.kernel_scale.numpy()) + layer.bias.numpy()


def test_quantize_stores_int8_kernels_with_per_unit_scales():
    model = _model()
    x = np.random.default_rng(0).random((3, 8), dtype=np.float32)
    before = model(x).numpy()
    float_kernel = model.layers[0].kernel.numpy()
    _quantized(model)
    layer = model.layers[0]
    assert layer.quantization_mode == "int8"
    assert layer.dtype_policy.name == "int8_from_float32"
    assert [(w.name.split("/")[-1], w.dtype.name) for w in layer.weights] == [
        ("bias", "float32"),
        ("kernel", "int8"),
        ("kernel_scale", "float32"),
    ]
    expected_scale = 127 / (np.abs(float_kernel).max(axis=0) + 1e-7)
    np.testing.assert_allclose(layer.kernel_scale.numpy(), expected_scale, rtol=1e-6)
    np.testing.assert_array_equal(
        layer.kernel.numpy(), np.clip(np.round(float_kernel * expected_scale), -127, 127)
    )
    out = model(x).numpy()
    hidden = np.maximum(_reference_dense(x, layer), 0)
    np.testing.assert_allclose(out, _reference_dense(hidden, model.layers[1]), rtol=1e-4, atol=1e-5)
    assert 0 < np.abs(out - before).max() < 0.05
    assert [w.name.split("/")[-1] for w in model.trainable_weights] == ["bias", "bias"]


def test_a_quantized_model_trains_its_biases_through_the_float_kernel_gradient():
    model = _quantized(_model())
    x = np.random.default_rng(1).random((4, 8), dtype=np.float32)
    layer = model.layers[0]
    with gf.GradientTape() as tape:
        xt = gf.constant(x)
        tape.watch(xt)
        y = gf.reduce_sum(layer(xt))
    (dx,) = tape.gradient(y, [xt])
    pre = _reference_dense(x, layer)
    kernel = layer.kernel.numpy() / layer.kernel_scale.numpy()
    np.testing.assert_allclose(dx.numpy(), (pre > 0).astype(np.float32) @ kernel.T, rtol=1e-5)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    bias = model.layers[1].bias.numpy().copy()
    model.fit(x, np.zeros((4, 4)), epochs=2, verbose=0)
    assert not np.allclose(model.layers[1].bias.numpy(), bias)


def test_keras_file_keeps_int8_weights(tmp_path):
    import zipfile

    import h5py

    model = _quantized(_model())
    x = np.random.default_rng(2).random((3, 8), dtype=np.float32)
    expected = model(x).numpy()
    path = tmp_path / "q.keras"
    model.save(str(path))
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5") as f:
        assert f["layers/dense/vars/0"].dtype == np.int8  # kernel, bias, kernel_scale
        assert f["layers/dense/vars/2"].shape == (16,)
    loaded = keras.models.load_model(str(path))
    assert loaded.layers[0].quantization_mode == "int8"
    np.testing.assert_allclose(loaded(x).numpy(), expected, rtol=1e-6, atol=1e-6)


def test_embedding_int8_rows():
    embedding = keras.layers.Embedding(10, 4)
    ids = np.array([[1, 2, 3]])
    before = embedding(ids).numpy()
    table = embedding.embeddings.numpy()
    embedding.quantize("int8")
    assert [(w.name.split("/")[-1], w.shape) for w in embedding.weights] == [
        ("embeddings", (10, 4)),
        ("embeddings_scale", (10,)),
    ]
    scale = 127 / (np.abs(table).max(axis=-1) + 1e-7)
    np.testing.assert_allclose(embedding.embeddings_scale.numpy(), scale, rtol=1e-6)
    np.testing.assert_allclose(embedding(ids).numpy(), before, atol=0.01)


def test_quantize_errors():
    model = _quantized(_model())
    with pytest.raises(ValueError, match="already quantized with dtype_policy='int8_from_float32'"):
        model.layers[0].quantize("int8")
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        _model().quantize("int9")
    einsum = keras.Sequential([keras.Input((8,)), keras.layers.EinsumDense("ab,bc->ac", 4)])
    with pytest.raises(NotImplementedError, match="int8"):
        einsum.quantize("int4")  # gpuflow's int4 is Dense only: refused, not skipped

    class MyDense(keras.layers.Dense):
        pass

    layer = MyDense(2)
    layer(np.ones((1, 3), np.float32))
    with pytest.raises(NotImplementedError, match="does not have a `quantize` method"):
        layer.quantize("int8")
    with pytest.raises(NotImplementedError, match="does not have a `quantize` method"):
        keras.layers.ReLU().quantize("int8")
