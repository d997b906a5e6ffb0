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


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
def test_gemm_update_equals_numpy(dtype, transpose_a, transpose_b):
    rng = np.random.default_rng(7)
    m, k, n = 37, 19, 23
    a = rng.standard_normal((k, m) if transpose_a else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if transpose_b else (k, n)).astype(dtype)
    a = a.T if transpose_a else a  # a Fortran-ordered view, as x.T in a Dense backward
    b = b.T if transpose_b else b
    c = rng.standard_normal((m, n)).astype(dtype)
    expected = c.astype(np.float64) - 0.1 * (a.astype(np.float64) @ b.astype(np.float64))
    blas.gemm_update(-0.1, a, b, c)
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(c, expected, rtol=tol, atol=tol)


def test_gemm_update_on_strided_views_and_mixed_dtypes_uses_numpy():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((8, 12)).astype(np.float32)[:, ::2]  # neither C nor F ordered
    b = rng.standard_normal((6, 5)).astype(np.float32)
    c = np.zeros((8, 5), np.float32)
    blas.gemm_update(2.0, a, b, c)
    np.testing.assert_allclose(c, 2.0 * (a @ b), rtol=1e-6)
    c64 = np.ones((8, 5))
    blas.gemm_update(1.0, a, b, c64)  # float32 operands, a float64 accumulator
    np.testing.assert_allclose(c64, 1.0 + a.astype(np.float64) @ b, rtol=1e-5, atol=1e-5)


def test_gemm_update_names_mismatched_shapes():
    with pytest.raises(ValueError, match=r"gemm_update: expected a \[M,K\], b \[K,N\]"):
        blas.gemm_update(1.0, np.ones((3, 4)), np.ones((5, 2)), np.ones((3, 2)))
