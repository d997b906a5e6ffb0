"""Op-level benchmarks (pytest-benchmark): gpuflow vs NumPy/CuPy vs PyTorch, same inputs.

    python -m pytest benchmarks/bench_ops.py --benchmark-only [--benchmark-group-by=param:case]

One benchmark per (device, dtype, op, implementation); the ops and their peers are those
of the suite (``benchmarks/suite/ops.py``): matmul, fused dense forward and
forward + backward, conv2d forward and forward + backward on the lecture CNN's layers,
sparse softmax cross-entropy, a large elementwise add. The first call (compilation,
autotuning) is left out by pytest-benchmark's warm-up; ``gpuflow bench`` reports it apart.
"""

from __future__ import annotations

import functools

import pytest
from _cases import DTYPES, QUICK, devices, synced

IMPLS = ("gpuflow", "numpy", "cupy", "torch-cpu", "torch-cuda")
CASES = (
    "matmul",
    "dense_relu_fwd",
    "dense_relu_fwd_bwd",
    "conv2d_relu_fwd conv1",
    "conv2d_relu_fwd_bwd conv1",
    "conv2d_relu_fwd conv2",
    "conv2d_relu_fwd_bwd conv2",
    "sparse_softmax_xent_fwd_bwd",
    "add_elementwise",
)


@functools.cache
def _cases(device: str, dtype: str) -> dict:
    from suite import ops

    out = {}
    for c in ops.cases(device, dtype, QUICK):
        key = c.op + (" " + c.shape.split()[0] if c.op.startswith("conv") else "")
        out[key] = c
    return out


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("device", devices())
def test_op(benchmark, device, dtype, case, impl):
    c = _cases(device, dtype)[case]
    if impl not in c.fns:
        pytest.skip(c.skipped.get(impl) or f"{impl} does not run on {device}")
    benchmark.group = f"{case} {c.shape} {device} {dtype}"
    benchmark.extra_info.update(shape=c.shape, flops=c.flops, bytes=c.bytes)
    benchmark(synced(c.fns[impl], c.syncs.get(impl, lambda: None)))
