"""Helpers of the core tests: NumPy inputs per dtype, tolerances, device lists."""

from __future__ import annotations

import numpy as np
from tolerances import TOLERANCES

import gpuflow as gf
from gpuflow.backend import list_devices

DEVICES = list_devices()
CUDA_DEVICES = [d for d in DEVICES if d.startswith("cuda:")]
try:
    from gpuflow.backend.emu import emu_status

    EMU_OK = emu_status()
except ImportError as exc:  # pragma: no cover - the emulator module is optional
    EMU_OK = (False, f"cuda-emu unavailable: {exc}")


def assert_close(actual, expected, dtype="float32", **overrides):
    """``actual`` (Tensor or array) against ``expected`` with the tolerances of ``dtype``."""
    dtype = np.dtype(dtype)
    tol = dict(TOLERANCES[dtype.name]) if dtype.kind == "f" else {"rtol": 0, "atol": 0}
    tol.update(overrides)
    actual = actual.numpy() if isinstance(actual, gf.Tensor) else actual
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64), **tol
    )


def rand(shape, dtype="float64", low=-2.0, high=2.0, seed=None):
    """Uniform values already rounded to ``dtype`` (references then see the same inputs)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=shape).astype(dtype)


def away_from(values, points=(0.0,), margin=0.1):
    """``values`` nudged at least ``margin`` away from each of ``points`` (kinks of abs,
    relu, ...)."""
    out = np.array(values, dtype=np.float64)
    for p in points:
        close = np.abs(out - p) < margin
        out[close] = p + np.where(out[close] >= p, margin, -margin)
    return out.astype(values.dtype)


def ref(array):
    """The float64 NumPy reference input of ``array``."""
    return np.asarray(array, dtype=np.float64)
