"""MaxPooling2D / AveragePooling2D vs an explicit-window NumPy reference, forward and backward."""

from __future__ import annotations

import numpy as np
import pytest
from layer_helpers import assert_close, grads, pool_ref, rand

import gpuflow as gf
from gpuflow import layers

CASES = [((2, 2), None, "valid"), ((3, 3), (2, 2), "same"), ((2, 3), (1, 2), "valid")]
CLASSES = {"max": layers.MaxPooling2D, "avg": layers.AveragePooling2D}


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("pool_size,strides,padding", CASES)
def test_forward_and_backward_match_numpy(device, float_dtype, mode, pool_size, strides, padding):
    x = rand((2, 5, 6, 3), float_dtype)
    with gf.device(device):
        layer = CLASSES[mode](pool_size, strides=strides, padding=padding, dtype=float_dtype)
        y, (dx,), g = grads(layer, [x], device)
    expected, backward = pool_ref(
        x.astype("float64"), pool_size, strides or pool_size, padding, mode
    )
    assert y.dtype == float_dtype and tuple(y.shape) == expected.shape
    assert layer.compute_output_shape((None, 5, 6, 3)) == (None,) + expected.shape[1:]
    assert_close(y, expected, float_dtype)
    assert_close(dx, backward(g.astype("float64")), float_dtype)


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_gradcheck(device, mode):
    layer = CLASSES[mode](2, strides=1, padding="same", dtype="float64")
    assert gf.testing.gradcheck(layer, [rand((1, 3, 3, 2), seed=7)], device=device)


def test_aliases_defaults_and_config():
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.AvgPool2D is layers.AveragePooling2D
    layer = layers.MaxPool2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2) and layer.name == "max_pooling2d"
    assert layer.weights == []
    for cls in CLASSES.values():
        config = cls(3, strides=(1, 2), padding="same").get_config()
        assert config["pool_size"] == (3, 3) and config["strides"] == (1, 2)
        assert (
            layers.deserialize({"class_name": cls.__name__, "config": config}).get_config()
            == config
        )


def test_errors():
    with pytest.raises(ValueError, match=r"MaxPooling2D 'max_pooling2d': expected input of rank 4"):
        layers.MaxPooling2D()(np.zeros((4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="pool_size must be a positive integer, received 0"):
        layers.AveragePooling2D(0)
    with pytest.raises(ValueError, match="data_format must be 'channels_last' or 'channels_first'"):
        layers.AveragePooling2D(data_format="NCHW")


@pytest.mark.parametrize(
    "cls, shape",
    [
        (layers.GlobalAveragePooling1D, (2, 3, 5)),
        (layers.GlobalMaxPooling1D, (2, 3, 5)),
        (layers.GlobalAveragePooling2D, (2, 3, 4, 5)),
        (layers.GlobalMaxPooling2D, (2, 3, 4, 5)),
        (layers.GlobalAveragePooling3D, (2, 3, 2, 2, 2)),
    ],
)
def test_global_pooling_channels_first(cls, shape):
    # Keras: channels_first pools every axis after the channels (axis 1)
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    ref = np.mean if "Average" in cls.__name__ else np.max
    axes = tuple(range(2, len(shape)))
    out = cls(data_format="channels_first")(x)
    assert_close(out.numpy(), ref(x, axis=axes), "float32")
    kept = cls(data_format="channels_first", keepdims=True)
    assert_close(kept(x).numpy(), ref(x, axis=axes, keepdims=True), "float32")
    assert kept.compute_output_shape((None,) + shape[1:]) == (None, 3) + (1,) * len(axes)
    assert cls(data_format="channels_first").compute_output_shape(shape) == (2, 3)
    assert kept.get_config()["data_format"] == "channels_first"
    with pytest.raises(ValueError, match="data_format must be 'channels_last' or 'channels_first'"):
        cls(data_format="NCHW")


def test_global_average_pooling1d_channels_first_mask():
    x = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)  # [batch, channels, steps]
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0]], bool)
    out = layers.GlobalAveragePooling1D(data_format="channels_first")(x, mask=mask)
    expected = np.stack([x[0, :, :2].mean(-1), x[1, :, :3].mean(-1)])
    assert_close(out.numpy(), expected, "float32")
    with pytest.raises(ValueError, match=r"\[batch, channels, steps\]"):
        layers.GlobalAveragePooling1D(data_format="channels_first")(np.ones((2, 3), "float32"))
