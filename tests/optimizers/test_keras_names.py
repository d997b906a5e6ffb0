"""Keras 3's optimizer names and the names/paths of optimizer.variables."""

import numpy as np
import pytest

import gpuflow as gf

opts = gf.keras.optimizers


def _dense():
    layer = gf.keras.layers.Dense(2, name="dense")
    layer.build((None, 3))
    return layer


def test_default_names_are_unique_snake_case():
    gf.keras.backend.clear_session()
    assert opts.Adam().name == "adam"
    assert opts.Adam().name == "adam_1"
    assert opts.RMSprop().name == "rm_sprop"
    assert opts.AdamW().get_config()["name"] == "adam_w"
    assert opts.LossScaleOptimizer(opts.SGD()).name == "loss_scale_optimizer"
    assert opts.SGD(name="mine").name == "mine"


def test_variable_names_and_paths_follow_keras():
    gf.keras.backend.clear_session()
    layer = _dense()
    opt = opts.Adam()
    opt.build(layer.trainable_variables)
    assert [v.path for v in opt.variables] == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/dense_kernel_momentum",
        "adam/dense_kernel_velocity",
        "adam/dense_bias_momentum",
        "adam/dense_bias_velocity",
    ]
    assert opt.variables[2].name == "dense_kernel_momentum"
    assert opt.variables[1] is opt.learning_rate
    rms = opts.RMSprop(momentum=0.5, centered=True, name="r")
    rms.build(layer.trainable_variables)
    assert [v.name for v in rms.variables][2:5] == [
        "dense_kernel_velocity",
        "dense_bias_velocity",
        "dense_kernel_momentum",
    ]


@pytest.mark.parametrize(
    "make, slots",
    [
        (lambda: opts.Ftrl(name="o"), ("accumulator", "linear")),
        (lambda: opts.ScheduleFreeAdamW(name="o"), ("momentum", "velocity")),
        (lambda: opts.Adadelta(name="o"), ("accumulated_grad", "accumulated_delta_var")),
    ],
)
def test_slots_made_together_interleave_per_variable_as_keras(make, slots):
    # Keras' add_optimizer_variables(var_list, [a, b]) makes a and b for each variable in
    # turn; .keras files store optimizer variables by position, so the order must match.
    opt = make()
    opt.build(_dense().trainable_variables)
    want = [f"dense_{w}_{s}" for w in ("kernel", "bias") for s in slots]
    assert [v.name for v in opt.variables][2:] == want


def test_muon_keeps_velocity_only_for_adam_variables():
    layer = _dense()
    opt = opts.Muon(name="muon")
    opt.build(layer.trainable_variables)
    paths = [v.path for v in opt.variables]
    assert paths[2:] == [
        "muon/dense_kernel_momentum",
        "muon/dense_bias_momentum",
        "muon/dense_bias_velocity",
    ]
    x = gf.constant(np.ones((4, 3), "float32"))
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(layer(x) ** 2)
    opt.apply_gradients(
        zip(tape.gradient(loss, layer.trainable_variables), layer.trainable_variables)
    )
    store = {}
    opt.save_own_variables(store)
    twin = opts.Muon(name="twin")
    twin.build(layer.trainable_variables)
    twin.load_own_variables(store)
    for got, want in zip(twin.variables, opt.variables):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_loss_scale_optimizer_variables_as_keras():
    layer = _dense()
    opt = opts.LossScaleOptimizer(opts.SGD(0.1, name="inner"), initial_scale=8.0, name="lso")
    assert [v.path for v in opt.variables] == [
        "lso/iteration",
        "lso/learning_rate",
        "inner/iteration",
        "inner/learning_rate",
    ]
    x = gf.constant(np.ones((4, 3), "float32"))
    for _ in range(3):
        with gf.GradientTape() as tape:
            loss = opt.scale_loss(gf.reduce_sum(layer(x) ** 2))
        opt.apply_gradients(
            zip(tape.gradient(loss, layer.trainable_variables), layer.trainable_variables)
        )
    values = {v.path: float(v.numpy()) for v in opt.variables}
    assert values["lso/step_counter"] == 3 and values["lso/dynamic_scale"] == 8.0
    assert values["inner/iteration"] == 3 and values["lso/iteration"] == 0


def test_stateless_apply_raises_as_keras_tensorflow_backend():
    opt = gf.keras.optimizers.SGD(0.1)
    var = gf.Variable([1.0, 2.0])
    opt.build([var])
    with pytest.raises(ValueError, match="not supported with the TensorFlow backend"):
        opt.stateless_apply([v.numpy() for v in opt.variables], [np.ones(2)], [var.numpy()])
    assert var.numpy().tolist() == [1.0, 2.0]
