"""Keras 3's further activations: values against NumPy closed forms, names in
keras.activations (get / serialize), gradients, and a Dense layer using one by name."""

import math

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import activations
from gpuflow.testing import gradcheck

X = np.linspace(-4.0, 4.0, 33)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


REFERENCES = {
    "relu6": lambda x: np.clip(x, 0, 6),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "exponential": np.exp,
    "log_sigmoid": lambda x: np.log(_sigmoid(x)),
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "celu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_values_and_names(name):
    fn = activations.get(name)
    np.testing.assert_allclose(fn(X).numpy(), REFERENCES[name](X), rtol=1e-6, atol=1e-7)
    assert activations.serialize(fn) == name


@pytest.mark.parametrize("name", ["mish", "celu", "squareplus", "softsign", "hard_silu"])
def test_gradients(name):
    points = X[np.abs(np.abs(X) - 3) > 0.1]  # away from hard_silu's kinks
    assert gradcheck(activations.get(name), [points])


def test_parametrized_forms():
    np.testing.assert_allclose(
        activations.celu(X, alpha=2.0).numpy(), np.where(X > 0, X, 2 * np.expm1(X / 2))
    )
    np.testing.assert_allclose(
        activations.threshold(X, 1.0, -5.0).numpy(), np.where(X > 1, X, -5.0)
    )
    halves = np.arange(8.0).reshape(2, 4)
    np.testing.assert_allclose(
        activations.glu(halves).numpy(), halves[:, :2] * _sigmoid(halves[:, 2:])
    )
    np.testing.assert_allclose(
        activations.log_softmax(halves).numpy(),
        halves - np.log(np.exp(halves).sum(-1, keepdims=True)),
    )
    with pytest.raises(ValueError, match="glu: axis -1 of size 3 must be even"):
        activations.glu(np.ones((2, 3)))
    assert math.isclose(float(activations.hard_sigmoid(3.0)), 1.0)


def test_dense_with_a_new_activation_by_name():
    layer = gf.keras.layers.Dense(3, activation="mish")
    y = layer(np.ones((2, 4), np.float32))
    z = np.ones((2, 4)) @ layer.kernel.numpy() + layer.bias.numpy()
    np.testing.assert_allclose(y.numpy(), z * np.tanh(_softplus(z)), rtol=1e-5)
    assert layer.get_config()["activation"] == "mish"


def test_sparsemax_projects_onto_the_simplex_and_its_gradient():
    # tensorflow-cpu 2.21's keras.activations.sparsemax returns rows that do not sum to 1
    # (all zeros for [0.5, 1.2, -0.3, 2.0]); these are the definition's values
    tf = gf
    x = np.array([[0.5, 1.2, -0.3, 2.0], [0.1, 0.1, 0.1, 0.1], [3.0, -1.0, 0.0, 2.5]], "float32")
    out = tf.keras.activations.sparsemax(x).numpy()
    np.testing.assert_allclose(
        out, [[0, 0.1, 0, 0.9], [0.25, 0.25, 0.25, 0.25], [0.75, 0, 0, 0.25]], atol=1e-6
    )
    np.testing.assert_allclose(tf.keras.activations.sparsemax(x, axis=0).numpy().sum(0), 1.0)
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.keras.activations.sparsemax(v) * tf.constant([[1.0, 2.0, 3.0, 4.0]]))
    # on the support: the weight minus the support's mean weight; elsewhere 0
    np.testing.assert_allclose(
        tape.gradient(y, v).numpy(), [[0, -1, 0, 1], [-1.5, -0.5, 0.5, 1.5], [-1.5, 0, 0, 1.5]]
    )
    compiled = tf.function(lambda t: tf.keras.activations.sparsemax(t))
    np.testing.assert_allclose(compiled(tf.constant(x)).numpy(), out, atol=1e-6)
    np.testing.assert_allclose(compiled(tf.constant(x[::-1].copy())).numpy(), out[::-1], atol=1e-6)
    assert tf.keras.activations.get("sparsemax") is tf.keras.activations.sparsemax
    with pytest.raises(TypeError, match="sparsemax: expected a float tensor"):
        tf.keras.activations.sparsemax(tf.constant([1, 2]))
