"""`gpuflow train --workers N` starts itself under the mpiexec beside sys.executable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gpuflow.distribute import launch

ROOT = Path(__file__).resolve().parents[2]


def test_train_with_two_workers_writes_one_run_folder(mpirun, tmp_path):
    if launch.mpiexec_beside_python() is None:
        pytest.skip("no mpiexec beside sys.executable (the mpich wheel of gpuflow[mpi])")
    out = tmp_path / "run"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "gpuflow",
            "train",
            "--workers",
            "2",
            "--model",
            "mlp",
            "--epochs",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("gpuflow train: mlp on digits") == 1  # rank 0 prints, once
    assert (out / "model.gpuflow").exists() and (out / "history.csv").exists()


def test_missing_mpiexec_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(RuntimeError, match=r"--workers 2: no mpiexec beside .*gpuflow\[mpi\]"):
        launch.relaunch(2, ["train"])
