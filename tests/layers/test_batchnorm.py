"""BatchNormalization: batch statistics in training, moving statistics otherwise, gradients."""

from __future__ import annotations

import numpy as np
import pytest
from layer_helpers import as_function, assert_close, grads, rand

import gpuflow as gf
from gpuflow import layers


def bn_ref(x, gamma, beta, axes, eps):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta, mean, var


@pytest.mark.parametrize("shape,axis", [((6, 3), -1), ((2, 3, 3, 2), -1), ((2, 3, 4), 1)])
def test_training_forward_and_moving_update(device, float_dtype, shape, axis):
    x = rand(shape, float_dtype, low=-2, high=3)
    with gf.device(device):
        layer = layers.BatchNormalization(
            axis=axis,
            momentum=0.9,
            dtype=float_dtype,
            gamma_initializer="random_uniform",
            beta_initializer="random_normal",
        )
        y = layer(x, training=True)
    gamma, beta, moving_mean, moving_var = layer.get_weights()
    ax = axis % len(shape)
    axes = tuple(i for i in range(len(shape)) if i != ax)
    bshape = [1] * len(shape)
    bshape[ax] = shape[ax]
    expected, mean, var = bn_ref(
        x.astype("float64"), gamma.reshape(bshape), beta.reshape(bshape), axes, 1e-3
    )
    assert y.dtype == float_dtype
    assert_close(y, expected, float_dtype)
    assert_close(moving_mean, 0.1 * mean.reshape(-1), float_dtype)
    assert_close(moving_var, 0.9 + 0.1 * var.reshape(-1), float_dtype)


def test_inference_uses_moving_statistics(device):
    with gf.device(device):
        layer = layers.BatchNormalization(epsilon=0.01)
        x = rand((4, 2), "float32")
        layer.build((None, 2))
        layer.set_weights(
            [
                np.array([2.0, 3.0]),
                np.array([0.5, -1.0]),
                np.array([0.1, 0.2]),
                np.array([4.0, 9.0]),
            ]
        )
        expected = (x - [0.1, 0.2]) / np.sqrt(np.array([4.0, 9.0]) + 0.01) * [2.0, 3.0] + [
            0.5,
            -1.0,
        ]
        assert_close(layer(x), expected, "float32")
        assert_close(layer(x, training=False), expected, "float32")
        layer.trainable = False  # frozen BN runs in inference mode, as Keras
        assert_close(layer(x, training=True), expected, "float32")
        assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4
    assert_close(layer.moving_mean.numpy(), [0.1, 0.2], "float32")


def test_backward_matches_numpy(device, float_dtype):
    x = rand((5, 3), float_dtype, low=-2, high=2)
    with gf.device(device):
        layer = layers.BatchNormalization(dtype=float_dtype, gamma_initializer="random_uniform")
        layer.build((None, 3))
        gamma, beta = layer.get_weights()[:2]
        _, (dx, dgamma, dbeta), g = grads(
            as_function(layer, ["gamma", "beta"], training=True), [x, gamma, beta], device
        )
    x64, g = x.astype("float64"), g.astype("float64")
    mean, var = x64.mean(0), x64.var(0)
    xhat = (x64 - mean) / np.sqrt(var + 1e-3)
    n = x.shape[0]
    ref_dx = gamma / np.sqrt(var + 1e-3) / n * (n * g - g.sum(0) - xhat * (g * xhat).sum(0))
    tol = {"rtol": 3e-2, "atol": 3e-2} if float_dtype == "float16" else {}
    assert_close(dx, ref_dx, float_dtype, **tol)
    assert_close(dgamma, (g * xhat).sum(0), float_dtype, **tol)
    assert_close(dbeta, g.sum(0), float_dtype, **tol)


@pytest.mark.parametrize("training", [True, False])
def test_gradcheck(device, training):
    with gf.device(device):
        layer = layers.BatchNormalization(dtype="float64", momentum=0.0)
        layer.build((None, 2, 2))
        gamma, beta = rand((2,), seed=1) + 1.5, rand((2,), seed=2)
        fn = as_function(layer, ["gamma", "beta"], training=training)
        assert gf.testing.gradcheck(fn, [rand((3, 2, 2), seed=3), gamma, beta], device=device)


