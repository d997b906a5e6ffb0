"""Dense int4 quantization (Keras 3.15's ``quantize("int4")``): layouts, weights, values
against a NumPy model of Keras' formulas, files and refusals."""

import math
import warnings

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras

Q = keras.quantizers


def _model(units=5, rows=40):
    gf.random.set_seed(0)
    model = keras.Sequential([keras.Input((rows,)), keras.layers.Dense(units, name="d")])
    rng = np.random.default_rng(1)
    model.set_weights(
        [rng.normal(size=(rows, units)).astype("float32"), np.arange(units, dtype="float32")]
    )
    return model


def _quantize(model, config=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # InputLayer has no quantize, as in Keras
        model.quantize("int4", config=config)
    return model


def _unpack(packed, units):
    p = packed.view(np.uint8)
    both = np.stack([p & 15, p >> 4], -1).reshape(p.shape[0], -1)[:, :units].astype(np.int8)
    return np.where(both > 7, both - 16, both).astype(np.int8)


def test_per_channel_layout_values_and_policy():
    model = _model()
    w, b = (v.numpy() for v in model.weights)
    _quantize(model, Q.Int4QuantizationConfig(block_size=None))
    layer = model.layers[0]
    assert layer.dtype_policy.name == "int4/-1_from_float32"
    assert type(layer.dtype_policy).__name__ == "Int4DTypePolicy"
    assert layer.quantization_mode == "int4"
    assert [v.name for v in model.weights] == ["bias", "kernel", "kernel_scale"]
    assert [v.dtype for v in model.weights] == ["float32", "int8", "float32"]
    assert model.weights[1].shape == (40, 3) and not model.weights[1].trainable
    scale = 7.0 / (np.abs(w).max(0) + 1e-7)
    q = np.clip(np.round(w * scale), -8, 7).astype(np.int8)
    np.testing.assert_array_equal(_unpack(model.weights[1].numpy(), 5), q)
    np.testing.assert_array_equal(np.asarray(layer.kernel), q)  # Keras: the unpacked int4
    np.testing.assert_allclose(layer.kernel_scale.numpy(), scale, rtol=1e-6)
    x = np.random.default_rng(2).normal(size=(3, 40)).astype("float32")
    np.testing.assert_allclose(model(x).numpy(), x @ q / scale + b, rtol=1e-5, atol=1e-5)


def test_layer_quantize_without_config_uses_the_model_default():
    # Keras resolves a layer's quantize("int4") to the default config (blocks of 128 rows),
    # as Model.quantize does: both give the same layout, weights and outputs
    by_model, by_layer = _quantize(_model(units=4, rows=10)), _model(units=4, rows=10)
    by_layer.layers[0].quantize("int4")
    layer = by_layer.layers[0]
    assert layer.dtype_policy.name == "int4/128_from_float32"
    assert layer.quantization_config.block_size == 128
    assert [(v.name, v.shape) for v in by_layer.weights] == [
        (v.name, v.shape) for v in by_model.weights
    ]
    assert [v.name for v in layer.weights][-2:] == ["kernel_zero", "g_idx"]
    x = np.random.default_rng(3).normal(size=(2, 10)).astype("float32")
    np.testing.assert_array_equal(by_layer(x).numpy(), by_model(x).numpy())
    embedding = keras.layers.Embedding(20, 6)
    embedding.build()
    embedding.quantize("int4")
    assert embedding.dtype_policy.name == "int4/128_from_float32"
    assert embedding.quantization_config.block_size == 128


def test_sub_channel_default_block_128():
    model = _model(units=4, rows=300)
    w, b = (v.numpy() for v in model.weights)
    _quantize(model)
    layer = model.layers[0]
    assert layer.dtype_policy.name == "int4/128_from_float32"
    assert layer.quantization_config.block_size == 128
    assert [(v.name, v.shape, v.dtype) for v in model.weights] == [
        ("bias", (4,), "float32"),
        ("kernel", (300, 2), "int8"),
        ("kernel_scale", (3, 4), "float32"),
        ("kernel_zero", (3, 4), "int8"),
        ("g_idx", (300,), "float32"),
    ]
    np.testing.assert_array_equal(layer.g_idx.numpy(), np.arange(300) // 128)
    groups = math.ceil(300 / 128)
    padded = np.concatenate([w, np.zeros((groups * 128 - 300, 4), "float32")]).reshape(
        groups, 128, 4
    )
    low, high = padded.min(1), padded.max(1)
    scale = (high - low + 1e-7) / 15
    zero = np.clip(np.round(-low / scale) - 8, -8, 7)
    np.testing.assert_allclose(layer.kernel_scale.numpy(), scale, rtol=1e-6)
    np.testing.assert_array_equal(layer.kernel_zero.numpy(), zero)
    rows = np.arange(300) // 128
    q = _unpack(layer._kernel.numpy(), 4).astype("float32")
    assert q.min() >= -8 and q.max() <= 7
    kernel = (q - zero[rows]) * scale[rows]
    np.testing.assert_allclose(kernel, w, atol=float(scale.max()))  # within one step
    x = np.random.default_rng(3).normal(size=(2, 300)).astype("float32")
    np.testing.assert_allclose(model(x).numpy(), x @ kernel + b, rtol=1e-4, atol=1e-4)


def test_fit_trains_bias_and_input_gradient(tmp_path):
    inp = keras.Input((12,))
    hidden = keras.layers.Dense(6, name="h")(inp)
    model = keras.Model(inp, keras.layers.Dense(2, name="o")(hidden))
    _quantize(model, Q.Int4QuantizationConfig(block_size=4))
    assert [v.name for v in model.trainable_weights] == ["bias", "bias"]
    model.compile("sgd", "mse")
    before = model.layers[1].bias.numpy().copy()
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(16, 12)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")
    model.fit(x, y, epochs=2, verbose=0)
    assert np.abs(model.layers[1].bias.numpy() - before).max() > 0  # through layer o's kernel
    out = model.predict(x, verbose=0)
    model.save(tmp_path / "m.keras")
    model.save_weights(tmp_path / "m.weights.h5")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[1].dtype_policy.name == "int4/4_from_float32"
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), out)
    fresh = keras.Model.from_config(model.get_config())
    fresh.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), out)


