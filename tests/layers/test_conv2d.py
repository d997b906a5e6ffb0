"""Conv2D: forward and backward vs a loop NumPy reference on every device and dtype,
gradcheck, errors."""

from __future__ import annotations

import numpy as np
import pytest
from layer_helpers import (
    as_function,
    assert_close,
    conv_ref,
    conv_ref_grads,
    grads,
    rand,
)

import gpuflow as gf
from gpuflow import layers

GEOMETRIES = [((3, 3), (1, 1), "same"), ((3, 3), (2, 2), "valid"), ((2, 3), (2, 1), "same")]


@pytest.mark.parametrize("kernel_size,strides,padding", GEOMETRIES)
def test_forward_matches_numpy(device, float_dtype, kernel_size, strides, padding):
    with gf.device(device):
        layer = layers.Conv2D(
            3,
            kernel_size,
            strides=strides,
            padding=padding,
            dtype=float_dtype,
            bias_initializer="random_normal",
        )
        x = rand((2, 5, 6, 2), float_dtype)
        y = layer(x)
    kernel, bias = layer.get_weights()
    expected = conv_ref(x.astype("float64"), kernel.astype("float64"), bias, strides, padding)
    assert y.dtype == float_dtype and y.device == device
    assert tuple(y.shape) == expected.shape == layer.compute_output_shape((2, 5, 6, 2))
    assert_close(y, expected, float_dtype)


@pytest.mark.parametrize("activation", [None, "relu"])
@pytest.mark.parametrize("kernel_size,strides,padding", GEOMETRIES[:2])
def test_backward_matches_numpy(device, float_dtype, activation, kernel_size, strides, padding):
    with gf.device(device):
        layer = layers.Conv2D(
            2,
            kernel_size,
            strides=strides,
            padding=padding,
            activation=activation,
            dtype=float_dtype,
        )
        x = rand((2, 5, 5, 3), float_dtype)
        layer.build((None, 5, 5, 3))
        layer.bias.assign(rand((2,), float_dtype, seed=4) * 0.1)
        kernel, bias = layer.get_weights()
        _, (dx, dk, db), g = grads(
            as_function(layer, ["kernel", "bias"]), [x, kernel, bias], device
        )
    x64, k64 = x.astype("float64"), kernel.astype("float64")
    g = g.astype("float64")
    if activation == "relu":
        g = g * (conv_ref(x64, k64, bias, strides, padding) > 0)
    ref_dx, ref_dk, ref_db = conv_ref_grads(x64, k64, g, strides, padding)
    assert_close(dx, ref_dx, float_dtype)
    assert_close(dk, ref_dk, float_dtype)
    assert_close(db, ref_db, float_dtype)


@pytest.mark.parametrize("activation", [None, "relu", "tanh"])
def test_gradcheck(device, activation):
    with gf.device(device):
        layer = layers.Conv2D(
            2, 2, strides=(2, 1), padding="same", activation=activation, dtype="float64"
        )
        x = rand((1, 3, 4, 2), seed=2)
        layer.build((None, 3, 4, 2))
        kernel = layer.get_weights()[0]
        bias = rand((2,), seed=3) * 0.1
        assert gf.testing.gradcheck(
            as_function(layer, ["kernel", "bias"]), [x, kernel, bias], device=device
        )


def test_relu_is_fused_into_the_conv_op(monkeypatch):
    from gpuflow.layers import conv

    seen = []
    real = conv.conv2d
    monkeypatch.setattr(
        conv, "conv2d", lambda *a, **k: seen.append(k["activation"]) or real(*a, **k)
    )
    layers.Conv2D(2, 3, activation="relu")(np.ones((1, 4, 4, 1)))
    layers.Conv2D(2, 3, activation="sigmoid")(np.ones((1, 4, 4, 1)))
    assert seen == ["relu", None]


def test_issue_conv_net_shapes():
    first = layers.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu")
    second = layers.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu")
    assert first.compute_output_shape((None, 28, 28, 1)) == (None, 13, 13, 16)
    assert second.compute_output_shape((None, 13, 13, 16)) == (None, 6, 6, 16)
    y = second(first(np.zeros((2, 28, 28, 1), "float32")))
    assert tuple(y.shape) == (2, 6, 6, 16)
    assert [tuple(w.shape) for w in first.weights] == [(3, 3, 1, 16), (16,)]
    assert first.output_shape == (None, 13, 13, 16)


