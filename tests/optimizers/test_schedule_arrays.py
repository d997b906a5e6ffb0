"""Schedules called on many steps at once, as the guides plot them."""

import numpy as np
import pytest

import gpuflow as gf

schedules = gf.keras.optimizers.schedules


@pytest.mark.parametrize(
    "schedule",
    [
        schedules.InverseTimeDecay(0.001, decay_steps=100, decay_rate=1),
        schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True),
        schedules.PiecewiseConstantDecay([5, 20], [1.0, 0.5, 0.1]),
        schedules.CosineDecay(0.1, decay_steps=30, warmup_target=0.2, warmup_steps=5),
    ],
)
@pytest.mark.parametrize("as_tensor", [False, True])
def test_a_schedule_on_an_array_of_steps_is_each_step_s_rate(schedule, as_tensor):
    steps = np.linspace(0, 50, 11)
    rates = schedule(gf.constant(steps) if as_tensor else steps)
    assert rates.shape == (11,) and rates.dtype == gf.float32
    expected = [float(schedule(float(s))) for s in steps]
    np.testing.assert_allclose(rates.numpy(), expected, rtol=1e-6)
    grid = schedule([[0, 10], [20, 30]])
    assert grid.shape == (2, 2)
    np.testing.assert_allclose(grid.numpy()[1, 0], float(schedule(20)), rtol=1e-6)
