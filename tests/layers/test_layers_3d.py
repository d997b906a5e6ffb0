"""Conv3D, MaxPooling3D, AveragePooling3D, GlobalAverage/MaxPooling3D, UpSampling3D,
ZeroPadding3D, Cropping3D: shapes, values, gradients, configs, errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.testing import gradcheck

layers = gf.keras.layers
V = np.random.default_rng(0).standard_normal((2, 4, 5, 6, 3)).astype(np.float32)


def test_conv3d_layer_values_and_shape():
    layer = layers.Conv3D(4, (2, 3, 3), strides=(1, 2, 1), padding="same", activation="relu")
    y = layer(V)
    assert y.shape == (2, 4, 3, 6, 4) == layer.compute_output_shape(V.shape)
    assert layer.kernel.shape == (2, 3, 3, 3, 4) and layer.bias.shape == (4,)
    ref = gf.nn.relu(gf.nn.conv3d(V, layer.kernel, [1, 1, 2, 1, 1], "SAME") + layer.bias)
    np.testing.assert_allclose(y.numpy(), ref.numpy(), rtol=1e-6)
    grouped = layers.Conv3D(6, 1, groups=3)
    assert grouped(V).shape == (2, 4, 5, 6, 6) and grouped.kernel.shape == (1, 1, 1, 1, 6)


def test_conv3d_trains_and_has_gradients():
    layer = layers.Conv3D(2, 2)
    x = gf.constant(V)
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(layer(x) ** 2)
    grads = tape.gradient(loss, layer.trainable_weights)
    assert all(g is not None and g.shape == w.shape for g, w in zip(grads, layer.trainable_weights))
    k = np.random.default_rng(1).standard_normal((2, 2, 2, 3, 2))
    assert gradcheck(lambda a, b: gf.nn.conv3d(a, b, 1, "VALID"), [V[:1, :3, :3, :3], k])


def test_pooling_upsampling_padding_cropping():
    assert layers.MaxPooling3D()(V).shape == (2, 2, 2, 3, 3)
    avg = layers.AveragePooling3D((2, 1, 2), strides=1, padding="same")(V)
    assert avg.shape == V.shape
    np.testing.assert_allclose(
        layers.GlobalAveragePooling3D()(V).numpy(), V.mean(axis=(1, 2, 3)), rtol=1e-5
    )
    np.testing.assert_array_equal(
        layers.GlobalMaxPooling3D(keepdims=True)(V).numpy(), V.max(axis=(1, 2, 3), keepdims=True)
    )
    up = layers.UpSampling3D((1, 2, 3))(V).numpy()
    np.testing.assert_array_equal(up, V.repeat(2, axis=2).repeat(3, axis=3))
    padded = layers.ZeroPadding3D(((1, 0), 2, (0, 3)))(V).numpy()
    assert padded.shape == (2, 5, 9, 9, 3)
    np.testing.assert_array_equal(padded[:, 1:, 2:7, :6], V)
    cropped = layers.Cropping3D(((1, 0), (1, 2), 1))(V).numpy()
    np.testing.assert_array_equal(cropped, V[:, 1:, 1:3, 1:5])
    assert layers.Cropping3D()(V).shape == (2, 2, 3, 4, 3)


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.Conv3D(2, 3, dilation_rate=(1, 2, 1), padding="same"),
        lambda: layers.MaxPooling3D((1, 2, 2)),
        lambda: layers.AveragePooling3D(2, padding="same"),
        lambda: layers.GlobalAveragePooling3D(keepdims=True),
        lambda: layers.GlobalMaxPooling3D(),
        lambda: layers.UpSampling3D(2),
        lambda: layers.ZeroPadding3D(1),
        lambda: layers.Cropping3D((1, 0, 1)),
    ],
)
def test_3d_config_round_trip(make):
    layer = make()
    layer(V)
    config = layer.get_config()
    again = type(layer).from_config(config)
    assert again.get_config() == config
    assert again(V).shape == layer(V).shape


def test_3d_errors():
    with pytest.raises(ValueError, match=r"\[batch, depth, height, width, channels\]"):
        layers.Conv3D(2, 2)(V[0])
    with pytest.raises(ValueError, match="smaller than"):
        layers.MaxPooling3D((5, 1, 1))(V)
    with pytest.raises(ValueError, match="removes every entry"):
        layers.Cropping3D(((2, 2), 0, 0))(V)
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv3D(2, (2, 2))
    with pytest.raises(TypeError):
        layers.AveragePooling3D()
