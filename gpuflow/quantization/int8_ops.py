"""int8 arithmetic for quantized inference: quantize, int8 GEMM with int32 sums, dequantize.

On devices with CUDA kernels (cuda, cuda-emu) the GEMM is ``kernels/int8_dense.cu``
(``__dp4a``: four int8 products per instruction, int32 accumulation). On the CPU the
int32 sums are computed by float BLAS, which is exact here: every partial sum is an integer
of magnitude at most ``127 * 127 * K``, which float32 represents exactly up to K = 1040 and
float64 up to K = 5.5e11, so the result equals NumPy's int32 matmul bit for bit at a small
fraction of its cost (NumPy's integer matmul does not use BLAS).
"""
from __future__ import annotations

import numpy as np

INT8_DENSE = "int8_dense.cu"
TILE = 16
QMAX = 127
_F32_EXACT_MAX_K = (2 ** 24) // (QMAX * QMAX)  # 1040


def symmetric_scale(max_abs, where: str):
    """``max_abs / 127`` (elementwise), with 1 where ``max_abs`` is 0; errors on NaN/Inf."""
    max_abs = np.asarray(max_abs, dtype=np.float32)
    if not np.all(np.isfinite(max_abs)):
        raise ValueError(f"{where}: cannot quantize values that hold NaN or Inf")
    return np.where(max_abs > 0, max_abs / QMAX, 1.0).astype(np.float32)


def quantize(xp, x, scale):
    """``round(x / scale)`` clipped to [-127, 127], as int8 (``scale`` broadcasts)."""
    q = xp.rint(x.astype(np.float32, copy=False) / scale)
    return xp.clip(q, -QMAX, QMAX).astype(np.int8)


def quantize_weights(kernel_2d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-output-channel symmetric quantization of a ``[K, N]`` kernel.

    Returns:
        ``(wt, scale)``: int8 weights ``[N, K]`` (one row per output channel) and float32
        scales ``[N]`` with ``kernel ~= wt.T * scale``.
    """
    w = np.asarray(kernel_2d, dtype=np.float32)
    scale = symmetric_scale(np.abs(w).max(axis=0) if w.size else np.zeros(w.shape[1]), "quantize_weights")
    return np.ascontiguousarray(quantize(np, w, scale).T), scale


def _pad_k(xp, a):
    """``a [R, K]`` int8 with K padded by zeros to a multiple of 4, C-contiguous and 4-byte aligned."""
    r, k = a.shape
    k4 = -(-k // 4) * 4
    if k4 == k and a.flags.c_contiguous and _address(a) % 4 == 0:
        return a
    out = xp.zeros((r, k4), dtype=np.int8)
    out[:, :k] = a
    return out


def _address(a) -> int:
    return a.ctypes.data if isinstance(a, np.ndarray) else a.data.ptr


def _check(x, wt, op):
    if x.dtype != np.int8 or wt.dtype != np.int8 or x.ndim != 2 or wt.ndim != 2 or x.shape[1] != wt.shape[1]:
        raise ValueError(f"{op}: expected int8 x [M, K] and int8 wt [N, K], received x {x.dtype} "
                         f"{tuple(x.shape)} and wt {wt.dtype} {tuple(wt.shape)}")


def _launch(device, name, x, wt, args_after, out_dtype):
    kernels = device.kernels
    xp = device.xp
    x4, w4 = _pad_k(xp, x), _pad_k(xp, wt)
    m, n, k4 = x.shape[0], wt.shape[0], x4.shape[1] // 4
    with kernels.launcher.context():
        out = xp.empty((m, n), dtype=out_dtype)
    if m and n:
        grid = (-(-n // TILE), -(-m // TILE), 1)
        if grid[1] > 65535:
            raise ValueError(f"{name}: {m} rows need {grid[1]} blocks along y, over CUDA's 65535")
        kernels.launcher.launch(INT8_DENSE, name, grid, (TILE, TILE, 1),
                                (x4, w4) + args_after(out) + (np.int32(m), np.int32(n), np.int32(k4)))
    return out


def int8_matmul(device, x, wt):
    """``x @ wt.T`` with exact int32 sums: x ``[M, K]`` int8, wt ``[N, K]`` int8 -> ``[M, N]`` int32."""
    _check(x, wt, "int8_matmul")
    if device.kernels is not None:
        return _launch(device, "int8_gemm_s32", x, wt, lambda out: (out,), np.int32)
    ftype = np.float32 if x.shape[1] <= _F32_EXACT_MAX_K else np.float64
    return np.matmul(x.astype(ftype), wt.T.astype(ftype)).astype(np.int32)


def int8_dense(device, x, wt, x_scale: float, w_scale, bias, relu: bool):
    """Dequantized ``x @ wt.T``: ``sums * (x_scale * w_scale) + bias``, ReLU'd if asked; float32 ``[M, N]``."""
    _check(x, wt, "int8_dense")
    xp = device.xp
    w_scale = xp.ascontiguousarray(w_scale, dtype=np.float32)
    bias = None if bias is None else xp.ascontiguousarray(bias, dtype=np.float32)
    if device.kernels is not None:
        def tail(out):
            return (w_scale, np.float32(x_scale), bias, np.int32(bool(relu)), out)
        return _launch(device, "int8_dense_f32", x, wt, tail, np.float32)
    out = int8_matmul(device, x, wt).astype(np.float32) * (np.float32(x_scale) * w_scale)
    if bias is not None:
        out += bias
    return xp.maximum(out, 0, out=out) if relu else out
