"""Shared fixtures: the devices and dtypes every op test runs over (tolerances: tests/tolerances.py)."""
from __future__ import annotations

import numpy as np
import pytest

import gpuflow
from gpuflow.backend import list_devices
from tolerances import FLOAT_DTYPES, TOLERANCES, assert_close  # noqa: F401  (re-exported)

DEVICES = list_devices()  # cpu always; cuda:N where a GPU answers; cuda-emu where g++ works


@pytest.fixture(params=DEVICES)
def device(request):
    """Each device available here."""
    return request.param


@pytest.fixture(params=FLOAT_DTYPES)
def float_dtype(request):
    return request.param


@pytest.fixture(autouse=True)
def _seed_and_defaults():
    """Every test starts from seed 0 and the default float type."""
    gpuflow.random.set_seed(0)
    np.random.seed(0)
    yield
    gpuflow.config.set_floatx("float32")
    gpuflow.mixed_precision.set_global_policy(None)  # back to "follow floatx"
