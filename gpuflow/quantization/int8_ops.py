"""int8 arithmetic for quantized inference: quantize, int8 GEMM with int32 sums, dequantize.

The GEMMs are the device's kernel set (``int8_matmul`` / ``int8_dense``): on cuda and
cuda-emu ``kernels/int8_dense.cu`` (``__dp4a``: four int8 products per instruction, int32
accumulation); on the CPU exact int32 sums through float BLAS (see
``gpuflow/backend/cpu_kernels.py``).
"""

from __future__ import annotations

import numpy as np

QMAX = 127


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
    scale = symmetric_scale(
        np.abs(w).max(axis=0) if w.size else np.zeros(w.shape[1]), "quantize_weights"
    )
    return np.ascontiguousarray(quantize(np, w, scale).T), scale


def _check(x, wt, op):
    if (
        x.dtype != np.int8
        or wt.dtype != np.int8
        or x.ndim != 2
        or wt.ndim != 2
        or x.shape[1] != wt.shape[1]
    ):
        raise ValueError(
            f"{op}: expected int8 x [M, K] and int8 wt [N, K], received x {x.dtype.name} "
            f"{tuple(x.shape)} and wt {wt.dtype.name} {tuple(wt.shape)}"
        )


def int8_matmul(device, x, wt):
    """``x @ wt.T`` with exact int32 sums: x ``[M, K]``, wt ``[N, K]`` int8 -> ``[M, N]`` int32."""
    _check(x, wt, "int8_matmul")
    return device.kernels.int8_matmul(x, wt)


def int8_dense(device, x, wt, x_scale: float, w_scale, bias, relu: bool):
    """Dequantized ``x @ wt.T``: ``sums * (x_scale * w_scale) + bias``, ReLU'd if asked;
    float32 ``[M, N]``.
    """
    _check(x, wt, "int8_dense")
    xp = device.xp
    w_scale = xp.ascontiguousarray(w_scale, dtype=np.float32)
    bias = None if bias is None else xp.ascontiguousarray(bias, dtype=np.float32)
    return device.kernels.int8_dense(x, wt, float(x_scale), w_scale, bias, bool(relu))
