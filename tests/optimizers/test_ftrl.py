"""Ftrl: three steps against values printed by keras.optimizers.Ftrl (Keras 3.15 on
TensorFlow 2.21, tfvenv) for the same variable, gradients and arguments; errors; config."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.keras import optimizers

GRADS = ([0.5, -1.0, 2.0], [0.1, 0.3, -0.2], [1.0, 1.0, 1.0])
CASES = [
    ({"learning_rate": 0.1}, [0.27854618430137634, -1.3967056274414062, 0.288861483335495]),
    (
        {
            "learning_rate": 0.05,
            "learning_rate_power": -0.7,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "l2_shrinkage_regularization_strength": 0.03,
            "beta": 0.5,
            "initial_accumulator_value": 0.2,
        },
        [0.17089968919754028, -0.9846161603927612, 0.32960301637649536],
    ),
]


@pytest.mark.parametrize("kwargs, expected", CASES)
def test_matches_keras(kwargs, expected):
    v = gf.Variable(np.array([1.0, -2.0, 0.5], np.float32))
    opt = optimizers.Ftrl(**kwargs)
    for g in GRADS:
        opt.apply_gradients([(gf.constant(g), v)])
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-5)


def test_errors_and_config():
    with pytest.raises(ValueError, match="`learning_rate_power` needs to be negative or zero"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="`l1_regularization_strength` needs to be positive"):
        optimizers.Ftrl(l1_regularization_strength=-1.0)
    config = optimizers.Ftrl(0.1, beta=0.2).get_config()
    assert config["beta"] == 0.2 and config["learning_rate_power"] == -0.5
    assert isinstance(optimizers.get("ftrl"), optimizers.Ftrl)
    clone = optimizers.Ftrl.from_config(config)
    assert clone.get_config() == config


def test_fits_a_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32)
    model = gf.keras.Sequential([gf.keras.Input((3,)), gf.keras.layers.Dense(1)])
    model.compile(optimizers.Ftrl(0.5), "mse")
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
