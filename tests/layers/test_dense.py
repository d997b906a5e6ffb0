"""Dense: forward and backward vs NumPy on every device and float dtype, gradcheck, fused ReLU."""

from __future__ import annotations

import numpy as np
import pytest
from layer_helpers import as_function, assert_close, grads, rand, softmax_ref

import gpuflow as gf
from gpuflow import layers

ACTIVATIONS = {
    None: lambda z: z,
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "softmax": softmax_ref,
}


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_forward_matches_numpy(device, float_dtype, activation):
    with gf.device(device):
        layer = layers.Dense(
            5, activation=activation, dtype=float_dtype, bias_initializer="random_normal"
        )
        x = rand((4, 3), float_dtype)
        y = layer(x)
    kernel, bias = layer.get_weights()
    assert y.dtype == float_dtype and y.device == device and tuple(y.shape) == (4, 5)
    assert layer.kernel.device == device
    expected = ACTIVATIONS[activation](x.astype("float64") @ kernel.astype("float64") + bias)
    assert_close(y, expected, float_dtype)


@pytest.mark.parametrize("activation", [None, "relu"])
def test_backward_matches_numpy(device, float_dtype, activation):
    with gf.device(device):
        layer = layers.Dense(4, activation=activation, dtype=float_dtype)
        x = rand((3, 6), float_dtype)
        layer.build((None, 6))
        layer.bias.assign(rand((4,), float_dtype, seed=3))
        kernel, bias = layer.get_weights()
        _, (dx, dk, db), g = grads(
            as_function(layer, ["kernel", "bias"]), [x, kernel, bias], device
        )
    z = x.astype("float64") @ kernel + bias
    g = g.astype("float64") * (z > 0 if activation == "relu" else 1)
    assert_close(dx, g @ kernel.T.astype("float64"), float_dtype)
    assert_close(dk, x.T.astype("float64") @ g, float_dtype)
    assert_close(db, g.sum(axis=0), float_dtype)


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "softmax"])
def test_gradcheck(device, activation):
    with gf.device(device):
        layer = layers.Dense(3, activation=activation, dtype="float64")
        x = rand((2, 4), seed=5)
        layer.build((None, 4))
        kernel, _ = layer.get_weights()
        bias = rand((3,), seed=6) * 0.1
        assert gf.testing.gradcheck(
            as_function(layer, ["kernel", "bias"]), [x, kernel, bias], device=device
        )


def test_rank3_inputs_use_the_last_axis(device):
    with gf.device(device):
        layer = layers.Dense(2, activation="relu")
        x = rand((2, 3, 4), "float32")
        y = layer(x)
    kernel, bias = layer.get_weights()
    assert tuple(y.shape) == (2, 3, 2)
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 2)
    assert_close(y, np.maximum(x @ kernel + bias, 0), "float32")


def test_relu_is_fused_into_the_dense_op(monkeypatch):
    from gpuflow.layers import core

    seen = []
    real = core.dense

    def spy(x, kernel, bias=None, activation=None):
        seen.append(activation)
        return real(x, kernel, bias, activation)

    monkeypatch.setattr(core, "dense", spy)
    layers.Dense(3, activation="relu")(np.ones((2, 2)))
    layers.Dense(3, activation=gf.activations.relu)(np.ones((2, 2)))
    layers.Dense(3, activation="tanh")(np.ones((2, 2)))
    assert seen == ["relu", "relu", None]


def test_weights_order_names_and_no_bias():
    layer = layers.Dense(3, name="out")
    layer(np.zeros((1, 7), "float32"))
    assert [w.path for w in layer.trainable_weights] == ["out/kernel", "out/bias"]
    assert [tuple(w.shape) for w in layer.weights] == [(7, 3), (3,)]
    assert layer.count_params() == 24
    bare = layers.Dense(3, use_bias=False)
    bare(np.zeros((1, 7), "float32"))
    assert [w.path for w in bare.weights] == ["dense/kernel"] and bare.bias is None


def test_shape_mismatch_error_names_layer_and_shapes():
    layers.Dense(10)  # takes the name "dense"
    layer = layers.Dense(10)
    layer(np.zeros((32, 784), "float32"))
    with pytest.raises(
        ValueError,
        match=r"^Dense 'dense_1': expected input with last axis 784, "
        r"received shape \(32, 245\)$",
    ):
        layer(np.zeros((32, 245), "float32"))
    with pytest.raises(
        ValueError,
        match=r"Dense 'dense_2': expected input of rank 2 or more, received shape \(5,\)",
    ):
        layers.Dense(3)(np.zeros(5, "float32"))


def test_inputs_are_cast_to_the_compute_dtype():
    layer = layers.Dense(2)
    assert layer(np.ones((2, 3), "float64")).dtype == "float32"
    assert layer(np.ones((2, 3), "int32")).dtype == "float32"
    with pytest.raises(ValueError, match="Only input tensors may be passed as positional"):
        layer([[1.0, 2.0, 3.0]])  # a Python list, as Keras 3 (guide/intro_to_modules)
    assert layers.Dense(2, dtype="float64")(np.ones((1, 3), "float32")).dtype == "float64"


def test_bad_arguments():
    with pytest.raises(
        ValueError, match="Dense 'dense': units must be a positive integer, received 0"
    ):
        layers.Dense(0)
    with pytest.raises(ValueError, match="unknown activation 'rleu'; expected one of .*relu"):
        layers.Dense(3, activation="rleu")
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(3, kernel_init="zeros")


def test_config_round_trip():
    layer = layers.Dense(
        4,
        activation="softmax",
        use_bias=False,
        kernel_initializer=gf.initializers.RandomNormal(stddev=0.1),
        name="head",
        dtype="float64",
        input_shape=(8,),
    )
    config = layer.get_config()
    assert (
        config["activation"] == "softmax"
        and config["units"] == 4
        and config["batch_input_shape"] == (None, 8)
    )
    assert config["kernel_initializer"] == {
        "module": "keras.initializers",
        "registered_name": None,
        "class_name": "RandomNormal",
        "config": {"mean": 0.0, "stddev": 0.1, "seed": None},
    }
    clone = layers.Dense.from_config(config)
    assert clone.get_config() == config and clone.dtype == "float64"
    assert layers.deserialize(layers.serialize(layer)).get_config() == config