def test_weights_order_options_and_config():
    layer = layers.BatchNormalization(center=False, name="bn")
    layer(np.ones((2, 3), "float32"))
    assert [w.path for w in layer.weights] == ["bn/gamma", "bn/moving_mean", "bn/moving_variance"]
    full = layers.BatchNormalization()
    full(np.ones((2, 3), "float32"))
    assert [w.name for w in full.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in full.non_trainable_weights] == [
        "moving_mean",
        "moving_variance",
    ]
    config = layers.BatchNormalization(axis=[1, 2], momentum=0.5, scale=False).get_config()
    assert config["axis"] == [1, 2] and config["momentum"] == 0.5 and config["scale"] is False
    assert (
        layers.deserialize({"class_name": "BatchNormalization", "config": config}).get_config()
        == config
    )
    # As Keras 3, axis 0 is a feature axis like any other: each row is normalized alone.
    rows = layers.BatchNormalization(axis=0)
    y = rows(np.arange(6.0, dtype="float32").reshape(2, 3), training=True).numpy()
    np.testing.assert_allclose(y, [[-1.2247, 0.0, 1.2247]] * 2, atol=1e-3)
    assert [tuple(w.shape) for w in rows.weights] == [(2,)] * 4
    with pytest.raises(ValueError, match=r"BatchNormalization 'batch_normalization_\d+'"):
        layers.BatchNormalization(axis=2)(np.ones((2, 3), "float32"))


def test_rank1_input_normalizes_each_feature_alone():
    # Keras 3: a rank-1 input has no reduction axis; training gives zeros and moves the
    # moving statistics toward the input itself.
    bn = layers.BatchNormalization()
    np.testing.assert_allclose(bn(np.ones(7)).numpy(), np.full(7, 1 / np.sqrt(1.001)), rtol=1e-6)
    assert [w.path for w in bn.weights][0].endswith("/gamma")
    assert [tuple(w.shape) for w in bn.weights] == [(7,)] * 4
    x = np.arange(7.0)
    np.testing.assert_array_equal(bn(x, training=True).numpy(), np.zeros(7))
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.01 * x, rtol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), np.full(7, 0.99), rtol=1e-6)


def test_gamma_beta_constraints_and_regularizer_objects():
    # Keras 3: BatchNormalization(beta_constraint=..., gamma_constraint=...) hold after
    # training (they raised); the regularizers are kept as objects
    keras = gf.keras
    layer = keras.layers.BatchNormalization(
        gamma_constraint=keras.constraints.MaxNorm(0.5, axis=0),
        beta_constraint="non_neg",
        gamma_regularizer="l2",
    )
    model = keras.Sequential([keras.Input((4,)), layer])
    model.compile(keras.optimizers.SGD(0.5), "mse")
    rng = np.random.default_rng(0)
    model.fit(rng.normal(size=(32, 4)), rng.normal(3.0, 1.0, size=(32, 4)), epochs=2, verbose=0)
    assert (np.abs(layer.gamma.numpy()) <= 0.5 + 1e-6).all()
    assert (layer.beta.numpy() >= 0).all()
    assert isinstance(layer.gamma_regularizer, keras.regularizers.L2)
    config = layer.get_config()
    assert config["beta_constraint"]["class_name"] == "NonNeg"
    clone = keras.layers.BatchNormalization.from_config(config)
    assert isinstance(clone.gamma_constraint, keras.constraints.MaxNorm)
    with pytest.raises(ValueError, match="renorm=True is not supported"):
        keras.layers.BatchNormalization(renorm=True)


def test_masked_batch_statistics_and_mask_passthrough():
    # Keras: in training, a mask (one axis fewer than the inputs) limits the moments to the
    # unmasked steps; the mask passes on to the next layer.
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 1]], dtype=bool)
    bn = layers.BatchNormalization(momentum=0.5, epsilon=1e-3)
    y = bn(x, mask=gf.constant(mask), training=True)
    kept = x[mask]
    mean, var = kept.mean(axis=0), kept.var(axis=0)
    np.testing.assert_allclose(y.numpy(), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.5 + 0.5 * var, rtol=1e-5)
    masked = layers.Masking()(gf.constant(x * mask[..., None]))
    np.testing.assert_array_equal(layers.BatchNormalization()(masked)._keras_mask.numpy(), mask)
    with pytest.raises(ValueError, match="one axis fewer"):
        bn(x, mask=gf.constant(mask[:, :, None]), training=True)


def test_config_has_the_keras_3_keys():
    config = layers.BatchNormalization(synchronized=True, renorm_momentum=0.9).get_config()
    assert config["synchronized"] is True and config["renorm"] is False
    assert config["renorm_clipping"] is None and config["renorm_momentum"] == 0.9
    assert layers.BatchNormalization.from_config(config).get_config() == config
