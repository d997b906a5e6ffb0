"""LayerNormalization's constraints and Keras 3's deprecated rms_scaling."""

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras


def test_gamma_beta_constraints_hold_after_training_and_round_trip():
    layer = keras.layers.LayerNormalization(
        gamma_constraint=keras.constraints.MaxNorm(0.5, axis=0), beta_constraint="non_neg"
    )
    model = keras.Sequential([keras.Input((4,)), layer])
    model.compile(keras.optimizers.SGD(0.5), "mse")
    rng = np.random.default_rng(0)
    model.fit(rng.normal(size=(32, 4)), rng.normal(3.0, 1.0, size=(32, 4)), epochs=2, verbose=0)
    assert (np.abs(layer.gamma.numpy()) <= 0.5 + 1e-6).all()
    assert (layer.beta.numpy() >= 0).all()
    config = layer.get_config()
    assert config["beta_constraint"]["class_name"] == "NonNeg"
    clone = keras.layers.LayerNormalization.from_config(config)
    assert isinstance(clone.gamma_constraint, keras.constraints.MaxNorm)


def test_rms_scaling_warns_and_scales_by_the_variance_without_beta():
    # Keras 3: x * rsqrt(var(x) + epsilon) * gamma, no centering, no beta weight
    x = np.array([[1.0, 2.0, 4.0], [-1.0, 0.5, 3.0]], "float32")
    with pytest.warns(UserWarning, match="rms_scaling=True is deprecated"):
        layer = keras.layers.LayerNormalization(rms_scaling=True)
    got = layer(x).numpy()
    assert [w.name for w in layer.weights] == ["gamma"]
    want = x / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    assert layer.get_config()["rms_scaling"] is True
    assert keras.layers.LayerNormalization().get_config()["rms_scaling"] is False


def test_rank1_input_and_axis0_are_normalized_as_keras():
    # Keras 3 normalizes the one axis of a rank-1 input, and accepts axis=0 on any rank.
    layer = keras.layers.LayerNormalization()
    y = layer(np.arange(7.0)).numpy()
    np.testing.assert_allclose(y, (np.arange(7.0) - 3) / np.sqrt(4 + 1e-3), rtol=1e-5)
    assert [tuple(w.shape) for w in layer.weights] == [(7,), (7,)]
    rows = keras.layers.LayerNormalization(axis=0)
    y = rows(np.arange(6.0, dtype="float32").reshape(2, 3)).numpy()
    np.testing.assert_allclose(y, [[-1.0] * 3, [1.0] * 3], atol=1e-3)
    assert [tuple(w.shape) for w in rows.weights] == [(2,), (2,)]
