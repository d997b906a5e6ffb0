"""Per-op overhead on the CPU for tiny tensors: gpuflow next to NumPy alone, in one run.

Run: ``python -m pytest benchmarks/bench_overhead.py --benchmark-only`` (pytest collects
``bench_*.py`` only when the file is named). With 4x4 float32 operands the arithmetic
costs well under a microsecond, so the difference to NumPy is gpuflow's own cost per op:
operand checks, the Function object, the Tensor wrapper and (under a tape) the graph.
Figures and the machine: ``benchmarks/README.md``.
"""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

SHAPE = (4, 4)


@pytest.fixture(scope="module")
def arrays():
    rng = np.random.default_rng(0)
    return rng.standard_normal(SHAPE).astype(np.float32), rng.standard_normal(SHAPE).astype(
        np.float32
    )


@pytest.fixture(scope="module")
def tensors(arrays):
    return gf.constant(arrays[0], device="cpu"), gf.constant(arrays[1], device="cpu")


@pytest.mark.benchmark(group="add 4x4")
def test_add_numpy(benchmark, arrays):
    a, b = arrays
    benchmark(np.add, a, b)


@pytest.mark.benchmark(group="add 4x4")
def test_add_gpuflow(benchmark, tensors):
    a, b = tensors
    benchmark(gf.add, a, b)


@pytest.mark.benchmark(group="add 4x4")
def test_add_operator_gpuflow(benchmark, tensors):
    a, b = tensors
    benchmark(lambda: a + b)


@pytest.mark.benchmark(group="matmul 4x4")
def test_matmul_numpy(benchmark, arrays):
    a, b = arrays
    benchmark(np.matmul, a, b)


@pytest.mark.benchmark(group="matmul 4x4")
def test_matmul_gpuflow(benchmark, tensors):
    a, b = tensors
    benchmark(gf.matmul, a, b)


# Forward + gradient: NumPy does the same arithmetic by hand (y = a op b; the gradients of
# sum(y) with respect to a and b), so the difference is the tape and the graph walk.
def _numpy_add_grad(a, b):
    y = a + b
    g = np.ones_like(y)
    return g, g


def _numpy_matmul_grad(a, b):
    y = a @ b
    g = np.ones_like(y)
    return g @ b.T, a.T @ g


def _tape_grad(op, a, b):
    with gf.GradientTape() as tape:
        tape.watch(a)
        tape.watch(b)
        y = op(a, b)
    return tape.gradient(y, [a, b])


@pytest.mark.benchmark(group="add 4x4 + gradient")
def test_add_grad_numpy(benchmark, arrays):
    benchmark(_numpy_add_grad, *arrays)


@pytest.mark.benchmark(group="add 4x4 + gradient")
def test_add_grad_gpuflow(benchmark, tensors):
    benchmark(_tape_grad, gf.add, *tensors)


@pytest.mark.benchmark(group="matmul 4x4 + gradient")
def test_matmul_grad_numpy(benchmark, arrays):
    benchmark(_numpy_matmul_grad, *arrays)


@pytest.mark.benchmark(group="matmul 4x4 + gradient")
def test_matmul_grad_gpuflow(benchmark, tensors):
    benchmark(_tape_grad, gf.matmul, *tensors)


@pytest.mark.benchmark(group="tape alone")
def test_empty_tape_gpuflow(benchmark, tensors):
    """Entering and leaving a tape with one watched tensor: the fixed cost of recording."""
    a = tensors[0]

    def run():
        with gf.GradientTape() as tape:
            tape.watch(a)

    benchmark(run)


# Ten adds under one tape: spreads the tape's fixed cost (enter, watch, gradient call)
# and shows what each recorded op and its backward step add.
CHAIN = 10


def _numpy_chain_grad(a, b):
    y = a
    for _ in range(CHAIN):
        y = y + b
    g = np.ones_like(y)
    gb = np.zeros_like(b)
    for _ in range(CHAIN):
        gb = gb + g
    return g, gb


def _tape_chain_grad(a, b):
    with gf.GradientTape() as tape:
        tape.watch([a, b])
        y = a
        for _ in range(CHAIN):
            y = y + b
    return tape.gradient(y, [a, b])


@pytest.mark.benchmark(group="10 adds 4x4 + gradient")
def test_add_chain_grad_numpy(benchmark, arrays):
    benchmark(_numpy_chain_grad, *arrays)


@pytest.mark.benchmark(group="10 adds 4x4 + gradient")
def test_add_chain_grad_gpuflow(benchmark, tensors):
    benchmark(_tape_chain_grad, *tensors)
