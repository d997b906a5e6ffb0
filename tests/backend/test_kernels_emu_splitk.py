"""Split-K weight and bias gradients (kernels/fused_dense.cu: gemm_tn_split_*, bias_grad_*_split,
splitk_reduce_*) on cuda-emu against NumPy float64, for dense and conv backward."""

from __future__ import annotations

import kernel_reference as ref
import numpy as np
import pytest

from gpuflow import config
from gpuflow.backend import emu
from gpuflow.backend.geometry import WindowGeometry
from gpuflow.backend.kernel_ops import SPLIT_MIN_K, KernelOps

_OK, _REASON = emu.emu_status()
pytestmark = pytest.mark.skipif(not _OK, reason=_REASON)
DTYPES = [np.float16, np.float32, np.float64]
TOL = {np.float16: (4e-3, 2e-3), np.float32: (2e-5, 2e-6), np.float64: (1e-12, 1e-13)}


@pytest.fixture
def ops():
    before = config.gemm_backend()
    config.set_gemm_backend("kernel")
    yield KernelOps(emu.EmuLauncher())
    config.set_gemm_backend(before)


def _close(got, want, dtype, k):
    rtol, atol = TOL[dtype]
    assert got.dtype == dtype
    np.testing.assert_allclose(
        got.astype(np.float64), want, rtol=rtol, atol=atol * max(1.0, np.sqrt(k))
    )


def test_lecture_conv_weight_gradient_is_split():
    ops = KernelOps(emu.EmuLauncher())
    # the lecture CNN's first conv at batch 128: dW [9, 16] contracts 128 * 13 * 13 rows
    splits, chunk = ops.split_k(9, 16, 128 * 13 * 13, "small", "f32")
    assert splits > 1 and chunk >= SPLIT_MIN_K and (splits - 1) * chunk < 128 * 13 * 13
    assert ops.split_k(9, 16, 300, "small", "f32") == (1, 304)  # too short to split
    assert ops.split_k(4096, 4096, 4096, "large", "f32")[0] == 1  # a full wave already


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("splits", [2, 3, 7])
@pytest.mark.parametrize("relu,bias", [(True, True), (False, False)])
def test_dense_backward_split_k(ops, dtype, splits, relu, bias):
    M, K, N = 301, 9, 17  # a contraction of 301 rows, not a multiple of any slice
    rng = np.random.default_rng(splits)
    x, w, g = (rng.standard_normal(s).astype(dtype) for s in ((M, K), (K, N), (M, N)))
    b = rng.standard_normal(N).astype(dtype) if bias else None
    out = ops.dense_forward(x, w, b, relu)
    ops.force_splits = splits
    assert ops.split_k(K, N, M, "small", "f32")[0] == splits
    dx, dw, db = ops.dense_backward(x, w, out, g, relu, need_db=bias)
    rdx, rdw, rdb = ref.dense_backward(x, w, out, g, relu)
    _close(dx, rdx, dtype, N)
    _close(dw, rdw, dtype, M)
    if bias:
        _close(db, rdb, dtype, M)
    else:
        assert db is None


@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=lambda d: d.__name__)
@pytest.mark.parametrize("bias", [True, False])
def test_conv_backward_splits_by_itself_and_matches_numpy(ops, dtype, bias):
    n, h, w, c, f = 2, 20, 20, 1, 4  # 2 * 18 * 18 = 648 rows: long enough to split
    rng = np.random.default_rng(5)
    x = rng.standard_normal((n, h, w, c)).astype(dtype)
    kern = rng.standard_normal((3, 3, c, f)).astype(dtype)
    b = rng.standard_normal(f).astype(dtype) if bias else None
    geo = WindowGeometry(x.shape, 3, 3, 1, 1, "valid")
    assert ops.split_k(9 * c, f, n * geo.oh * geo.ow, "small", "f16")[0] > 1
    y, saved = ops.conv2d_forward(x, kern, b, True, geo)
    g = rng.standard_normal(y.shape).astype(dtype)
    dx, dk, db = ops.conv2d_backward(saved, g)
    cols = ref.im2col(x, 3, 3, 1, 1, 0, 0, geo.oh, geo.ow)
    gm = g.reshape(-1, f).astype(np.float64) * (y.reshape(-1, f) > 0)
    _close(dk, (cols.T @ gm).reshape(kern.shape), dtype, cols.shape[0])
    if bias:
        _close(db, gm.sum(axis=0), dtype, cols.shape[0])
    else:
        assert db is None  # no bias, no bias gradient
    dx2, dk2, db2 = ops.conv2d_backward(saved, g)  # fixed-order sums: bitwise the same
    np.testing.assert_array_equal(dk, dk2)
    if bias:
        np.testing.assert_array_equal(db, db2)
