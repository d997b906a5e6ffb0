"""Shared fixtures: the devices and dtypes every op test runs over."""
from __future__ import annotations

import numpy as np
import pytest

import gpuflow
from gpuflow.backend import list_devices

DEVICES = list_devices()  # cpu always; cuda:N where a GPU answers; cuda-emu where g++ works
FLOAT_DTYPES = ["float16", "float32", "float64"]
# Looser tolerances for float16, as Chainer's testing does.
TOLERANCES = {"float16": dict(rtol=1e-2, atol=1e-2), "float32": dict(rtol=1e-5, atol=1e-5),
              "float64": dict(rtol=1e-10, atol=1e-10)}


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


def assert_close(actual, expected, dtype="float32", **overrides):
    tol = dict(TOLERANCES[str(np.dtype(dtype))] if np.dtype(dtype).kind == "f" else dict(rtol=0, atol=0))
    tol.update(overrides)
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64), **tol)
