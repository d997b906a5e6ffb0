"""keras.optimizers.Muon and ScheduleFreeAdamW: three steps equal Keras 3 on TensorFlow
2.21 (pasted), the Newton-Schulz step is near-orthogonal, fit and .keras round trips,
config, errors."""

import numpy as np
import pytest

import gpuflow as tf

opts = tf.keras.optimizers


def _three_steps(opt):
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(3, 2)).astype("float32")
    b0 = rng.normal(size=(2,)).astype("float32")
    grads = [[rng.normal(size=s).astype("float32") for s in ((3, 2), (2,))] for _ in range(3)]
    variables = [tf.Variable(w0, name="kernel"), tf.Variable(b0, name="bias")]
    for g in grads:
        opt.apply_gradients(zip([tf.constant(x) for x in g], variables))
    return [v.numpy() for v in variables]


def test_schedule_free_adamw_equals_keras():
    kernel, bias = _three_steps(opts.ScheduleFreeAdamW(0.01, warmup_steps=2, weight_decay=0.1))
    np.testing.assert_allclose(
        kernel,
        [[0.132251, -0.125107], [0.643656, 0.094208], [-0.528505, 0.356019]],
        atol=2e-6,
    )
    np.testing.assert_allclose(bias, [1.315488, 0.948491], atol=2e-6)


def test_muon_equals_keras():
    # the 2-D kernel takes Newton-Schulz steps, the bias Adam steps
    kernel, bias = _three_steps(opts.Muon(0.02))
    np.testing.assert_allclose(
        kernel,
        [[0.128769, -0.117376], [0.645372, 0.105006], [-0.522492, 0.352211]],
        atol=2e-6,
    )
    np.testing.assert_allclose(bias, [1.361788, 0.979895], atol=2e-6)


def test_newton_schulz_is_near_orthogonal():
    g = np.random.default_rng(1).normal(size=(6, 4))
    x = opts.Muon()._newton_schulz(np, g)
    singular = np.linalg.svd(x, compute_uv=False)
    assert x.shape == (6, 4) and np.all((singular > 0.6) & (singular < 1.25)), singular


@pytest.mark.parametrize("make", [lambda: opts.Muon(0.01), lambda: opts.ScheduleFreeAdamW(0.01)])
def test_fit_and_round_trip(make, tmp_path):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x @ rng.normal(size=(4, 1)).astype("float32")
    model = tf.keras.Sequential(
        [tf.keras.Input((4,)), tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)]
    )
    model.compile(optimizer=make(), loss="mse")
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.optimizer) is type(model.optimizer)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)


def test_config_and_errors():
    config = opts.Muon(exclude_layers=["head"], ns_steps=3).get_config()
    assert (config["exclude_layers"], config["ns_steps"], config["rms_rate"]) == (["head"], 3, 0.2)
    assert opts.Muon.from_config(config).exclude_layers == ["head"]
    config = opts.ScheduleFreeAdamW(warmup_steps=10).get_config()
    assert config["warmup_steps"] == 10
    np.testing.assert_allclose(config["learning_rate"], 0.0025)  # (a float32, as Keras)
    assert isinstance(opts.get("muon"), opts.Muon)
    with pytest.raises(ValueError, match="ns_steps must be a positive int"):
        opts.Muon(ns_steps=0)
    with pytest.raises(ValueError, match="warmup_steps must be a non-negative int"):
        opts.ScheduleFreeAdamW(warmup_steps=-1)
    with pytest.raises(ValueError, match="beta_1 must be in"):
        opts.ScheduleFreeAdamW(beta_1=1.0)
