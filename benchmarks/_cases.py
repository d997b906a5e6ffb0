"""Shared by bench_ops.py and bench_models.py: the devices that run here and the dtypes.

The cases themselves come from ``benchmarks/suite`` (the code behind ``run_suite.py``), so
the pytest-benchmark files and the suite measure the same thing. ``GPUFLOW_BENCH_QUICK=1``
uses the tiny sizes of ``run_suite.py --quick``.
"""

from __future__ import annotations

import os

import pytest

DTYPES = ("float16", "float32", "float64")
QUICK = os.environ.get("GPUFLOW_BENCH_QUICK", "") not in ("", "0")


def devices() -> list:
    """``pytest.param`` per device: cpu always, cuda skipped with the reason where no GPU
    answers."""
    from gpuflow.backend.cuda import cuda_status

    count, reason = cuda_status()
    cuda = pytest.param("cuda", marks=pytest.mark.skipif(count == 0, reason=f"no GPU: {reason}"))
    return ["cpu", cuda]


def synced(fn, sync):
    """``fn`` followed by ``sync()``, so pytest-benchmark's clock includes queued GPU work."""

    def call():
        out = fn()
        sync()
        return out

    return call
