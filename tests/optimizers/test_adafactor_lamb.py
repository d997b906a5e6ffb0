"""Adafactor and Lamb against Keras 3 on TensorFlow 2.21 (reference/adafactor_lamb_tf221.json,
written by tensorflow-cpu 2.21 from the same weights and gradients)."""

import json
import os

import numpy as np
import pytest

import gpuflow as gf

REF = json.load(
    open(os.path.join(os.path.dirname(__file__), "reference", "adafactor_lamb_tf221.json"))
)

MAKERS = {
    "adafactor": lambda: gf.keras.optimizers.Adafactor(learning_rate=0.1),
    "adafactor_sched": lambda: gf.keras.optimizers.Adafactor(
        learning_rate=gf.keras.optimizers.schedules.ExponentialDecay(0.5, 1, 0.9),
        clip_threshold=0.5,
    ),
    "lamb": lambda: gf.keras.optimizers.Lamb(learning_rate=0.01),
}


@pytest.mark.parametrize("case", sorted(MAKERS))
def test_three_steps_equal_keras(case):
    w = gf.Variable(np.array(REF["w0"], np.float32))
    b = gf.Variable(np.array(REF["b0"], np.float32))
    opt = MAKERS[case]()
    for gw, gb in REF["gs"]:
        opt.apply_gradients(
            [(gf.constant(np.array(gw, np.float32)), w), (gf.constant(np.array(gb, np.float32)), b)]
        )
    want_w, want_b, want_shapes = REF["out"][case]
    np.testing.assert_allclose(w.numpy(), want_w, rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(b.numpy(), want_b, rtol=2e-5, atol=1e-6)
    assert [list(v.shape) for v in opt.variables] == want_shapes


def test_names_config_and_state_round_trip():
    gf.keras.backend.clear_session()  # automatic names count from here
    opt = gf.keras.optimizers.get("adafactor")
    assert isinstance(opt, gf.keras.optimizers.Adafactor) and opt.name == "adafactor"
    assert isinstance(gf.keras.optimizers.get("lamb"), gf.keras.optimizers.Lamb)
    config = gf.keras.optimizers.serialize(gf.keras.optimizers.Adafactor(clip_threshold=2.0))
    again = gf.keras.optimizers.deserialize(config)
    assert again.clip_threshold == 2.0 and again.relative_step is True
    w = gf.Variable(np.ones((2, 3), np.float32))
    opt.apply_gradients([(gf.ones((2, 3)), w)])
    state = opt.get_state([w])
    assert state["0/r"].shape == (2,) and state["0/c"].shape == (3,)
    fresh = gf.keras.optimizers.Adafactor()
    fresh.set_state([w], state)
    with pytest.raises(ValueError, match=r"slot '0/r' has shape \(3,\), expected \(2,\)"):
        fresh.set_state([w], {**state, "0/r": np.ones(3)})
    with pytest.raises(ValueError, match="clip_threshold must be positive"):
        gf.keras.optimizers.Adafactor(clip_threshold=0)
    with pytest.raises(ValueError, match="beta_1 must be in"):
        gf.keras.optimizers.Lamb(beta_1=1.5)


def test_a_model_trains_with_each():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32)
    for opt in (gf.keras.optimizers.Adafactor(learning_rate=0.1), gf.keras.optimizers.Lamb(0.05)):
        model = gf.keras.Sequential([gf.keras.Input((4,)), gf.keras.layers.Dense(1)])
        model.compile(optimizer=opt, loss="mse")
        history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
        assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
