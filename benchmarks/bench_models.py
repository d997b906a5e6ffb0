"""Model-level benchmarks (pytest-benchmark): the lecture MLP and CNN, gpuflow vs peers.

    python -m pytest benchmarks/bench_models.py --benchmark-only

Per (device, dtype, model, batch size, implementation), from the same initial weights
(``benchmarks/suite/models.py``): one training step on a fixed batch, one epoch over the
digits training images (28x28; samples/s = 1438 / time; gpuflow's epoch is a whole
``fit(epochs=1)`` call here, setup included — ``gpuflow bench`` times the epoch alone),
and the latency of one forward pass at batch 1 and 128. Peers: the hand-written NumPy
loop (MLP on the CPU) and PyTorch on the same device.
"""

from __future__ import annotations

import functools

import pytest
from _cases import DTYPES, QUICK, devices, synced

IMPLS = ("gpuflow", "numpy", "torch-cpu", "torch-cuda")


@functools.cache
def _setup(model: str, device: str, dtype: str):
    from suite.models import Setup

    return Setup(model, device, dtype, limit=64 if QUICK else None)


def _run(benchmark, fns, syncs, impl, skipped, group, rounds=None):
    if impl not in fns:
        pytest.skip(skipped.get(impl) or f"{impl} does not run here")
    benchmark.group = group
    fn = synced(fns[impl], syncs.get(impl) or (lambda: None))
    if rounds:
        benchmark.pedantic(fn, rounds=rounds, iterations=1, warmup_rounds=1)
    else:
        benchmark(fn)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("batch", (32, 128))
@pytest.mark.parametrize("model", ("mlp", "cnn"))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("device", devices())
def test_train_step(benchmark, device, dtype, model, batch, impl):
    s = _setup(model, device, dtype)
    fns, syncs = s.train_step_fns(batch)
    _run(
        benchmark, fns, syncs, impl, s.skipped, f"train step {model} batch {batch} {device} {dtype}"
    )


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("batch", (32, 128))
@pytest.mark.parametrize("model", ("mlp", "cnn"))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("device", devices())
def test_epoch(benchmark, device, dtype, model, batch, impl):
    s = _setup(model, device, dtype)
    fns, syncs, _ = s.epoch_fns(batch)
    benchmark.extra_info["samples"] = len(s.x)
    _run(
        benchmark,
        fns,
        syncs,
        impl,
        s.skipped,
        f"epoch {model} batch {batch} {device} {dtype}",
        rounds=3,
    )


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("batch", (1, 128))
@pytest.mark.parametrize("model", ("mlp", "cnn"))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("device", devices())
def test_inference(benchmark, device, dtype, model, batch, impl):
    s = _setup(model, device, dtype)
    fns, syncs = s.inference_fns(batch)
    _run(
        benchmark, fns, syncs, impl, s.skipped, f"inference {model} batch {batch} {device} {dtype}"
    )
