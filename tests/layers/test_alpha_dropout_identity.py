"""AlphaDropout (Keras's affine correction, statistics of SELU activations kept, config)
and the Identity initializer (values, errors, names)."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import initializers
from gpuflow.layers import AlphaDropout


def test_alpha_dropout_keeps_selu_statistics_and_is_identity_at_inference():
    x = np.random.default_rng(0).normal(size=(200000,)).astype(np.float32)
    layer = AlphaDropout(0.2, seed=1)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    y = layer(x, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.std() - 1.0) < 0.01
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p**2)) ** -0.5
    b = -a * alpha_p * 0.2
    dropped = np.isclose(y, a * alpha_p + b)
    assert abs(dropped.mean() - 0.2) < 0.01
    np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5)


def test_alpha_dropout_noise_shape_seed_and_config():
    layer = AlphaDropout(0.5, noise_shape=(None, 1), seed=3)
    y = layer(np.ones((8, 5), np.float32), training=True).numpy()
    assert all(len(set(np.round(row, 6))) == 1 for row in y)
    again = AlphaDropout(0.5, noise_shape=(None, 1), seed=3)
    np.testing.assert_array_equal(again(np.ones((8, 5), np.float32), training=True).numpy(), y)
    config = layer.get_config()
    assert config["rate"] == 0.5 and config["noise_shape"] == (None, 1) and config["seed"] == 3
    assert AlphaDropout.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="rate must be in"):
        AlphaDropout(1.5)


def test_identity_initializer():
    np.testing.assert_array_equal(initializers.Identity(2.0)((2, 3)).numpy(), 2 * np.eye(2, 3))
    assert isinstance(initializers.get("identity"), initializers.Identity)
    assert initializers.IdentityInitializer is initializers.Identity
    with pytest.raises(ValueError, match="can only be used for 2D matrices"):
        initializers.Identity()((2, 2, 2))
    layer = gf.keras.layers.Dense(3, kernel_initializer="identity", use_bias=False)
    np.testing.assert_array_equal(
        layer(np.arange(3.0, dtype=np.float32)[None]).numpy(), [[0.0, 1.0, 2.0]]
    )
    config = initializers.serialize(initializers.Identity(0.5))
    assert initializers.deserialize(config).gain == 0.5


def test_thresholded_relu_matches_tf_keras():
    # tf.keras.layers.ThresholdedReLU(theta=0.5) on TF 2.21 printed [-0, 0, 0.6, 2].
    layer = gf.keras.layers.ThresholdedReLU(theta=0.5)
    out = layer(np.array([-1.0, 0.5, 0.6, 2.0], np.float32)).numpy()
    np.testing.assert_allclose(out, [0.0, 0.0, 0.6, 2.0])
    assert layer.get_config()["theta"] == 0.5
    with pytest.raises(ValueError, match="should be >=0. Received: -1"):
        gf.keras.layers.ThresholdedReLU(theta=-1)
    with pytest.raises(ValueError, match="cannot be None"):
        gf.keras.layers.ThresholdedReLU(theta=None)