def test_refusals():
    model = _quantize(_model())
    with pytest.raises(ValueError, match="already quantized with dtype_policy='int4/128_from"):
        model.layers[0].quantize("int4")
    einsum = keras.Sequential(
        [keras.Input((3,)), keras.layers.EinsumDense("ab,bc->ac", 4), keras.layers.Dense(2)]
    )
    with pytest.raises(NotImplementedError, match="EinsumDense"):
        einsum.quantize("int4")
    assert einsum.layers[1].quantization_mode is None  # refused before any layer changed
    reversible = keras.layers.ReversibleEmbedding(10, 4)
    reversible.build()
    with pytest.raises(NotImplementedError, match="ReversibleEmbedding"):
        reversible.quantize("int4")
    lora = keras.layers.Dense(3, lora_rank=2)
    lora.build((None, 4))
    with pytest.raises(NotImplementedError, match="LoRA"):
        lora.quantize("int4")
    with pytest.raises(ValueError, match="Contradictory"):
        _model().layers[0].quantize("int4", config=Q.Int8QuantizationConfig())


def test_lora_after_int4_is_refused():
    model = _quantize(_model())
    with pytest.raises(NotImplementedError, match="LoRA"):
        model.layers[0].enable_lora(2)
    assert not model.layers[0].lora_enabled


@pytest.mark.parametrize("block_size", [None, 4])
def test_embedding_int4(block_size, tmp_path):
    gf.random.set_seed(0)
    layer = keras.layers.Embedding(12, 9)
    layer.build()
    table = np.random.default_rng(6).normal(size=(12, 9)).astype("float32")
    layer.embeddings.assign(table)
    layer.quantize("int4", config=Q.Int4QuantizationConfig(block_size=block_size))
    ids = np.array([[0, 5], [11, 5]], "int32")
    names = [(v.name, v.shape) for v in layer.weights]
    q = _unpack(layer._embeddings.numpy(), 9).astype("float32")
    assert layer._embeddings.shape == (12, 5)
    if block_size is None:
        assert layer.dtype_policy.name == "int4/-1_from_float32"
        assert names == [("embeddings", (12, 5)), ("embeddings_scale", (12,))]
        scale = 7.0 / (np.abs(table).max(1) + 1e-7)
        np.testing.assert_allclose(layer.embeddings_scale.numpy(), scale, rtol=1e-6)
        np.testing.assert_array_equal(q, np.clip(np.round(table * scale[:, None]), -8, 7))
        dequant = q / scale[:, None]
        assert np.abs(dequant - table).max() <= (0.5 + 1e-4) / scale.min()  # half a step
    else:
        assert layer.dtype_policy.name == "int4/4_from_float32"
        assert [n for n, _ in names] == [
            "embeddings",
            "embeddings_scale",
            "embeddings_zero",
            "g_idx",
        ]
        assert layer.embeddings_scale.shape == (12, 3)  # ceil(9 / 4) groups of columns
        cols = np.arange(9) // 4
        zero = layer.embeddings_zero.numpy()[:, cols]
        dequant = (q - zero) * layer.embeddings_scale.numpy()[:, cols]
    np.testing.assert_allclose(layer(ids).numpy(), dequant[ids], rtol=1e-6, atol=1e-6)
    model = keras.Sequential([keras.Input((2,), dtype="int32"), layer])
    model.save(tmp_path / "e.keras")
    loaded = keras.models.load_model(tmp_path / "e.keras")
    np.testing.assert_array_equal(loaded(ids).numpy(), layer(ids).numpy())
