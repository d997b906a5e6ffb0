"""keras.regularizers: values (checked against Keras 3's), lookup, configs, use in layers."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras, regularizers

X = np.arange(6.0, dtype="float32").reshape(2, 3)


@pytest.mark.parametrize(
    "regularizer, expected",
    [
        (regularizers.L1(0.1), 0.1 * 15),
        (regularizers.L2(0.1), 0.1 * 55),
        (regularizers.L1L2(0.1, 0.2), 12.5),
        (regularizers.l1_l2(l1=0.1), 1.5),
        (regularizers.OrthogonalRegularizer(0.1), 0.08854377269744873),  # Keras 3's value
    ],
)
def test_values(regularizer, expected, device):
    with gf.device(device):
        value = regularizer(gf.constant(X))
    assert value.device == device
    np.testing.assert_allclose(float(value), expected, rtol=1e-5)


def test_orthogonal_columns_and_rank_check():
    value = regularizers.OrthogonalRegularizer(0.1, mode="columns")(X)
    cols = X / np.linalg.norm(X, axis=0, keepdims=True)
    product = cols.T @ cols
    expected = 0.1 * 0.5 * np.abs(product - np.diag(np.diag(product))).sum() / 3
    np.testing.assert_allclose(float(value), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones(3, "float32"))


def test_defaults_aliases_and_get():
    assert regularizers.L2().l2 == 0.01 and regularizers.L1().l1 == 0.01
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert isinstance(regularizers.l2(0.1), regularizers.L2)
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert regularizers.get({"class_name": "L1", "config": {"l1": 0.2}}).l1 == 0.2
    assert regularizers.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(
        ValueError,
        match=r"Invalid value for argument l2: expected a non-negative "
        r"float. Received: l2=-1",
    ):
        regularizers.L2(-1)


def test_serialize_round_trip():
    for reg in (
        regularizers.L1(0.3),
        regularizers.L1L2(0.1, 0.2),
        regularizers.OrthogonalRegularizer(0.2, "columns"),
    ):
        config = regularizers.serialize(reg)
        again = regularizers.deserialize(config)
        assert type(again) is type(reg) and again.get_config() == reg.get_config()


def test_custom_regularizer_subclass_registered_and_in_model():
    @keras.saving.register_keras_serializable(package="tests")
    class Sum(regularizers.Regularizer):
        def __init__(self, factor=1.0):
            self.factor = factor

        def __call__(self, x):
            return self.factor * gf.reduce_sum(x)

        def get_config(self):
            return {"factor": self.factor}

    config = regularizers.serialize(Sum(2.0))
    assert config["registered_name"] == "tests>Sum"
    assert regularizers.deserialize(config).factor == 2.0
    layer = keras.layers.Dense(2, kernel_initializer="ones", kernel_regularizer=Sum(0.5))
    layer(np.ones((1, 3), "float32"))
    np.testing.assert_allclose(float(layer.losses[0]), 0.5 * 6)
    clone = keras.layers.Dense.from_config(layer.get_config())
    clone(np.ones((1, 3), "float32"))
    assert isinstance(clone.kernel.regularizer, Sum)


def test_regularizers_on_dense_and_conv_appear_in_model_losses():
    inp = keras.Input((4, 4, 1))
    conv = keras.layers.Conv2D(
        2, 3, kernel_regularizer=regularizers.l2(0.01), bias_regularizer=regularizers.l1(0.01)
    )(inp)
    flat = keras.layers.Flatten()(conv)
    out = keras.layers.Dense(1, kernel_regularizer="l1", activity_regularizer="l2")(flat)
    model = keras.Model(inp, out)
    assert len(model.losses) == 3  # weight penalties; the activity one appears after a call
    model(np.ones((2, 4, 4, 1), "float32"))
    assert len(model.losses) == 4
    kernel = model.layers[1].kernel.numpy()
    expected = 0.01 * np.sum(kernel**2)
    assert any(np.isclose(float(loss), expected, rtol=1e-5) for loss in model.losses)


def test_fit_minimizes_the_penalty_too():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = rng.normal(size=(64, 1)).astype("float32")

    def trained(reg):
        gf.random.set_seed(1)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, kernel_regularizer=reg)])
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        model.fit(x, y, epochs=20, batch_size=64, verbose=0)
        return np.sum(model.layers[0].kernel.numpy() ** 2)

    assert trained(regularizers.l2(1.0)) < trained(None)


def test_layers_keep_the_regularizer_object_as_keras():
    # Keras 3: layer.kernel_regularizer is the regularizer (a name or config resolved), and
    # get_config writes it as {module, class_name, config, registered_name}
    dense = gf.keras.layers.Dense(2, kernel_regularizer="l2", bias_regularizer=None)
    assert isinstance(dense.kernel_regularizer, gf.keras.regularizers.L2)
    assert dense.bias_regularizer is None
    config = dense.get_config()["kernel_regularizer"]
    assert config == {
        "module": "keras.regularizers",
        "class_name": "L2",
        "config": {"l2": 0.01},
        "registered_name": None,
    }
    clone = gf.keras.layers.Dense.from_config(dense.get_config())
    assert isinstance(clone.kernel_regularizer, gf.keras.regularizers.L2)
    l1_config = {"class_name": "L1", "config": {"l1": 0.5}}
    conv = gf.keras.layers.Conv2D(2, 3, kernel_regularizer=l1_config)
    assert abs(conv.kernel_regularizer.l1 - 0.5) < 1e-7
    cell = gf.keras.layers.LSTMCell(3, recurrent_regularizer="l1")
    assert isinstance(cell.recurrent_regularizer, gf.keras.regularizers.L1)
    fn = lambda w: gf.reduce_sum(w)  # noqa: E731 - a plain callable stays itself
    assert gf.keras.layers.Dense(2, kernel_regularizer=fn).kernel_regularizer is fn
