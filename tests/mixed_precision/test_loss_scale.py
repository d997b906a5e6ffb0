"""LossScaleOptimizer: the dynamics step by step, custom-loop API, compile wrapping, save/load."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import layers, optimizers
from gpuflow.mixed_precision import LossScaleOptimizer, set_global_policy
from gpuflow.models.saving import load_model


def _var():
    return gf.Variable(np.array([1.0, 2.0], dtype="float32"), name="w")


def _grad(*values):
    return gf.constant(np.array(values, dtype="float32"))


def test_dynamics_step_by_step():
    opt = LossScaleOptimizer(optimizers.SGD(0.5), dynamic_growth_steps=3)
    v = _var()
    assert opt.loss_scale == 2.0**15 and opt.dynamic_counter == 0
    # a non-finite step: skipped (weights unchanged), scale halved, counter reset
    opt.apply_gradients([(_grad(np.inf, 1.0), v)])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert opt.loss_scale == 2.0**14 and opt.skipped_steps == 1
    assert opt.iterations == 0  # Keras 3: a skipped step is no step
    opt.apply_gradients([(_grad(np.nan, 0.0), v)])
    assert opt.loss_scale == 2.0**13 and opt.skipped_steps == 2
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    # finite steps are applied (apply_gradients divides by the scale, as Keras 3); the third
    # in a row doubles the scale
    for step in range(1, 4):
        opt.apply_gradients([(_grad(opt.loss_scale, opt.loss_scale), v)])
        np.testing.assert_allclose(v.numpy(), [1.0 - 0.5 * step, 2.0 - 0.5 * step])
        assert opt.loss_scale == (2.0**13 if step < 3 else 2.0**14)
        assert opt.dynamic_counter == step % 3
    # an inf after two finite steps resets the counter, so growth needs 3 more
    opt.apply_gradients([(_grad(1.0, 1.0), v)])
    opt.apply_gradients([(_grad(1.0, -np.inf), v)])
    assert opt.loss_scale == 2.0**13 and opt.dynamic_counter == 0
    assert opt.iterations == 4 and opt.skipped_steps == 3


def test_skipped_step_leaves_slots_unchanged():
    opt = LossScaleOptimizer(optimizers.Adam(0.1))
    v = _var()
    opt.apply_gradients([(_grad(1.0, 1.0), v)])
    before = {k: a.copy() for k, a in opt.get_state([v]).items()}
    w = v.numpy().copy()
    opt.apply_gradients([(_grad(np.inf, 1.0), v)])
    after = opt.get_state([v])
    np.testing.assert_array_equal(v.numpy(), w)
    for key in ("0/m", "0/v"):
        np.testing.assert_array_equal(after[key], before[key])
    assert after["loss_scale"] == before["loss_scale"] / 2


def test_fixed_scale_applies_everything():
    opt = LossScaleOptimizer(optimizers.SGD(1.0), dynamic=False, initial_scale=8.0)
    v = _var()
    opt.apply_gradients([(_grad(np.inf, 1.0), v)])
    assert opt.loss_scale == 8.0 and np.isinf(v.numpy()[0])


def test_min_scale_floor_and_config_errors():
    opt = LossScaleOptimizer("sgd", initial_scale=2.0, min_scale=1.0)
    v = _var()
    for _ in range(3):
        opt.apply_gradients([(_grad(np.nan, 1.0), v)])
    assert opt.loss_scale == 1.0
    with pytest.raises(ValueError, match="initial_scale"):
        LossScaleOptimizer("sgd", initial_scale=0)
    with pytest.raises(ValueError, match="dynamic_growth_steps"):
        LossScaleOptimizer("sgd", dynamic_growth_steps=0)
    with pytest.raises(TypeError, match="already a LossScaleOptimizer"):
        LossScaleOptimizer(LossScaleOptimizer("sgd"))


def test_custom_loop_scale_and_unscale_match_plain_gradients():
    w = gf.Variable(np.array([[0.5], [-1.5]], dtype="float32"))
    x = gf.constant(np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32"))
    opt = LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=1024.0)
    with gf.GradientTape(persistent=True) as tape:
        loss = gf.reduce_sum(gf.square(gf.matmul(x, w)))
        scaled = opt.get_scaled_loss(loss)
    assert float(scaled) == pytest.approx(1024.0 * float(loss))
    plain = tape.gradient(loss, [w])[0].numpy()
    (unscaled,) = opt.get_unscaled_gradients(tape.gradient(scaled, [w]))
    np.testing.assert_allclose(unscaled.numpy(), plain, rtol=1e-6)
    assert opt.unscale_gradients([None]) == [None]
    # minimize() scales internally and lands on the same update as plain SGD
    w0 = w.numpy().copy()
    opt.minimize(lambda: gf.reduce_sum(gf.square(gf.matmul(x, w))), [w])
    np.testing.assert_allclose(w.numpy(), w0 - 0.1 * plain, rtol=1e-6)


def test_scale_loss_upcasts_float16():
    opt = LossScaleOptimizer("sgd")
    out = opt.scale_loss(gf.constant(np.float16(3.0)))
    assert out.dtype == "float32" and float(out) == 3.0 * 2**15


def test_learning_rate_and_iterations_delegate():
    inner = optimizers.Adam(0.01)
    opt = LossScaleOptimizer(inner)
    opt.learning_rate = 0.5
    assert inner.learning_rate == 0.5 and opt.learning_rate == 0.5
    opt.apply_gradients([(_grad(1.0, 1.0), _var())])
    assert inner.iterations == opt.iterations == 1


def _mlp():
    return gf.keras.Sequential(
        [layers.Dense(4, activation="relu", input_shape=(3,)), layers.Dense(2)]
    )


def test_compile_wraps_only_under_mixed_float16():
    set_global_policy("mixed_float16")
    mixed = _mlp()
    mixed.compile(optimizer="sgd", loss="mse")
    assert isinstance(mixed.optimizer, LossScaleOptimizer)
    assert isinstance(mixed.optimizer.inner_optimizer, optimizers.SGD)
    set_global_policy("float16")
    half = _mlp()
    half.compile(optimizer="sgd", loss="mse")
    assert isinstance(half.optimizer, optimizers.SGD)
    set_global_policy(None)
    per_layer = gf.keras.Sequential([layers.Dense(2, dtype="mixed_float16", input_shape=(3,))])
    per_layer.compile(optimizer="adam", loss="mse")
    assert isinstance(per_layer.optimizer, LossScaleOptimizer)


def test_save_and_load_keep_scale_and_counter(tmp_path):
    set_global_policy("mixed_float16")
    model = _mlp()
    model.compile(
        optimizer=LossScaleOptimizer(
            optimizers.Adam(0.01), dynamic_growth_steps=7, initial_scale=256.0
        ),
        loss="mse",
    )
    x = np.random.default_rng(0).standard_normal((16, 3)).astype("float32")
    model.fit(x, x[:, :2], epochs=1, batch_size=8, verbose=0)
    assert model.optimizer.dynamic_counter == 2
    model.optimizer.apply_gradients(
        [(gf.constant(np.full(v.shape, np.inf, "float32")), v) for v in model.trainable_variables]
    )
    model.save(tmp_path / "m.gpuflow")
    set_global_policy(None)
    loaded = load_model(tmp_path / "m.gpuflow")
    opt = loaded.optimizer
    assert isinstance(opt, LossScaleOptimizer) and opt.dynamic_growth_steps == 7
    assert opt.loss_scale == 128.0 and opt.dynamic_counter == 0 and opt.skipped_steps == 1
    assert opt.iterations == model.optimizer.iterations == 2  # the skipped step is no step
    assert loaded.layers[0].dtype_policy.name == "mixed_float16"
    np.testing.assert_array_equal(
        opt.inner_optimizer.get_state(loaded.trainable_variables)["0/m"],
        model.optimizer.inner_optimizer.get_state(model.trainable_variables)["0/m"],
    )


@pytest.mark.parametrize("style", ["keras3", "keras2"])
def test_custom_loop_both_styles_apply_the_plain_update(style):
    """Keras 3 loops pass scaled gradients to apply_gradients; Keras 2 loops unscale first.
    Both land on the plain SGD update (what unscale_gradients returned is not divided again)."""
    x = gf.constant(np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32"))
    w = gf.Variable(np.array([[0.5], [-1.5]], dtype="float32"))
    with gf.GradientTape() as tape:
        loss = gf.reduce_sum(gf.square(gf.matmul(x, w)))
    plain = tape.gradient(loss, [w])[0].numpy()
    opt = LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=1024.0)
    w0 = w.numpy().copy()
    with gf.GradientTape() as tape:
        scaled = opt.scale_loss(gf.reduce_sum(gf.square(gf.matmul(x, w))))
    grads = tape.gradient(scaled, [w])
    if style == "keras2":
        grads = opt.get_unscaled_gradients(grads)
    opt.apply_gradients(zip(grads, [w]))
    np.testing.assert_allclose(w.numpy(), w0 - 0.1 * plain, rtol=1e-6)


@pytest.mark.parametrize("style", ["keras3", "keras2"])
def test_custom_loop_both_styles_inside_tf_function(style):
    """guide/mixed_precision's loop: get_scaled_loss / get_unscaled_gradients inside a
    tf.function. Each replay's unscaled gradients were divided by the scale a second time
    (they are new Tensor objects on each replay), so nothing trained."""
    x = gf.constant(np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32"))
    w = gf.Variable(np.array([[0.5], [-1.5]], dtype="float32"))
    opt = LossScaleOptimizer(optimizers.SGD(0.01), initial_scale=1024.0)

    @gf.function
    def step():
        with gf.GradientTape() as tape:
            loss = gf.reduce_sum(gf.square(gf.matmul(x, w)))
            scaled = opt.get_scaled_loss(loss) if style == "keras2" else opt.scale_loss(loss)
        grads = tape.gradient(scaled, [w])
        if style == "keras2":
            grads = opt.get_unscaled_gradients(grads)
        opt.apply_gradients(zip(grads, [w]))
        return loss

    for _ in range(3):  # the trace, then replays
        w0 = w.numpy().copy()
        plain = 2.0 * x.numpy().T @ (x.numpy() @ w0)
        step()
        np.testing.assert_allclose(w.numpy(), w0 - 0.01 * plain, rtol=1e-5)


def test_plain_optimizer_scale_loss_is_the_identity():
    loss = gf.constant(2.5)
    assert optimizers.SGD().scale_loss(loss) is loss


def test_old_import_paths_still_work():
    from gpuflow.keras.optimizers import LossScaleOptimizer as keras_name

    from gpuflow.optimizers.loss_scale_optimizer import LossScaleOptimizer as module_name

    assert keras_name is module_name is LossScaleOptimizer


def test_loss_scale_factor_is_keras_3_name_for_the_current_scale():
    import gpuflow as gf

    opt = gf.keras.mixed_precision.LossScaleOptimizer(gf.keras.optimizers.SGD(), initial_scale=8.0)
    assert opt.loss_scale_factor == 8.0
    v = gf.Variable([1.0])
    opt.apply_gradients([(gf.constant([float("inf")]), v)])  # non-finite: the scale halves
    assert opt.loss_scale_factor == 4.0 == opt.loss_scale
    assert opt.dynamic_scale.dtype == gf.float32 and float(opt.dynamic_scale) == 4.0
    opt.apply_gradients([(gf.constant([1.0]), v)])
    assert opt.step_counter.dtype == gf.int64 and int(opt.step_counter) == 1


def test_scale_loss_takes_a_number_and_names_other_input():
    opt = LossScaleOptimizer(optimizers.SGD(0.1))
    assert float(opt.scale_loss(1.0)) == opt.initial_scale == 2.0**15
    assert float(opt.scale_loss(np.float32(2))) == 2.0**16
    with pytest.raises(TypeError, match=r"scale_loss: expected a loss Tensor or number.*str"):
        opt.scale_loss("loss")
