"""Custom train_steps, checkpoints written by rank 0 and resumed on one worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

WORKER = str(Path(__file__).with_name("scenario_worker.py"))


def _weights(path):
    with np.load(path) as data:
        return [data[k] for k in data.files]


def _close(got, ref):
    for a, b in zip(got, ref, strict=True):
        assert np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300) <= 1e-10


def _one(*args):
    run = subprocess.run(
        [sys.executable, WORKER, *args], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr


def test_custom_train_step_is_reduced_too(mpirun, tmp_path):
    # The optimizer reduces in apply_gradients, weighting each worker by its rows of the
    # global batch (Keras on TF scales the compiled loss by 1/replicas to the same end).
    (tmp_path / "one").mkdir()
    _one("custom", str(tmp_path / "one"), "0.1")
    run = mpirun(2, WORKER, "custom", str(tmp_path), "0.1")
    assert run.returncode == 0, run.stderr
    ref = _weights(tmp_path / "one" / "custom.rank0.npz")
    for rank in (0, 1):
        _close(_weights(tmp_path / f"custom.rank{rank}.npz"), ref)


def test_checkpoint_of_two_workers_resumes_on_one(mpirun, tmp_path):
    run = mpirun(2, WORKER, "checkpoint", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "saved_by_rank0").exists() and not (tmp_path / "saved_by_rank1").exists()
    _one("resume", str(tmp_path))
    _one("full", str(tmp_path))
    _close(_weights(tmp_path / "resume.rank0.npz"), _weights(tmp_path / "full.rank0.npz"))


def test_replica_context_collectives_over_two_workers(mpirun, tmp_path):
    run = mpirun(2, WORKER, "collectives", str(tmp_path))
    assert run.returncode == 0, run.stderr
    for rank in (0, 1):
        with np.load(tmp_path / f"collectives.rank{rank}.npz") as got:
            assert got["total"].tolist() == [3.0]  # 1 + 2
            assert int(got["replica_id"]) == rank and int(got["replicas"]) == 2
            assert got["gathered"].tolist() == [[0, 0], [1, 10]]
