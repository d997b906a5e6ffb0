"""Noise layers (training only), ActivityRegularization's loss, GroupNormalization errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers as L


def _x(shape=(64, 8, 16)):
    return np.random.default_rng(0).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "make",
    [lambda: L.GaussianNoise(0.5), lambda: L.GaussianDropout(0.3), lambda: L.SpatialDropout1D(0.5)],
)
def test_identity_outside_training(make):
    x = _x()
    np.testing.assert_array_equal(make()(x).numpy(), x)


def test_gaussian_noise_statistics():
    x = np.zeros((200, 100), "float32")
    noise = L.GaussianNoise(0.5, seed=3)(x, training=True).numpy()
    assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.5) < 0.01


def test_gaussian_dropout_statistics():
    x = np.ones((200, 100), "float32")
    y = L.GaussianDropout(0.2)(x, training=True).numpy()
    assert abs(y.mean() - 1) < 0.01 and abs(y.std() - np.sqrt(0.2 / 0.8)) < 0.01


@pytest.mark.parametrize(
    "layer,shape",
    [(L.SpatialDropout1D(0.5), (16, 10, 32)), (L.SpatialDropout2D(0.5), (16, 4, 5, 32))],
)
def test_spatial_dropout_drops_whole_channels(layer, shape):
    y = layer(np.ones(shape, "float32"), training=True).numpy()
    per_channel = y.reshape(shape[0], -1, shape[-1])
    assert np.all(per_channel.min(axis=1) == per_channel.max(axis=1))  # constant per channel
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert 0.3 < (y == 0).mean() < 0.7


def test_activity_regularization_adds_a_loss_per_call():
    layer = L.ActivityRegularization(l1=0.1, l2=0.01)
    x = _x((4, 3))
    layer(x)
    expected = (0.1 * np.abs(x).sum() + 0.01 * (x**2).sum()) / 4
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0].numpy()), expected, rtol=1e-5)
    layer(x)
    assert len(layer.losses) == 1  # replaced, not accumulated
    model = gf.keras.Sequential([L.Dense(2, input_shape=(3,)), L.ActivityRegularization(l2=1.0)])
    model(x)
    assert len(model.losses) == 1


def test_group_norm_rejects_groups_not_dividing_channels():
    with pytest.raises(
        ValueError,
        match=r"GroupNormalization '.*': the number of channels \(6\) "
        r"must be a multiple of, and at least, groups=4",
    ):
        L.GroupNormalization(groups=4)(np.zeros((1, 3, 6), "float32"))
    with pytest.raises(ValueError, match="rate must be in"):
        L.SpatialDropout1D(1.0)
    with pytest.raises(ValueError, match=r"GaussianNoise '.*': stddev must be a non-negative"):
        L.GaussianNoise(-1)


def test_batch_norm_moving_statistics_follow_keras_rule():
    """moving = moving * momentum + batch * (1 - momentum), with the biased batch variance."""
    x = _x((32, 4))
    layer = L.BatchNormalization(momentum=0.8, epsilon=0.05)
    for _ in range(3):
        layer(x, training=True)
    mean, var = x.mean(axis=0), x.var(axis=0)
    expected_mean = mean * (1 - 0.8**3)
    expected_var = 0.8**3 + var * (1 - 0.8**3)
    np.testing.assert_allclose(layer.moving_mean.numpy(), expected_mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), expected_var, rtol=1e-5, atol=1e-6)
    y = layer(x, training=False).numpy()
    np.testing.assert_allclose(
        y, (x - expected_mean) / np.sqrt(expected_var + 0.05), rtol=1e-4, atol=1e-5
    )


def test_activity_regularizer_argument_of_any_layer():
    layer = L.Dense(
        2, activity_regularizer=lambda y: 0.5 * gf.reduce_sum(y * y), kernel_initializer="ones"
    )
    x = np.ones((4, 3), "float32")
    y = layer(x).numpy()
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0].numpy()), 0.5 * (y**2).sum() / 4, rtol=1e-6)
    with pytest.raises(TypeError, match="regularizer must be callable"):
        L.Dense(2, activity_regularizer=3)
