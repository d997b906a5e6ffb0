"""Dense float8 (Keras 3.15's ``quantize("float8")``): variables, the forward rounding, the
scale/history updates a training step writes in place, files and refusals."""

import warnings

import ml_dtypes
import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras


def _model():
    gf.random.set_seed(0)
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(3, name="d")])
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in model.weights])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # InputLayer has no quantize, as in Keras
        model.quantize("float8")
    return model


def _e4m3(x, scale=1.0):
    x = np.clip(x / scale, -448, 448).astype(ml_dtypes.float8_e4m3fn).astype("float32")
    return x * scale


def test_variables_policy_and_forward():
    model = _model()
    layer = model.layers[0]
    assert layer.dtype_policy.name == "float8_from_float32"
    assert type(layer.dtype_policy).__name__ == "QuantizedFloat8DTypePolicy"
    assert [(v.name, v.shape, v.overwrite_with_gradient) for v in layer.weights] == [
        ("kernel", (10, 3), False),
        ("bias", (3,), False),
        ("inputs_scale", (), True),
        ("inputs_amax_history", (1024,), True),
        ("kernel_scale", (), True),
        ("kernel_amax_history", (1024,), True),
        ("outputs_grad_scale", (), True),
        ("outputs_grad_amax_history", (1024,), True),
    ]
    assert all(v.trainable for v in layer.weights)
    x = np.random.default_rng(1).normal(size=(4, 10)).astype("float32") * 3
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    bias16 = bias.astype(ml_dtypes.bfloat16).astype("float32")
    expected = _e4m3(x) @ _e4m3(kernel) + bias16
    np.testing.assert_allclose(model(x).numpy(), expected, rtol=1e-6, atol=1e-6)
    assert not np.allclose(expected, x @ kernel + bias, atol=1e-3)  # the rounding shows


def test_training_overwrites_scales_and_histories():
    model = _model()
    layer = model.layers[0]
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(8, 10)).astype("float32"), rng.normal(size=(8, 3)).astype("float32")
    model.compile(keras.optimizers.SGD(0.1), "mse")
    kernel0 = layer.kernel.numpy()
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    # step 1: the histories were empty, so the scales stay 1; histories get max|.| at 0
    assert layer.inputs_scale.numpy() == 1.0
    np.testing.assert_allclose(layer.inputs_amax_history.numpy()[0], np.abs(x).max())
    np.testing.assert_allclose(layer.kernel_amax_history.numpy()[0], np.abs(kernel0).max())
    assert np.count_nonzero(layer.inputs_amax_history.numpy()) == 1
    grad_amax = layer.outputs_grad_amax_history.numpy()[0]
    assert grad_amax > 0
    for _ in range(2):  # compiled replays must overwrite too, not apply SGD to them
        model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(layer.inputs_scale.numpy(), np.abs(x).max() / 448, rtol=1e-6)
    np.testing.assert_allclose(layer.kernel_scale.numpy(), np.abs(kernel0).max() / 448, rtol=1e-6)
    np.testing.assert_allclose(layer.outputs_grad_scale.numpy(), grad_amax / 57344, rtol=1e-6)
    assert not np.array_equal(layer.kernel.numpy(), kernel0)  # the kernel trains


def test_files_and_refusals(tmp_path):
    model = _model()
    x = np.random.default_rng(3).normal(size=(2, 10)).astype("float32")
    model.layers[0].inputs_scale.assign(0.01)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[0].dtype_policy.name == "float8_from_float32"
    assert loaded.layers[0].inputs_scale.numpy() == np.float32(0.01)
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())
    with pytest.raises(ValueError, match="already quantized"):
        model.layers[0].quantize("float8")
    inp = keras.Input((3, 4))
    attention = keras.Model(inp, keras.layers.MultiHeadAttention(2, 2)(inp, inp))
    attention.quantize("float8")  # Keras 3 quantizes the four EinsumDense projections
    mha = attention.layers[1]
    projections = (mha.query_dense, mha.key_dense, mha.value_dense, mha.output_dense)
    assert [p.quantization_mode for p in projections] == ["float8"] * 4
    assert attention(np.ones((1, 3, 4), "float32")).shape == (1, 3, 4)
    emb = keras.Sequential(
        [keras.Input((3,), dtype="int32"), keras.layers.Embedding(9, 4), keras.layers.Dense(2)]
    )
    with pytest.warns(UserWarning):
        emb.quantize("float8")  # Keras skips Embedding for float8 with a warning
    assert emb.layers[0].quantization_mode is None
    assert emb.layers[-1].quantization_mode == "float8"
    lora = keras.layers.Dense(3, lora_rank=2)
    lora.build((None, 4))
    with pytest.raises(NotImplementedError, match="LoRA"):
        lora.quantize("float8")


def test_lora_after_float8_is_refused():
    model = _model()
    with pytest.raises(NotImplementedError, match="LoRA"):
        model.layers[0].enable_lora(2)


def test_einsum_dense_float8():
    gf.random.set_seed(0)
    layer = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 4), bias_axes="d")
    x = np.random.default_rng(5).normal(size=(2, 3, 5)).astype("float32") * 4
    layer(x)
    layer.bias.assign(np.array([0.1, -0.2, 0.3, 1.0001], "float32"))
    layer.quantize("float8")
    assert layer.dtype_policy.name == "float8_from_float32"
    assert [v.name for v in layer.weights][2:4] == ["inputs_scale", "inputs_amax_history"]
    bias16 = layer.bias.numpy().astype(ml_dtypes.bfloat16).astype("float32")
    expected = np.einsum("abc,cd->abd", _e4m3(x), _e4m3(layer.kernel.numpy())) + bias16
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-5)
