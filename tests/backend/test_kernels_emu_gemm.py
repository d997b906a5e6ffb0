"""The fused GEMM's edge cases on cuda-emu against NumPy float64: 16-byte vector loads where
aligned and the element-wise fallback where not, sizes off the tiles, 1, long K; the float16
GEMM through the emulated WMMA fragments; and the launch geometry (rows on grid.x)."""

from __future__ import annotations

import kernel_reference as ref
import numpy as np
import pytest

from gpuflow import config
from gpuflow.backend import emu
from gpuflow.backend.kernel_ops import GEMM_TILES, KernelOps

_OK, _REASON = emu.emu_status()
DTYPES = [np.float16, np.float32, np.float64]
TOL = {np.float16: (4e-3, 2e-3), np.float32: (2e-5, 2e-6), np.float64: (1e-12, 1e-13)}
# (M, K, N): every dim a multiple of 8 but not of the tiles (the vector path), aligned tiles,
# a single row, a long contraction.
SHAPES = [(40, 24, 72), (64, 64, 64), (1, 16, 8), (9, 1032, 12)]


@pytest.fixture
def ops():
    if not _OK:
        pytest.skip(_REASON)
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


def _misaligned(a):
    """The same values in a C-contiguous array whose data is 2 bytes past a 16-byte boundary."""
    flat = np.empty(a.size + 8, dtype=a.dtype)
    offset = (-(flat.ctypes.data % 16) // a.itemsize + 1) % 8 or 1
    view = flat[offset : offset + a.size].reshape(a.shape)
    view[...] = a
    assert view.ctypes.data % 16 != 0 and view.flags.c_contiguous
    return view


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("variant", ["large", "small"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_gemm_edges_forward_backward(ops, shape, variant, dtype):
    M, K, N = shape
    ops.force_variant = variant
    rng = np.random.default_rng(M + K + N)
    x, w, g = (rng.standard_normal(s).astype(dtype) for s in ((M, K), (K, N), (M, N)))
    b = rng.standard_normal(N).astype(dtype)
    out = ops.dense_forward(x, w, b, True)
    _close(out, ref.dense_forward(x, w, b, True), dtype, K)
    dx, dw, db = ops.dense_backward(x, w, out, g, True)
    rdx, rdw, rdb = ref.dense_backward(x, w, out, g, True)
    _close(dx, rdx, dtype, N)
    _close(dw, rdw, dtype, M)
    _close(db, rdb, dtype, M)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_misaligned_inputs_take_the_elementwise_path(ops, dtype):
    M, K, N = 40, 24, 72
    rng = np.random.default_rng(9)
    x, w = (rng.standard_normal(s).astype(dtype) for s in ((M, K), (K, N)))
    b = rng.standard_normal(N).astype(dtype)
    want = ref.dense_forward(x, w, b, False)
    _close(ops.dense_forward(_misaligned(x), _misaligned(w), b, False), want, dtype, K)


class _Recorder:
    kind, xp, sm_count = "cuda-emu", np, 132

    def __init__(self):
        self.launches = []

    def context(self):
        import contextlib

        return contextlib.nullcontext()

    def launch(self, filename, name, grid, block, args):
        self.launches.append((name, grid, block))


def test_rows_go_on_grid_x_beyond_65535_blocks():
    config.set_gemm_backend("kernel")
    try:
        ops = KernelOps(_Recorder())
        M = 65535 * 32 + 1  # one more row tile than grid.y could hold
        ops.dense_forward(np.zeros((M, 1), np.float32), np.zeros((1, 2), np.float32), None, True)
    finally:
        config.set_gemm_backend("auto")
    ((name, grid, block),) = ops.launcher.launches
    bm, bn = GEMM_TILES[("large", "f32")]
    assert name == "gemm_nn_large_f32" and grid == (-(-M // bm), 1, 1) and block == (256, 1, 1)


def test_float16_gemm_uses_the_wmma_tiles():
    ops = KernelOps(_Recorder())
    assert ops.gemm_variant(4096, 4096, "f16") == "large"
    assert ops.gemm_variant(32, 512, "f16") == "small"  # 8 large blocks: under a wave
    config.set_gemm_backend("kernel")
    try:
        ops.dense_forward(
            np.zeros((32, 784), np.float16), np.zeros((784, 512), np.float16), None, True
        )
    finally:
        config.set_gemm_backend("auto")
    assert ops.launcher.launches[-1][0] == "gemm_nn_small_f16"
    assert ops.launcher.launches[-1][2] == (128, 1, 1)  # four warps of WMMA fragments


def test_im2col_picks_32_bit_indices_unless_too_many_elements(monkeypatch):
    from gpuflow.backend import kernel_ops

    ops = KernelOps(_Recorder())
    x = np.zeros((2, 5, 5, 3), np.float32)
    ops.im2col(x, 3, 3, 1, 1, 0, 0, 3, 3)
    assert ops.launcher.launches[-1][0] == "im2col_f32"
    monkeypatch.setattr(kernel_ops, "_INT32_MAX", 500)  # as if the arrays were over 2^31
    monkeypatch.setattr(kernel_ops, "MAX_GRID_X", 1)
    ops.im2col(x, 3, 3, 1, 1, 0, 0, 3, 3)
    assert ops.launcher.launches[-1][0] == "im2col_f32_i64"


@pytest.mark.parametrize("kernel", ["im2col_f32_i64", "col2im_f32_i64"])
def test_64_bit_index_twins_match_the_32_bit_kernels(ops, kernel):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 6, 5, 3)).astype(np.float32)
    geom = (3, 2, 2, 1, 1, 0, 3, 4)
    cols = ops.im2col(x, *geom)
    if kernel.startswith("im2col"):
        got = np.empty_like(cols)
        ops.launcher.launch(
            "im2col.cu",
            kernel,
            (4, 1, 1),
            (256, 1, 1),
            (x, got, *map(np.int32, (2, 6, 5, 3) + geom)),
        )
        np.testing.assert_array_equal(got, cols)
    else:
        dx = ops.col2im(cols, x.shape, *geom)
        got = np.empty_like(dx)
        ops.launcher.launch(
            "im2col.cu",
            kernel,
            (4, 1, 1),
            (256, 1, 1),
            (cols, got, *map(np.int32, (2, 6, 5, 3) + geom)),
        )
        np.testing.assert_array_equal(got, dx)
