"""cuda-emu runs of gpuflow's CUDA kernels (through KernelOps) against NumPy float64.

The emulator executes the same kernels/*.cu and the same Python launch code as the GPU,
so these tests check tile edges, strides, masks and dtype plumbing on every CI run.
Skipped, with the reason, where g++ with C++20 is missing.
"""

from __future__ import annotations

import kernel_reference as ref
import numpy as np
import pytest

from gpuflow import config
from gpuflow.backend import emu
from gpuflow.backend.kernel_ops import KernelOps
from gpuflow.backend.kernel_source import KERNEL_FILES

_OK, _REASON = emu.emu_status()
pytestmark = pytest.mark.skipif(not _OK, reason=_REASON)

DTYPES = [np.float16, np.float32, np.float64]
# (rtol, atol per sqrt(contraction length)): inputs are already rounded to the dtype, so
# the error is accumulation order plus one final rounding (float16: 2**-11 relative).
TOL = {np.float16: (4e-3, 2e-3), np.float32: (2e-5, 2e-6), np.float64: (1e-12, 1e-13)}
# (M, K, N): 1x1x1, odd sizes around the tiles, batch 1.
SHAPES = [(1, 1, 1), (37, 70, 45), (1, 70, 45), (129, 513, 255)]


@pytest.fixture
def ops():
    """KernelOps on the emulator with the GEMM forced to our kernels."""
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


