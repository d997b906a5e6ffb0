"""data_format="channels_first": each layer gives its channels-last result on the transposed
input, with the same weights (gpuflow/layers/channels_first.py)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras

L = keras.layers

# (factory taking data_format, input shape in channels-last order)
CASES = {
    "Conv1D": (lambda f: L.Conv1D(4, 3, padding="same", data_format=f), (2, 7, 3)),
    "Conv2D": (lambda f: L.Conv2D(4, 3, strides=2, data_format=f), (2, 9, 8, 3)),
    "Conv2D-dilated": (lambda f: L.Conv2D(4, 3, dilation_rate=2, data_format=f), (2, 9, 8, 3)),
    "Conv3D": (lambda f: L.Conv3D(2, 2, data_format=f), (1, 4, 5, 4, 3)),
    "Conv2DTranspose": (lambda f: L.Conv2DTranspose(2, 3, strides=2, data_format=f), (1, 4, 5, 3)),
    "DepthwiseConv2D": (lambda f: L.DepthwiseConv2D(3, data_format=f), (2, 6, 6, 3)),
    "SeparableConv2D": (lambda f: L.SeparableConv2D(4, 3, data_format=f), (2, 6, 6, 3)),
    "MaxPooling1D": (lambda f: L.MaxPooling1D(2, data_format=f), (2, 8, 3)),
    "AveragePooling2D": (
        lambda f: L.AveragePooling2D(2, padding="same", data_format=f),
        (2, 5, 5, 3),
    ),
    "MaxPooling3D": (lambda f: L.MaxPooling3D(2, data_format=f), (1, 4, 4, 4, 3)),
    "ZeroPadding2D": (lambda f: L.ZeroPadding2D(((1, 0), (2, 1)), data_format=f), (1, 3, 4, 2)),
    "Cropping3D": (lambda f: L.Cropping3D(1, data_format=f), (1, 4, 5, 6, 2)),
    "UpSampling2D": (
        lambda f: L.UpSampling2D(2, data_format=f, interpolation="bilinear"),
        (1, 3, 4, 2),
    ),
    "UpSampling3D": (lambda f: L.UpSampling3D(2, data_format=f), (1, 2, 3, 2, 2)),
    "Resizing": (lambda f: L.Resizing(5, 3, data_format=f), (2, 7, 6, 3)),
    "CenterCrop": (lambda f: L.CenterCrop(3, 2, data_format=f), (2, 7, 6, 3)),
    "RandomFlip-unbatched": (lambda f: L.RandomFlip(seed=1, data_format=f), (7, 6, 3)),
    "RandomRotation": (lambda f: L.RandomRotation(0.2, seed=3, data_format=f), (2, 8, 8, 3)),
}


def _moved(x, batched=True):
    """``x`` channels-last -> channels-first."""
    start = 1 if batched else 0
    axes = list(range(start)) + [x.ndim - 1] + list(range(start, x.ndim - 1))
    return np.transpose(x, axes)


@pytest.mark.parametrize("name", sorted(CASES))
def test_channels_first_equals_channels_last_on_transposed_input(name):
    factory, shape = CASES[name]
    batched = "unbatched" not in name
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    last, first = factory("channels_last"), factory("channels_first")
    want = last(x, training=True)
    first.build(_moved(x, batched).shape)
    first.set_weights(last.get_weights())
    assert [w.shape for w in first.get_weights()] == [w.shape for w in last.get_weights()]
    got = first(_moved(x, batched), training=True)
    np.testing.assert_allclose(got.numpy(), _moved(want.numpy(), batched), rtol=1e-5, atol=1e-5)
    assert first.compute_output_shape(_moved(x, batched).shape) == tuple(got.shape)
    assert first.get_config()["data_format"] == "channels_first"


def test_channels_first_gradients_and_fit():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(1).random((16, 3, 8, 8)).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((3, 8, 8)),
            L.Conv2D(4, 3, activation="relu", data_format="channels_first"),
            L.MaxPooling2D(data_format="channels_first"),
            L.GlobalAveragePooling2D(data_format="channels_first"),
            L.Dense(1, activation="sigmoid"),
        ]
    )
    assert model.layers[0].output.shape == (None, 4, 6, 6)
    assert model.layers[1].output.shape == (None, 4, 3, 3)
    model.compile("adam", "binary_crossentropy")
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None and np.isfinite(g.numpy()).all() for g in grads)


def test_channels_first_model_saves_and_loads(tmp_path):
    inputs = keras.Input((2, 6, 6))
    h = L.Conv2D(3, 3, data_format="channels_first")(inputs)
    outputs = L.UpSampling2D(data_format="channels_first")(h)
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(2).random((2, 2, 6, 6)).astype("float32")
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), rtol=1e-6)
    assert loaded.layers[1].get_build_config()["input_shape"] == (None, 2, 6, 6)


def test_global_image_data_format_is_the_default():
    keras.config.set_image_data_format("channels_first")
    try:
        conv = L.Conv2D(2, 3)
        assert conv.data_format == "channels_first"
        assert conv(np.zeros((1, 3, 5, 5), "float32")).shape == (1, 2, 3, 3)
        assert L.Conv2D(2, 3, data_format="channels_last").data_format == "channels_last"
        for layer in (L.Flatten(), L.GlobalAveragePooling2D(), L.AdaptiveAveragePooling2D(2)):
            assert layer.data_format == "channels_first"
    finally:
        keras.config.set_image_data_format("channels_last")
    assert L.Conv2D(2, 3).data_format == "channels_last"


def test_channels_first_errors_name_the_layer_and_layout():
    conv = L.Conv2D(2, 3, data_format="channels_first")
    conv(np.zeros((1, 3, 5, 5), "float32"))
    with pytest.raises(
        ValueError,
        match=r"Conv2D 'conv2d.*': expected input with last axis 3, received shape \(1, 5, 5, 4\) "
        r"\(channels_first input of shape \(1, 4, 5, 5\) with its channels moved last\)",
    ):
        conv(np.zeros((1, 4, 5, 5), "float32"))
    with pytest.raises(ValueError, match="expected input of rank 4"):
        conv(np.zeros((3, 5, 5), "float32"))
