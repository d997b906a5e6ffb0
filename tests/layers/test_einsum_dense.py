"""EinsumDense: kernel / bias / output shapes as real Keras 3.15 printed them (tfvenv, same
calls), values against numpy.einsum, gradients, fans, config round trip, errors."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import initializers
from gpuflow.layers import EinsumDense
from gpuflow.testing import gradcheck

# (equation, output_shape, bias_axes, input_shape) -> kernel, bias, compute_output_shape,
# printed by keras.layers.EinsumDense on TensorFlow 2.21.
KERAS_SHAPES = [
    (("ab,bc->ac", 64, "c", (None, 32)), (32, 64), (64,), (None, 64)),
    (("abc,cd->abd", (None, 64), "d", (None, 32, 128)), (128, 64), (64,), (None, None, 64)),
    (
        ("abc,cde->abde", (None, 16, 64), "de", (None, 32, 128)),
        (128, 16, 64),
        (16, 64),
        (None, None, 16, 64),
    ),
    (("...b,bc->...c", 64, "c", (None, 7, 32)), (32, 64), (64,), (None, 7, 64)),
    (("abc,cd->abd", (None, 8), None, (None, 5, 3)), (3, 8), None, (None, None, 8)),
]


@pytest.mark.parametrize("args, kernel, bias, output", KERAS_SHAPES)
def test_shapes_match_keras(args, kernel, bias, output):
    equation, out, bias_axes, input_shape = args
    layer = EinsumDense(equation, out, bias_axes=bias_axes)
    layer.build(input_shape)
    assert tuple(layer.kernel.shape) == kernel
    assert (None if layer.bias is None else tuple(layer.bias.shape)) == bias
    assert tuple(layer.compute_output_shape(input_shape)) == output


def test_values_match_numpy_einsum():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    layer = EinsumDense(
        "abc,cde->abde",
        (5, 4, 6),
        bias_axes="de",
        activation="relu",
        bias_initializer="random_normal",
    )
    y = layer(x)
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    expected = np.maximum(np.einsum("abc,cde->abde", x, kernel) + bias, 0)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert tuple(y.shape) == (2, 5, 4, 6)
    assert gradcheck(
        lambda x, k: gf.einsum("...b,bc->...c", x, k),
        [rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 2))],
    )


def test_trains_in_a_model():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 4, 3)).astype(np.float32)
    true = rng.normal(size=(3, 2)).astype(np.float32)
    y = np.einsum("abc,cd->abd", x, true)
    model = gf.keras.Sequential(
        [gf.keras.Input((4, 3)), EinsumDense("abc,cd->abd", (4, 2), bias_axes="d")]
    )
    model.compile(gf.keras.optimizers.Adam(0.05), "mse")
    history = model.fit(x, y, epochs=60, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.01


def test_fans_come_from_the_kernel_axes():
    layer = EinsumDense(
        "abc,cde->abde",
        (5, 40, 50),
        kernel_initializer=initializers.VarianceScaling(
            scale=1.0, mode="fan_out", distribution="uniform", seed=3
        ),
    )
    layer.build((None, 5, 30))
    kernel = layer.kernel.numpy()
    limit = np.sqrt(3.0 / (40 * 50))  # fan_out = product of the output axes d, e
    assert kernel.max() <= limit and kernel.max() > 0.9 * limit


def test_config_round_trip_and_errors():
    layer = EinsumDense("ab,bc->ac", 4, bias_axes="c", activation="relu", name="ed")
    config = layer.get_config()
    assert config["equation"] == "ab,bc->ac" and config["output_shape"] == [4]
    assert config["bias_axes"] == "c" and config["activation"] == "relu"
    clone = EinsumDense.from_config(config)
    assert clone.get_config() == config
    with pytest.raises(ValueError, match="Invalid einsum equation 'ab->b'"):
        EinsumDense("ab->b", 3)
    with pytest.raises(ValueError, match="Bias dimension 'z' was requested"):
        EinsumDense("ab,bc->ac", 4, bias_axes="z").build((None, 3))
    with pytest.raises(ValueError, match="Input shape and output shape do not match"):
        EinsumDense("abc,cd->abd", (7, 2)).build((None, 5, 3))


def test_config_has_the_keras_3_keys():
    config = gf.keras.layers.EinsumDense("ab,bc->ac", output_shape=3).get_config()
    assert config["activity_regularizer"] is None and config["quantization_config"] is None
    again = gf.keras.layers.EinsumDense.from_config(config)
    assert again.get_config() == config