def test_errors_name_the_layer():
    with pytest.raises(
        ValueError,
        match=r"Conv2D 'conv2d': data_format must be 'channels_last' or 'channels_first', "
        "received 'NCHW'",
    ):
        layers.Conv2D(4, 3, data_format="NCHW")
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same', received 'full'"):
        layers.Conv2D(4, 3, padding="full")
    with pytest.raises(
        ValueError, match="filters must be divisible by groups, received filters=4, groups=3"
    ):
        layers.Conv2D(4, 3, groups=3)
    layer = layers.Conv2D(4, 3)
    with pytest.raises(
        ValueError,
        match=r"Conv2D 'conv2d_\d': expected input of rank 4 \(\[batch, height, width, "
        r"channels\]\), received shape \(5, 5, 1\)",
    ):
        layer(np.zeros((5, 5, 1), "float32"))
    layer(np.zeros((1, 5, 5, 3), "float32"))
    with pytest.raises(
        ValueError, match=r"expected input with last axis 3, received shape \(1, 5, 5, 1\)"
    ):
        layer(np.zeros((1, 5, 5, 1), "float32"))


def test_config_round_trip():
    layer = layers.Conv2D(
        8,
        (3, 2),
        strides=2,
        padding="SAME",
        activation="relu",
        use_bias=False,
        kernel_initializer="he_normal",
    )
    config = layer.get_config()
    assert (
        config["kernel_size"] == (3, 2)
        and config["strides"] == (2, 2)
        and config["padding"] == "same"
    )
    assert config["kernel_initializer"] == {
        "module": "keras.initializers",
        "class_name": "HeNormal",
        "config": {"seed": None, "input_axes": None, "output_axes": None},  # Keras 3.15
        "registered_name": None,
    }
    assert layers.Conv2D.from_config(config).get_config() == config
    assert layers.deserialize(layers.serialize(layer)).get_config() == config


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.Conv2D(2, 3, strides=2, dilation_rate=2),
        lambda: layers.Conv1D(2, 3, strides=(2,), dilation_rate=3),
        lambda: layers.Conv3D(2, 2, strides=(1, 2, 1), dilation_rate=(2, 1, 1)),
        lambda: layers.Conv2DTranspose(2, 3, strides=2, dilation_rate=2),
        lambda: layers.Conv1DTranspose(2, 3, strides=2, dilation_rate=2),
    ],
)
def test_strides_with_dilation_refused_as_keras(make):
    with pytest.raises(ValueError, match=r"strides > 1 not supported in conjunction with dil"):
        make()


def test_strides_or_dilation_alone_still_build():
    x = np.ones((1, 9, 9, 2), "float32")
    assert layers.Conv2D(2, 3, strides=2)(x).shape == (1, 4, 4, 2)
    assert layers.Conv2D(2, 3, dilation_rate=2)(x).shape == (1, 5, 5, 2)
    assert layers.DepthwiseConv2D(3, strides=2, dilation_rate=1)(x).shape == (1, 4, 4, 2)


def test_conv_lstm_refuses_channels_first_with_a_permutation():
    # TensorFlow cannot run it on the CPU either; the convolution layers take it
    # (tests/layers/test_channels_first.py)
    with pytest.raises(ValueError, match=r"\[0, 2, 3, 1\] for \[batch, channels, height, width\]"):
        gf.keras.layers.ConvLSTM2D(2, 3, data_format="channels_first")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_input_smaller_than_the_kernel_is_a_value_error_at_build(data_format):
    """Keras 3 checks the output size when the layer builds: a ValueError (not the op's
    InvalidArgumentError), eager or on a keras.Input, naming the shape as given."""
    shape = (2, 2, 9, 1) if data_format == "channels_last" else (2, 1, 2, 9)
    layer = layers.Conv2D(2, 3, data_format=data_format)
    with pytest.raises(ValueError, match=r"output size would be zero") as info:
        layer(np.ones(shape, "float32"))
    assert not isinstance(info.value, gf.errors.InvalidArgumentError)
    assert f"inputs shape={shape}" in str(info.value)
    with pytest.raises(ValueError, match="output size would be zero"):
        layers.Conv2D(2, 3, strides=2)(gf.keras.Input(shape[1:]))
    # the smallest input that fits still works
    ok = (2, 3, 9, 1) if data_format == "channels_last" else (2, 1, 3, 9)
    assert layers.Conv2D(2, 3, data_format=data_format)(np.ones(ok, "float32")).shape[0] == 2
