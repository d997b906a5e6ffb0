"""The int8 GEMM: kernels/int8_dense.cu on cuda-emu (and cuda where present) vs NumPy int32,
and the CPU path (float BLAS) bit-identical to NumPy's int32 matmul."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow.backend import emu, get_device
from gpuflow.quantization import int8_ops

_OK, _REASON = emu.emu_status()
SHAPES = [
    (1, 4, 1),
    (37, 70, 45),
    (16, 1040, 16),
    (33, 9, 17),
]  # K=70, 9: padded to a multiple of 4


def _ints(shape, rng, extreme=False):
    if extreme:
        return np.where(rng.random(shape) < 0.5, -127, 127).astype(np.int8)
    return rng.integers(-127, 128, shape).astype(np.int8)


def _kernel_devices():
    return [d for d in ("cuda-emu", "cuda:0") if d in __import__("gpuflow").list_devices()]


@pytest.mark.parametrize("extreme", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_cpu_int8_matmul_is_exact(shape, extreme):
    m, k, n = shape
    rng = np.random.default_rng(0)
    x, wt = _ints((m, k), rng, extreme), _ints((n, k), rng, extreme)
    got = int8_ops.int8_matmul(get_device("cpu"), x, wt)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, x.astype(np.int32) @ wt.T.astype(np.int32))


def test_cpu_int8_matmul_beyond_float32_exact_range():
    rng = np.random.default_rng(1)
    x, wt = _ints((3, 2000), rng, True), _ints((2, 2000), rng, True)
    np.testing.assert_array_equal(
        int8_ops.int8_matmul(get_device("cpu"), x, wt), x.astype(np.int32) @ wt.T.astype(np.int32)
    )


@pytest.mark.skipif(not _kernel_devices(), reason=_REASON or "no device with CUDA kernels")
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_kernel_int32_sums_bit_exact(shape):
    m, k, n = shape
    rng = np.random.default_rng(2)
    x, wt = _ints((m, k), rng, k == 1040), _ints((n, k), rng, k == 1040)
    want = x.astype(np.int32) @ wt.T.astype(np.int32)
    for name in _kernel_devices():
        dev = get_device(name)
        got = dev.to_host(int8_ops.int8_matmul(dev, dev.asarray(x), dev.asarray(wt)))
        assert got.dtype == np.int32
        np.testing.assert_array_equal(got, want, err_msg=name)


@pytest.mark.skipif(not _kernel_devices(), reason=_REASON or "no device with CUDA kernels")
@pytest.mark.parametrize("relu", [False, True])
@pytest.mark.parametrize("bias", [False, True])
def test_kernel_dequantized_epilogue_matches_cpu(relu, bias):
    rng = np.random.default_rng(3)
    x, wt = _ints((37, 70), rng), _ints((45, 70), rng)
    w_scale = rng.random(45).astype(np.float32) * 0.01 + 1e-3
    b = rng.standard_normal(45).astype(np.float32) if bias else None
    cpu = int8_ops.int8_dense(get_device("cpu"), x, wt, 0.02, w_scale, b, relu)
    want = (x.astype(np.int64) @ wt.T.astype(np.int64)) * (np.float64(np.float32(0.02)) * w_scale)
    want = want + (b if bias else 0)
    want = np.maximum(want, 0) if relu else want
    np.testing.assert_allclose(cpu, want, rtol=1e-6, atol=1e-6)
    for name in _kernel_devices():
        dev = get_device(name)
        got = dev.to_host(
            int8_ops.int8_dense(
                dev,
                dev.asarray(x),
                dev.asarray(wt),
                0.02,
                dev.asarray(w_scale),
                None if b is None else dev.asarray(b),
                relu,
            )
        )
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, cpu, rtol=1e-6, atol=1e-6, err_msg=name)


def test_wrong_inputs_are_named():
    with pytest.raises(ValueError, match=r"int8_matmul: expected int8 x \[M, K\]"):
        int8_ops.int8_matmul(
            get_device("cpu"), np.zeros((2, 3), np.float32), np.zeros((2, 3), np.int8)
        )
