"""Optimizer options beyond the update math: errors, config round trips, state, apply()."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import optimizers
from gpuflow.optimizers import schedules

ALL = ["SGD", "Adam", "AdamW", "Nadam", "Adamax", "Adagrad", "Adadelta", "RMSprop", "Lion"]


@pytest.mark.parametrize("cls", ALL)
def test_config_round_trip_with_every_option(cls):
    opt = getattr(optimizers, cls)(
        learning_rate=schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=3),
        weight_decay=0.01,
        clipnorm=1.5,
        use_ema=True,
        ema_momentum=0.9,
        ema_overwrite_frequency=5,
        gradient_accumulation_steps=2,
        loss_scale_factor=4.0,
    )
    config = json.loads(json.dumps(optimizers.serialize(opt)))
    back = optimizers.deserialize(config)
    assert type(back) is type(opt)
    assert back.get_config() == opt.get_config()
    assert config["config"]["gradient_accumulation_steps"] == 2
    assert isinstance(back._learning_rate, schedules.CosineDecay)


def test_config_keys_in_keras_order():
    # printed configs read as Keras 3's (TensorFlow 2.21 gave this order)
    keys = list(optimizers.SGD(momentum=0.9, clipnorm=1.0).get_config())
    assert keys == [
        "name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
        "gradient_accumulation_steps", "momentum", "nesterov",
    ]  # fmt: skip
    assert list(optimizers.Adam().get_config())[-4:] == ["beta_1", "beta_2", "epsilon", "amsgrad"]


@pytest.mark.parametrize("name", [n.lower() for n in ALL])
def test_get_by_name(name):
    assert type(optimizers.get(name)).__name__.lower() == name


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(gradient_accumulation_steps=1), ["SGD", "gradient_accumulation_steps", "1"]),
        (dict(use_ema=True, ema_momentum=1.5), ["SGD", "ema_momentum", "1.5"]),
        (dict(use_ema=True, ema_overwrite_frequency=0), ["SGD", "ema_overwrite_frequency", "0"]),
        (dict(weight_decay=-0.1), ["SGD", "weight_decay", "-0.1"]),
        (dict(clipnorm=1.0, clipvalue=1.0), ["SGD", "clipnorm", "clipvalue"]),
        (dict(momentum=1.5), ["SGD", "momentum", "1.5"]),
    ],
)
def test_bad_arguments_name_class_argument_and_value(kwargs, words):
    with pytest.raises(ValueError) as err:
        optimizers.SGD(**kwargs)
    assert all(w in str(err.value) for w in words), str(err.value)


@pytest.mark.parametrize(
    "cls, kwargs, words",
    [
        ("Adamax", dict(beta_1=1.0), ["Adamax", "beta_1", "1.0"]),
        ("Nadam", dict(beta_2=-0.1), ["Nadam", "beta_2", "-0.1"]),
        ("Adadelta", dict(rho=2.0), ["Adadelta", "rho", "2.0"]),
        ("Lion", dict(beta_1=0.0), ["Lion", "beta_1", "0.0"]),
        ("AdamW", dict(weight_decay=None), ["AdamW", "weight_decay", "None"]),
    ],
)
def test_bad_hyperparameters(cls, kwargs, words):
    with pytest.raises(ValueError) as err:
        getattr(optimizers, cls)(**kwargs)
    assert all(w in str(err.value) for w in words), str(err.value)


def test_schedule_arguments_are_checked():
    with pytest.raises(ValueError, match="PolynomialDecay: decay_steps must be positive"):
        schedules.PolynomialDecay(0.1, 0)
    with pytest.raises(ValueError, match="CosineDecayRestarts: first_decay_steps"):
        schedules.CosineDecayRestarts(0.1, -1)
    with pytest.raises(ValueError, match="CosineDecay: warmup_steps must be >= 0"):
        schedules.CosineDecay(0.1, 5, warmup_steps=-2)


def _variables():
    return [
        gf.Variable(np.array([1.0, -2.0]), name="kernel"),
        gf.Variable(np.array([0.5]), name="b"),
    ]


def test_apply_uses_the_built_variables_and_counts_iterations():
    a, b = _variables()
    opt = optimizers.SGD(0.5)
    with pytest.raises(ValueError, match=r"sgd(_\d+)?\.apply: pass trainable_variables"):
        opt.apply([np.ones(2), np.ones(1)])
    opt.build([a, b])
    opt.apply([np.ones(2), np.ones(1)])
    opt.apply([np.ones(2), None])
    np.testing.assert_allclose(a.numpy(), [0.0, -3.0])
    np.testing.assert_allclose(b.numpy(), [0.0])
    assert opt.iterations == 2
    with pytest.raises(ValueError, match="received 1 gradients for 2 variables"):
        opt.apply([np.ones(2)])


def test_accumulation_counts_updates_and_state_round_trips():
    a, b = _variables()
    opt = optimizers.Nadam(0.1, gradient_accumulation_steps=2, use_ema=True)
    for _ in range(3):
        opt.apply_gradients(zip([np.ones(2), np.ones(1)], [a, b]))
    assert opt.iterations == 1 and opt._iterations == 3
    state = opt.get_state([a, b])
    assert {"0/momentum", "0/average", "0/gradient_accumulator", "u_product"} <= set(state)
    np.testing.assert_allclose(state["0/gradient_accumulator"], [1.0, 1.0])

    c, d = _variables()
    c.assign(a.numpy()), d.assign(b.numpy())
    twin = optimizers.Nadam(0.1, gradient_accumulation_steps=2, use_ema=True)
    twin.set_state([c, d], state)
    for opt_, vars_ in ((opt, [a, b]), (twin, [c, d])):
        opt_.apply_gradients(zip([np.full(2, 0.5), np.full(1, 0.5)], vars_))
    np.testing.assert_array_equal(a.numpy(), c.numpy())
    assert twin.iterations == 2


def test_exclude_from_weight_decay_by_name_and_variable():
    a, b = _variables()
    opt = optimizers.SGD(0.5, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_names=["ker"])
    opt.apply_gradients(zip([np.zeros(2), np.zeros(1)], [a, b]))
    np.testing.assert_allclose(a.numpy(), [1.0, -2.0])
    np.testing.assert_allclose(b.numpy(), [0.5 * (1 - 0.05)])
    opt.exclude_from_weight_decay(var_list=[b])
    opt.apply_gradients(zip([np.zeros(2), np.zeros(1)], [a, b]))
    np.testing.assert_allclose(a.numpy(), [0.95, -1.9])


def test_finalize_without_ema_is_a_no_op_and_loss_scale_factor_scales():
    (a,) = _variables()[:1]
    opt = optimizers.SGD(1.0, loss_scale_factor=4.0)
    assert float(opt.scale_loss(gf.constant(2.0))) == 8.0
    opt.apply_gradients([(np.array([4.0, 8.0]), a)])
    opt.finalize_variable_values([a])
    np.testing.assert_allclose(a.numpy(), [0.0, -4.0])


def test_float16_variables_with_ema_and_decay():
    v = gf.Variable(np.array([1.0, 2.0]), dtype="float16")
    opt = optimizers.AdamW(0.01, use_ema=True, ema_overwrite_frequency=2)
    for _ in range(4):
        opt.apply_gradients([(gf.constant([0.5, -0.5], dtype="float16"), v)])
    assert v.dtype == gf.float16 and np.all(np.isfinite(v.numpy()))
