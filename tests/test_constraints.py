"""keras.constraints: projections against NumPy, configs, and their application after each
optimizer update (Dense / Conv2D / Embedding arguments, add_weight, Variable)."""

import numpy as np
import pytest

import gpuflow as gf
import gpuflow.keras as keras
from gpuflow import constraints

EPS = 1e-7
W = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32) * 2


def test_projections_match_numpy():
    norms = np.sqrt((W**2).sum(0, keepdims=True))
    np.testing.assert_allclose(
        constraints.MaxNorm(1.5)(gf.constant(W)).numpy(),
        W * np.clip(norms, 0, 1.5) / (EPS + norms),
        rtol=1e-6,
    )
    np.testing.assert_allclose(constraints.NonNeg()(gf.constant(W)).numpy(), np.maximum(W, 0))
    np.testing.assert_allclose(
        constraints.UnitNorm(axis=1)(gf.constant(W)).numpy(),
        W / (EPS + np.sqrt((W**2).sum(1, keepdims=True))),
        rtol=1e-6,
    )
    desired = 0.5 * np.clip(norms, 1.0, 2.0) + 0.5 * norms
    np.testing.assert_allclose(
        constraints.MinMaxNorm(1.0, 2.0, rate=0.5)(gf.constant(W)).numpy(),
        W * desired / (EPS + norms),
        rtol=1e-6,
    )


def test_get_serialize_deserialize():
    assert isinstance(constraints.get("non_neg"), constraints.NonNeg)
    assert isinstance(constraints.get("MaxNorm"), constraints.MaxNorm)
    config = constraints.serialize(constraints.MinMaxNorm(0.1, 0.9, 0.5, axis=1))
    assert config == {
        "module": "keras.constraints",
        "registered_name": None,
        "class_name": "MinMaxNorm",
        "config": {"min_value": 0.1, "max_value": 0.9, "rate": 0.5, "axis": 1},
    }
    restored = constraints.deserialize(config)
    assert restored.get_config() == config["config"]
    assert constraints.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
        constraints.get("no_such_constraint")
    with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
        constraints.get(3)


def test_optimizer_applies_variable_constraint_after_update():
    v = gf.Variable([1.0, -1.0], constraint=constraints.NonNeg())
    opt = keras.optimizers.SGD(0.5)
    opt.apply_gradients([(gf.constant([1.0, -4.0]), v)])
    np.testing.assert_allclose(v.numpy(), [0.5, 1.0])
    opt.apply_gradients([(gf.constant([2.0, 0.0]), v)])
    np.testing.assert_allclose(v.numpy(), [0.0, 1.0])  # -0.5 projected to 0
    with pytest.raises(ValueError, match="constraint must be callable"):
        gf.Variable([1.0], constraint="non_neg")


def test_dense_conv_embedding_constraints_hold_during_fit_and_round_trip():
    rng = np.random.default_rng(1)
    model = keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            keras.layers.Conv2D(3, 3, kernel_constraint=keras.constraints.UnitNorm([0, 1, 2])),
            keras.layers.Flatten(),
            keras.layers.Dense(
                4, kernel_constraint=keras.constraints.MaxNorm(0.3), bias_constraint="non_neg"
            ),
        ]
    )
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(rng.normal(size=(32, 6, 6, 2)), rng.normal(size=(32, 4)) * 5, epochs=2, verbose=0)
    conv, _, dense = model.layers
    kernel_norms = np.sqrt((conv.kernel.numpy() ** 2).sum(axis=(0, 1, 2)))
    np.testing.assert_allclose(kernel_norms, 1.0, rtol=1e-5)
    assert (np.linalg.norm(dense.kernel.numpy(), axis=0) <= 0.3 + 1e-5).all()
    assert (dense.bias.numpy() >= 0).all()
    config = dense.get_config()
    assert config["kernel_constraint"] == {
        "module": "keras.constraints",
        "registered_name": None,
        "class_name": "MaxNorm",
        "config": {"max_value": 0.3, "axis": 0},
    }
    clone = keras.layers.Dense.from_config(config)
    assert isinstance(clone.kernel_constraint, constraints.MaxNorm)
    assert isinstance(clone.bias_constraint, constraints.NonNeg)

    embed = keras.layers.Embedding(10, 4, embeddings_constraint=keras.constraints.NonNeg())
    emb_model = keras.Sequential([keras.Input((3,), dtype="int32"), embed])
    emb_model.compile(keras.optimizers.SGD(1.0), "mse")
    emb_model.fit(rng.integers(0, 10, (16, 3)), -np.ones((16, 3, 4)), epochs=1, verbose=0)
    assert (embed.embeddings.numpy() >= 0).all()
    assert embed.get_config()["embeddings_constraint"]["class_name"] == "NonNeg"


def test_add_weight_constraint_in_a_custom_layer():
    class Positive(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(
                shape=(input_shape[-1],), initializer="ones", constraint="non_neg"
            )

        def call(self, x):
            return x * self.w

    layer = Positive()
    layer(np.ones((1, 2), np.float32))
    assert isinstance(layer.w.constraint, constraints.NonNeg)
    opt = keras.optimizers.SGD(1.0)
    opt.apply_gradients([(gf.constant([3.0, -1.0]), layer.w)])
    np.testing.assert_allclose(layer.w.numpy(), [0.0, 2.0])


@pytest.mark.parametrize(
    "make, weights",
    [
        (
            lambda: keras.layers.Conv1D(
                3, 2, kernel_constraint="non_neg", bias_constraint="non_neg"
            ),
            ("kernel", "bias"),
        ),
        (lambda: keras.layers.Conv2DTranspose(2, 2, kernel_constraint="non_neg"), ("kernel",)),
        (
            lambda: keras.layers.DepthwiseConv2D(
                2, depthwise_constraint="non_neg", bias_constraint="non_neg"
            ),
            ("kernel", "bias"),
        ),
        (
            lambda: keras.layers.SeparableConv2D(
                2, 2, depthwise_constraint="non_neg", pointwise_constraint="non_neg"
            ),
            ("depthwise_kernel", "pointwise_kernel"),
        ),
    ],
)
def test_conv_family_constraints(make, weights):
    layer = make()
    rng = np.random.default_rng(2)
    shape = (4, 6, 3) if isinstance(layer, keras.layers.Conv1D) else (4, 6, 6, 3)
    model = keras.Sequential(
        [keras.Input(shape[1:]), layer, keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    model.compile(keras.optimizers.SGD(0.5), "mse")
    model.fit(rng.normal(size=shape), -10 * np.ones((4, 1)), epochs=2, verbose=0)
    for name in weights:
        assert (getattr(layer, name).numpy() >= 0).all(), name
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_depthwise_layers_refuse_kernel_constraint():
    with pytest.raises(ValueError, match="arguments passed to DepthwiseConv2D"):
        keras.layers.DepthwiseConv2D(3, kernel_constraint="non_neg")
    assert "kernel_constraint" not in keras.layers.DepthwiseConv2D(3).get_config()
