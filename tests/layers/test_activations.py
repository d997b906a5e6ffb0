"""gpuflow.activations: values vs NumPy on every device and dtype, gradients, lookup by name."""

from __future__ import annotations

import math

import numpy as np
import pytest
from layer_helpers import assert_close, rand, softmax_ref

import gpuflow as gf
from gpuflow import activations

_erf = np.vectorize(math.erf)
REFERENCES = {
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "softmax": softmax_ref,
    "linear": lambda z: z,
    "leaky_relu": lambda z: np.where(z > 0, z, 0.2 * z),
    "elu": lambda z: np.where(z > 0, z, np.exp(z) - 1),
    "gelu": lambda z: 0.5 * z * (1 + _erf(z / np.sqrt(2))),
    "softplus": lambda z: np.log1p(np.exp(z)),
    "swish": lambda z: z / (1 + np.exp(-z)),
    "selu": lambda z: 1.0507009873554805 * np.where(z > 0, z, 1.6732632423543772 * (np.exp(z) - 1)),
}


@pytest.mark.parametrize("name", list(REFERENCES))
def test_values_match_numpy(device, float_dtype, name):
    x = rand((3, 5), float_dtype, low=-3, high=3)
    with gf.device(device):
        y = activations.get(name)(x)
    assert y.dtype == float_dtype and y.device == device
    assert_close(y, REFERENCES[name](x.astype("float64")), float_dtype)


@pytest.mark.parametrize("name", list(REFERENCES))
def test_gradcheck(name):
    x = rand((2, 4), low=-2, high=2, seed=4)
    x[np.abs(x) < 0.05] = 0.3  # keep finite differences away from the kinks
    assert gf.testing.gradcheck(activations.get(name), [x])


def test_relu_options():
    x = np.array([-2.0, -0.5, 0.5, 3.0, 8.0])
    assert_close(activations.relu(x, max_value=6.0), [0, 0, 0.5, 3, 6], "float64")
    assert_close(activations.relu(x, alpha=0.1), [-0.2, -0.05, 0.5, 3, 8], "float64")
    # Keras 3 calls the slope negative_slope (keras.activations.relu docstring)
    assert_close(activations.relu(x, negative_slope=0.1), [-0.2, -0.05, 0.5, 3, 8], "float64")
    assert_close(activations.relu(x, 0.1), [-0.2, -0.05, 0.5, 3, 8], "float64")
    with pytest.raises(TypeError, match="relu: pass negative_slope .* or alpha"):
        activations.relu(x, negative_slope=0.1, alpha=0.2)
    assert_close(activations.relu(x, threshold=1.0), [0, 0, 0, 3, 8], "float64")
    assert_close(
        activations.relu(x, alpha=0.5, threshold=1.0), [-1.5, -0.75, -0.25, 3, 8], "float64"
    )


def test_get_and_serialize():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu

    def custom(z):
        return z * 2

    assert activations.get(custom) is custom
    assert activations.get(gf.nn.relu) is gf.nn.relu
    with pytest.raises(
        ValueError,
        match=(
            r"^unknown activation 'rlu'; expected one of celu, elu, .*, tanh_shrink, "
            r"threshold or a callable$"
        ),
    ):
        activations.get("rlu")
    with pytest.raises(TypeError, match="expected a name or a callable, received 3"):
        activations.get(3)
    for name in REFERENCES:
        keras_name = {"swish": "silu"}.get(name, name)  # Keras 3 names it silu
        assert activations.serialize(activations.get(name)) == keras_name
    assert activations.serialize(None) == "linear"

    def my_act(z):
        return z

    assert activations.serialize(my_act)["config"] == "my_act"  # Keras 3's function dict
    assert activations.deserialize("my_act", custom_objects={"my_act": my_act}) is my_act


def test_custom_activation_functions_serialize_as_keras3():
    @gf.keras.saving.register_keras_serializable(package="test_pkg", name="squared")
    def squared(x):
        return x**2

    def plain(x):
        return x * 3

    assert gf.keras.activations.serialize(squared) == {
        "module": "builtins",
        "class_name": "function",
        "config": "test_pkg>squared",
        "registered_name": "function",
    }
    assert gf.keras.activations.get(gf.keras.activations.serialize(squared)) is squared
    assert gf.keras.activations.serialize(plain)["config"] == "plain"
    with gf.keras.saving.custom_object_scope({"plain": plain}):
        assert gf.keras.activations.get(gf.keras.activations.serialize(plain)) is plain
    with pytest.raises(ValueError, match="unknown activation 'plain'"):
        gf.keras.activations.get(gf.keras.activations.serialize(plain))


def test_model_with_registered_activation_saves_and_loads(tmp_path):
    @gf.keras.saving.register_keras_serializable(package="test_pkg", name="cube")
    def cube(x):
        return x * x * x

    inputs = gf.keras.Input((3,))
    model = gf.keras.Model(inputs, gf.keras.layers.Dense(2, activation=cube)(inputs))
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = gf.keras.models.load_model(path)
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[-1].activation is cube


def test_silu_serializes_as_keras_names_it():
    # Keras 3 stores the swish/silu function as "silu" (keras.activations.silu).
    assert gf.keras.activations.serialize(gf.keras.activations.swish) == "silu"
    for name in ("swish", "silu"):
        layer = gf.keras.layers.Dense(2, activation=name)
        assert layer.get_config()["activation"] == "silu"
        assert gf.keras.layers.Dense.from_config(layer.get_config()).activation is layer.activation


def test_activation_functions_on_keras_tensors_build_layers(tmp_path):
    # Keras 3: x = keras.activations.swish(x) in a functional model (keras.io MobileViT)
    keras = gf.keras
    inputs = keras.Input((4,))
    h = keras.layers.Dense(3)(inputs)
    h = keras.activations.swish(h)
    h = keras.activations.leaky_relu(h, negative_slope=0.1)
    outputs = keras.activations.softmax(h, axis=-1)
    assert outputs.shape == (None, 3)
    model = keras.Model(inputs, outputs)
    x = np.linspace(-2, 2, 8, dtype="float32").reshape(2, 4)
    dense = model.layers[1]
    z = x @ dense.kernel.numpy() + dense.bias.numpy()
    z = z / (1 + np.exp(-z))
    z = np.where(z > 0, z, 0.1 * z)
    np.testing.assert_allclose(model.predict(x, verbose=0), softmax_ref(z), rtol=1e-5)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    # names and identities are unchanged by the symbolic wrapper
    assert keras.activations.get("silu") is keras.activations.swish
    assert keras.activations.serialize(keras.activations.swish) == "silu"
    assert keras.layers.Dense(2, activation="relu").activation is keras.activations.relu
    np.testing.assert_allclose(activations.leaky_relu(gf.constant([-1.0]), alpha=0.3), [-0.3])
    with pytest.raises(TypeError, match="not both"):
        activations.leaky_relu(gf.constant([-1.0]), negative_slope=0.1, alpha=0.3)


def test_silu_is_named_silu_as_in_keras_3():
    # Keras 3.15: keras.activations.swish is keras.activations.silu, named "silu"
    acts = gf.keras.activations
    assert acts.swish is acts.silu and acts.silu.__name__ == "silu"
    assert acts.get("swish").__name__ == "silu"
    assert gf.keras.layers.Activation("swish").activation.__name__ == "silu"
    assert gf.keras.layers.Dense(2, activation="swish").get_config()["activation"] == "silu"
