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
        assert config["pool_size"] == [3, 3] and config["strides"] == [1, 2]
        assert (
            layers.deserialize({"class_name": cls.__name__, "config": config}).get_config()
            == config
        )


def test_errors():
    with pytest.raises(ValueError, match=r"MaxPooling2D 'max_pooling2d': expected input of rank 4"):
        layers.MaxPooling2D()(np.zeros((4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="pool_size must be a positive integer, received 0"):
        layers.AveragePooling2D(0)
    with pytest.raises(ValueError, match="data_format must be 'channels_last'"):
        layers.AveragePooling2D(data_format="channels_first")
