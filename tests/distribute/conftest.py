"""Helpers for tests that start workers under the mpich wheel's mpiexec."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def mpiexec_path():
    beside = Path(sys.executable).parent / "mpiexec"
    return str(beside) if beside.exists() else shutil.which("mpiexec")


@pytest.fixture
def mpirun():
    """``mpirun(n, script, *args)`` -> CompletedProcess; skips without mpi4py or mpiexec."""
    pytest.importorskip("mpi4py", reason="mpi4py is not installed (pip install 'gpuflow[mpi]')")
    exe = mpiexec_path()
    if exe is None:
        pytest.skip("no mpiexec beside the Python executable or on PATH (the mpich wheel)")

    def run(n: int, script: str, *args: str, timeout: float = 120, env=None):
        return subprocess.run(
            [exe, "-n", str(n), sys.executable, script, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            env=env,
        )

    return run
