"""``y += a * x`` through BLAS (gpuflow/backend/blas.py), and its NumPy fallback."""

import numpy as np
import pytest

from gpuflow.backend import blas


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [10, 5000, 300_000])
def test_axpy_equals_numpy(dtype, size):
    rng = np.random.default_rng(size)
    x = rng.standard_normal(size).astype(dtype)
    y = rng.standard_normal(size).astype(dtype)
    expected = y.astype(np.float64) - 0.25 * x.astype(np.float64)
    blas.axpy(-0.25, x, y)
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(y, expected, rtol=tol, atol=tol)


def test_axpy_on_views_and_mixed_dtypes_uses_numpy():
    rng = np.random.default_rng(1)
    base = rng.standard_normal((200, 100)).astype(np.float32)
    y = rng.standard_normal((100, 200)).astype(np.float32)
    expected = y + 2.0 * base.T
    blas.axpy(2.0, base.T, y)  # x not contiguous
    np.testing.assert_allclose(y, expected, rtol=1e-6)
    y64 = rng.standard_normal(10_000)
    x16 = rng.standard_normal(10_000).astype(np.float16)
    expected = y64 + 0.5 * x16
    blas.axpy(0.5, x16, y64)
    np.testing.assert_allclose(y64, expected, rtol=1e-12)


def test_axpy_writes_into_a_view_in_place():
    y = np.zeros((3, 10_000), np.float32)
    blas.axpy(1.0, np.ones(10_000, np.float32), y[1])
    assert y[1].sum() == 10_000 and y[0].sum() == 0 and y[2].sum() == 0


def test_numpy_wheels_bring_a_blas_axpy():
    # NumPy's PyPI wheels ship scipy-openblas; other builds fall back to NumPy
    config = np.show_config(mode="dicts")
    name = config.get("Build Dependencies", {}).get("blas", {}).get("name", "")
    if name != "scipy-openblas":
        pytest.skip(f"NumPy built with {name or 'an unknown BLAS'}")
    assert blas.available()
