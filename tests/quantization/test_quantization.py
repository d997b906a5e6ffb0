"""quantize_model: per-layer error bounds, int8 storage, save/load (~4x smaller), devices,
errors."""

from __future__ import annotations

import os

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers
from gpuflow.models.saving import load_model
from gpuflow.quantization import QuantizedConv2D, QuantizedDense, quantize_model


def _data(n=64):
    return np.random.default_rng(0).random((n, 10, 10, 1)).astype("float32")


def _cnn():
    gf.random.set_seed(0)
    return gf.keras.Sequential(
        [
            layers.Conv2D(
                6,
                (3, 3),
                strides=(2, 2),
                padding="same",
                activation="relu",
                input_shape=(10, 10, 1),
            ),
            layers.Conv2D(5, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2), padding="same"),
            layers.Flatten(),
            layers.Dense(16, activation="tanh"),
            layers.Dense(4, activation="softmax"),
        ]
    )


def _bound(x, kernel_2d, qlayer):
    """Worst-case |y_int8 - y_float| per output of x [M, K] @ kernel [K, N]: each input is off by at
    most s_x/2 and each weight by s_w[n]/2, so the error is at most
    sum_k |x_k| s_w/2 + |w_kn| s_x/2 + s_x s_w/4 (plus float32 rounding)."""
    sx = float(qlayer.input_scale.numpy())
    sw = qlayer.kernel_scale.numpy().astype(np.float64)
    ax, aw = np.abs(x).astype(np.float64), np.abs(kernel_2d).astype(np.float64)
    return ax.sum(1, keepdims=True) * sw / 2 + aw.sum(0) * sx / 2 + x.shape[1] * sx * sw / 4 + 1e-5


def test_every_layer_within_its_error_bound():
    model = _cnn()
    x = _data()
    q = quantize_model(model, x)
    h = gf.constant(x)
    for src, dst in zip(model.layers, q.layers):
        want = src(h, training=False)
        got = dst(h, training=False)
        if isinstance(dst, (QuantizedDense, QuantizedConv2D)):
            k2 = src.kernel.numpy().reshape(-1, src.kernel.shape[-1])
            if isinstance(dst, QuantizedConv2D):  # the same patches the layer multiplies
                from gpuflow.ops.conv import _Geometry

                geo = _Geometry(tuple(h.shape), *src.kernel_size, *src.strides, src.padding)
                cols = geo.windows(np, geo.padded(np, h.numpy())).reshape(-1, k2.shape[0])
            else:
                cols = h.numpy()
            pre = cols @ k2 + src.bias.numpy()
            qpre, relu = dst._int8_dense(np.ascontiguousarray(cols, np.float32))
            pre = np.maximum(pre, 0) if relu else pre  # ReLU is 1-Lipschitz: the bound still holds
            err = np.abs(qpre - pre)
            assert (err <= _bound(cols, k2, dst)).all(), dst.name
            assert err.max() < 0.02 * np.abs(pre).max(), dst.name  # and small in practice
            np.testing.assert_allclose(
                got.numpy(), want.numpy(), atol=0.05 * np.abs(want.numpy()).max() + 1e-6
            )
        else:
            np.testing.assert_array_equal(got.numpy(), want.numpy())
        h = want  # each layer is checked on the float model's own activations


def test_weights_are_int8_per_channel():
    model = _cnn()
    q = quantize_model(model, _data())
    dense = q.layers[-1]
    assert isinstance(dense, QuantizedDense) and dense.kernel.dtype == "int8"
    assert dense.kernel.shape == (4, 16) and dense.kernel_scale.shape == (4,)
    w = model.layers[-1].kernel.numpy()
    np.testing.assert_allclose(dense.kernel_scale.numpy(), np.abs(w).max(0) / 127, rtol=1e-6)
    assert (
        np.abs(dense.kernel.numpy()).max(axis=1).tolist() == [127] * 4
    )  # each channel uses the full range
    np.testing.assert_allclose(
        dense.kernel.numpy().T * dense.kernel_scale.numpy(),
        w,
        atol=dense.kernel_scale.numpy().max() / 2 + 1e-7,
    )
    assert all(not w.trainable for w in q.weights) and q.layers[0].dtype_policy.name == "float32"


def test_save_load_roundtrip_and_size(tmp_path):
    gf.random.set_seed(0)
    model = gf.keras.Sequential(
        [layers.Dense(256, activation="relu", input_shape=(300,)), layers.Dense(10)]
    )
    x = np.random.default_rng(0).random((50, 300)).astype("float32")
    q = quantize_model(model, x)
    model.save(tmp_path / "f.gpuflow", include_optimizer=False)
    q.save(tmp_path / "q.gpuflow")
    ratio = os.path.getsize(tmp_path / "f.gpuflow") / os.path.getsize(tmp_path / "q.gpuflow")
    assert 3.5 < ratio <= 4.0
    loaded = load_model(tmp_path / "q.gpuflow")
    assert [type(layer).__name__ for layer in loaded.layers] == ["QuantizedDense", "QuantizedDense"]
    assert loaded.layers[0].kernel.dtype == "int8"
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), q.predict(x, verbose=0))


def test_cuda_emu_matches_cpu(tmp_path):
    if "cuda-emu" not in gf.list_devices():
        pytest.skip("cuda-emu is not available here")
    model = _cnn()
    x = _data(16)
    q = quantize_model(model, x)
    q.save(tmp_path / "q.gpuflow")
    with gf.device("cuda-emu"):
        on_emu = load_model(tmp_path / "q.gpuflow")
        got = on_emu.predict(x, verbose=0)
    np.testing.assert_allclose(got, q.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_mixed_float16_model_quantizes_to_float32():
    with gf.mixed_precision.policy_scope("mixed_float16"):
        model = _cnn()
    q = quantize_model(model, _data())
    assert all(layer.dtype_policy.name == "float32" for layer in q.layers)
    assert q.predict(_data(4), verbose=0).dtype == np.float32


def test_errors_name_the_problem():
    class Sub(gf.Model):
        def call(self, x):
            return x

    with pytest.raises(TypeError, match="Sequential model, received Sub"):
        quantize_model(Sub(), _data())
    with pytest.raises(ValueError, match=r"expects samples of shape \(10, 10, 1\)"):
        quantize_model(_cnn(), np.zeros((4, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match="no Dense or Conv2D"):
        quantize_model(
            gf.keras.Sequential([layers.Flatten(input_shape=(2, 2))]), np.zeros((2, 2, 2))
        )
    with pytest.raises(ValueError, match="NaN or Inf"):
        quantize_model(_cnn(), np.full((2, 10, 10, 1), np.nan, "float32"))
