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
