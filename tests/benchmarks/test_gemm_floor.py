"""The GEMM floor of the benchmarks (benchmarks/suite/gemm_floor.py): what it computes and
how the ceilings are derived (never checks the speed)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from suite.gemm_floor import MLP_SHAPES, ceilings, mlp_step_gemms  # noqa: E402


def test_floor_step_runs_the_five_gemms_of_the_mlp_step(monkeypatch):
    shapes = []
    real = np.matmul

    def spy(a, b, out=None):
        shapes.append((a.shape, b.shape))
        return real(a, b, out=out)

    step = mlp_step_gemms(batch=4, dtype="float64")
    monkeypatch.setattr(np, "matmul", spy)
    step()
    (n_in, n_hidden), (_, n_out) = MLP_SHAPES
    assert shapes == [
        ((4, n_in), (n_in, n_hidden)),
        ((4, n_hidden), (n_hidden, n_out)),
        ((4, n_out), (n_out, n_hidden)),
        ((n_hidden, 4), (4, n_out)),
        ((n_in, 4), (4, n_hidden)),
    ]


def test_ceilings_are_peer_time_over_floor_for_the_peers_measured():
    times = {"floor": 0.5, "torch": 1.0, "tf": 1.5}
    assert ceilings(times, "floor", ["torch", "tf", "absent"]) == {"torch": 2.0, "tf": 3.0}
