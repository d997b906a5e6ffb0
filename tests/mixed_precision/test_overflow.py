"""Plain float16 training overflows to NaN; mixed_float16 with dynamic loss scaling trains.

A linear regression with a summed squared error over a batch of 512: the weight gradient
(a sum of 512 terms of ~800 each) is far above float16's 65504. In plain float16 it is Inf,
the weights become Inf/NaN and so does the loss. Under mixed_float16 the same Inf appears
in the float16 backward pass, but LossScaleOptimizer skips those steps and halves the scale
until the scaled gradients fit, then trains with float32 master weights.
"""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import debugging, layers, losses, optimizers
from gpuflow.mixed_precision import set_global_policy


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((512, 8)).astype("float32")
    return x, (x @ rng.standard_normal((8, 1)).astype("float32") * 40).astype("float32")


def _fit(policy, epochs=60):
    set_global_policy(policy)
    gf.random.set_seed(0)
    model = gf.keras.Sequential([layers.Dense(1, input_shape=(8,))])
    model.compile(optimizer=optimizers.SGD(1e-4), loss=losses.MeanSquaredError(reduction="sum"))
    x, y = _data()
    with np.errstate(all="ignore"):
        history = model.fit(x, y, epochs=epochs, batch_size=512, verbose=0, shuffle=False)
    return model, history.history["loss"]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_float16_overflows_and_mixed_float16_trains():
    _, reference = _fit("float32")
    half, half_loss = _fit("float16")
    mixed, mixed_loss = _fit("mixed_float16")
    assert reference[-1] < 1e-3 * reference[0]
    assert np.isnan(half_loss[-1]) and not np.isfinite(half.layers[0].kernel.numpy()).all()
    opt = mixed.optimizer
    assert opt.skipped_steps > 0 and opt.loss_scale < 1.0  # scaled down until the gradients fit
    assert np.isfinite(mixed_loss).all() and mixed_loss[-1] < 1e-3 * mixed_loss[0]
    assert mixed.layers[0].kernel.dtype == "float32"


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_check_numerics_names_op_layer_and_direction():
    set_global_policy("float16")
    model = gf.keras.Sequential([layers.Dense(1, input_shape=(8,), name="regressor")])
    model.compile(optimizer=optimizers.SGD(1e-4), loss=losses.MeanSquaredError(reduction="sum"))
    x, y = _data()
    debugging.enable_check_numerics()
    assert debugging.check_numerics_enabled()
    with pytest.raises(debugging.CheckNumericsError) as info:
        model.fit(x, y, epochs=1, batch_size=512, verbose=0)
    err = info.value
    assert (err.op, err.direction) == ("Dense", "backward")
    assert err.layer.endswith("regressor")
    message = str(err)
    assert (
        "op Dense" in message
        and "regressor" in message
        and "backward" in message
        and "float16" in message
    )


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_check_numerics_forward_and_off():
    layer = layers.Dense(2, name="blowup", kernel_initializer="ones")
    x = np.full((1, 3), 3e38, "float32")
    debugging.enable_check_numerics()
    with pytest.raises(
        debugging.CheckNumericsError, match=r"op Dense in layer '.*blowup'.*forward"
    ) as info:
        layer(x)
    assert info.value.direction == "forward"
    with pytest.raises(debugging.CheckNumericsError, match="outside any layer"):
        gf.math.log(gf.constant([-1.0]))
    debugging.disable_check_numerics()
    with np.errstate(all="ignore"):
        assert np.isinf(layer(x).numpy()).all()  # unchecked again
