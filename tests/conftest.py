"""Shared fixtures: the devices and dtypes every op test runs over (tolerances:
tests/tolerances.py)."""

from __future__ import annotations

import numpy as np
import pytest
from tolerances import FLOAT_DTYPES, TOLERANCES, assert_close  # noqa: F401  (re-exported)

import gpuflow
from gpuflow.backend import list_devices
from gpuflow.config import settings

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
    settings.set_image_data_format("channels_last")


@pytest.fixture
def emu():
    """The 'cuda-emu' device name; skips with the reason where g++ (C++20) is missing."""
    from core_helpers import EMU_OK

    if not EMU_OK[0]:
        pytest.skip(EMU_OK[1])
    return "cuda-emu"


@pytest.fixture
def gpu():
    """The first CUDA device name; skips with the reason where no GPU answers."""
    from core_helpers import CUDA_DEVICES

    if not CUDA_DEVICES:
        from gpuflow.backend import cuda_status

        pytest.skip(f"no GPU: {cuda_status()[1]}")
    return CUDA_DEVICES[0]