def _dense_inputs(M, K, N, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x, w, b, g = (rng.standard_normal(s).astype(dtype) for s in ((M, K), (K, N), (N,), (M, N)))
    return x, w, b, g


def _combos(shape):
    # The largest shape takes ~1 s per dtype on the emulator: two combos cover it.
    if shape == (129, 513, 255):
        return [(True, True), (False, False)]
    return [(r, b) for r in (False, True) for b in (False, True)]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize(
    "shape,relu,bias",
    [(s, r, b) for s in SHAPES for r, b in _combos(s)],
    ids=lambda v: "x".join(map(str, v)) if isinstance(v, tuple) else str(v),
)
def test_dense_forward_backward(ops, shape, relu, bias, dtype):
    M, K, N = shape
    x, w, b, g = _dense_inputs(M, K, N, dtype)
    b = b if bias else None
    out = ops.dense_forward(x, w, b, relu)
    assert out.shape == (M, N)
    _close(out, ref.dense_forward(x, w, b, relu), dtype, K)

    dx, dw, db = ops.dense_backward(x, w, out, g, relu)
    rdx, rdw, rdb = ref.dense_backward(x, w, out, g, relu)  # mask from the kernel's own out
    _close(dx, rdx, dtype, N)
    _close(dw, rdw, dtype, M)
    _close(db, rdb, dtype, M)


@pytest.mark.parametrize("variant", ["large", "small"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_both_gemm_tiles(ops, variant, dtype):
    M, K, N = (37, 70, 45) if dtype != np.float32 else (129, 513, 255)
    ops.force_variant = variant
    x, w, b, g = _dense_inputs(M, K, N, dtype, seed=1)
    out = ops.dense_forward(x, w, b, True)
    _close(out, ref.dense_forward(x, w, b, True), dtype, K)
    dx, dw, db = ops.dense_backward(x, w, out, g, True)
    rdx, rdw, rdb = ref.dense_backward(x, w, out, g, True)
    _close(dx, rdx, dtype, N)
    _close(dw, rdw, dtype, M)
    _close(db, rdb, dtype, M)


def test_dense_backward_without_dx(ops):
    x, w, b, g = _dense_inputs(5, 7, 3, np.float32)
    out = ops.dense_forward(x, w, b, True)
    dx, dw, db = ops.dense_backward(x, w, out, g, True, need_dx=False)
    assert dx is None
    _close(dw, ref.dense_backward(x, w, out, g, True)[1], np.float32, 5)


@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=lambda d: d.__name__)
def test_cublas_switch_matches(ops, dtype):
    """GPUFLOW_GEMM=cublas takes the xp.matmul path (NumPy here); same results."""
    config.set_gemm_backend("cublas")
    x, w, b, g = _dense_inputs(37, 70, 45, dtype)
    out = ops.dense_forward(x, w, b, True)
    _close(out, ref.dense_forward(x, w, b, True), dtype, 70)
    dx, dw, db = ops.dense_backward(x, w, out, g, True)
    for got, want, k in zip((dx, dw, db), ref.dense_backward(x, w, out, g, True), (45, 37, 37)):
        _close(got, want, dtype, k)


def test_auto_runs_kernels_on_emu(ops):
    config.set_gemm_backend("auto")
    assert ops.use_kernel(4096, 4096, 4096)


# (N, H, W, C, KH, KW, stride, padding): odd sizes, even kernels (asymmetric 'same' pads),
# 1x1 kernels, stride 1 and 2, batch 1.
CONVS = [
    (2, 7, 9, 3, 3, 3, 1, "valid"),
    (2, 7, 9, 3, 3, 3, 1, "same"),
    (1, 8, 11, 2, 3, 2, 2, "same"),
    (2, 9, 9, 3, 5, 5, 2, "valid"),
    (1, 5, 6, 1, 1, 1, 2, "same"),
    (3, 6, 5, 4, 4, 3, 2, "same"),
    (1, 1, 1, 1, 1, 1, 1, "valid"),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("case", CONVS, ids=lambda c: "-".join(map(str, c)))
def test_im2col_col2im(ops, case, dtype):
    n, h, w, c, kh, kw, s, padding = case
    oh, pt = ref.tf_pads(h, kh, s, padding)
    ow, pl = ref.tf_pads(w, kw, s, padding)
    geom = (kh, kw, s, s, pt, pl, oh, ow)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((n, h, w, c)).astype(dtype)
    f = 4
    kernel = rng.standard_normal((kh, kw, c, f)).astype(dtype)

    cols = ops.im2col(x, *geom)
    assert cols.shape == (n * oh * ow, kh * kw * c)
    np.testing.assert_array_equal(cols.astype(np.float64), ref.im2col(x, *geom))  # a pure copy
    conv = cols.astype(np.float64) @ kernel.reshape(kh * kw * c, f).astype(np.float64)
    np.testing.assert_allclose(
        conv.reshape(n, oh, ow, f),
        ref.conv2d_direct(x, kernel, s, s, pt, pl, oh, ow),
        rtol=1e-10,
        atol=1e-10,
    )

    dcols = rng.standard_normal(cols.shape).astype(dtype)
    dx = ops.col2im(dcols, x.shape, *geom)
    assert dx.shape == x.shape
    _close(dx, ref.col2im(dcols, x.shape, *geom), dtype, kh * kw)
    # Adjoint identity <im2col(x), y> == <x, col2im(y)> on the exact float64 kernels.
    if dtype == np.float64:
        assert np.isclose(np.vdot(cols, dcols), np.vdot(x, dx), rtol=1e-12)


def test_col2im_is_deterministic(ops):
    rng = np.random.default_rng(3)
    cols = rng.standard_normal((2 * 4 * 4, 3 * 3 * 5)).astype(np.float32)
    a = ops.col2im(cols, (2, 7, 7, 5), 3, 3, 2, 2, 1, 1, 4, 4)
    b = ops.col2im(cols, (2, 7, 7, 5), 3, 3, 2, 2, 1, 1, 4, 4)
    np.testing.assert_array_equal(a, b)


def test_errors_name_the_op(ops):
    x = np.zeros((3, 4), np.float32)
    with pytest.raises(TypeError, match=r"dense_forward: .*x float32, w float64"):
        ops.dense_forward(x, np.zeros((4, 2), np.float64), None, False)
    with pytest.raises(
        ValueError, match=r"dense_forward: expected x \[M,K\] and w \[K,N\].*\(3, 4\).*\(5, 2\)"
    ):
        ops.dense_forward(x, np.zeros((5, 2), np.float32), None, False)
    with pytest.raises(ValueError, match=r"col2im: expected cols of shape"):
        ops.col2im(np.zeros((3, 3), np.float32), (1, 4, 4, 1), 3, 3, 1, 1, 0, 0, 2, 2)


def test_launcher_refuses_python_ints(ops):
    with pytest.raises(TypeError, match=r"bias_grad_f32: expected 6 arguments|argument 3 is int"):
        z = np.zeros((2, 2), np.float32)
        ops.launcher.launch(
            "fused_dense.cu", "bias_grad_f32", (1, 1, 1), (32, 8, 1), (z, None, z[0], 2, 2)
        )


def test_emu_compile_error_names_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("GPUFLOW_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(
        emu, "load_source", lambda f: 'extern "C" __global__ void k(int a) { oops; }'
    )
    with pytest.raises(emu.EmuCompileError, match=r"fused_dense\.cu[\s\S]*oops"):
        emu.EmuLauncher().module("fused_dense.cu")


def test_library_is_cached(tmp_path, monkeypatch):
    launcher = emu.EmuLauncher()
    launcher.precompile()
    assert launcher.compiled() == sorted(KERNEL_FILES)
    libs = sorted(p.name for p in emu.cache_dir().glob("*.so"))
    assert any(n.startswith("fused_dense-") for n in libs) and any(
        n.startswith("im2col-") for n in libs
    )


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_relu_propagates_nan_like_numpy_maximum(ops, dtype):
    x, w, b, _ = _dense_inputs(5, 7, 6, dtype, seed=3)
    x[1, 2] = np.nan  # row 1 of the output is NaN before the ReLU
    b[4] = np.nan  # column 4 too
    got = ops.dense_forward(x, w, b, True)
    want = np.maximum(x.astype(np.float64) @ w.astype(np.float64) + b, 0)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    assert np.isnan(got).sum() == 6 + 5 - 1
    _close(np.where(np.isnan(got), 0, got), np.where(np.isnan(want), 0, want), dtype, 7)


def test_conv_relu_propagates_nan_like_numpy_maximum(ops):
    from gpuflow.backend.geometry import WindowGeometry

    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 5, 5, 2)).astype(np.float32)
    x[0, 2, 2, 1] = np.nan
    kern = rng.standard_normal((3, 3, 2, 3)).astype(np.float32)
    geo = WindowGeometry(x.shape, 3, 3, 1, 1, "valid")
    y, _ = ops.conv2d_forward(x, kern, None, True, geo)
    assert np.isnan(y).all()  # every 3x3 window of the 5x5 image covers the centre
