"""Runs every TF2-style program in programs/ on gpuflow, each in its own process.

Each program is written as TensorFlow users write it (``import tensorflow as tf``) and
asserts its own results; ``shim/`` maps ``tensorflow`` and ``keras`` to gpuflow.
``run_against_tensorflow.sh`` runs the same files on real TensorFlow to prove that
every assertion holds there too.

The programs selected in a pytest run start together on a pool of one worker per CPU
core (``GPUFLOW_COMPAT_WORKERS`` overrides it) when the first of their tests runs; each
test then reports its own program's result. With more than one worker, each program's
BLAS gets one thread unless the environment already says how many, so that the
processes share the cores instead of oversubscribing them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parent.parent
PROGRAMS = sorted((HERE / "programs").glob("*.py"))
TIMEOUT_S = 300
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _workers() -> int:
    return max(1, int(os.environ.get("GPUFLOW_COMPAT_WORKERS", 0)) or os.cpu_count() or 1)


def _environment(workers: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE / "shim"), str(REPO), env.get("PYTHONPATH", "")])
    env.setdefault("GPUFLOW_DEVICE", "cpu")
    env["MPLBACKEND"] = "Agg"
    if workers > 1 and not any(name in os.environ for name in THREAD_VARIABLES):
        for name in THREAD_VARIABLES:
            env[name] = "1"
    return env


def _run(program: Path, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            [sys.executable, str(program)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(
            e.cmd, returncode=-1, stdout=e.stdout or "", stderr=f"timed out after {TIMEOUT_S} s"
        )


@pytest.fixture(scope="module")
def program_runs(request, tmp_path_factory):
    """Program path -> a future of its finished process, for the programs this run selected."""
    selected = [
        item.callspec.params["program"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_program_runs_on_gpuflow"
    ]
    workers = _workers()
    env = _environment(workers)
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = {
        program: pool.submit(_run, program, tmp_path_factory.mktemp(program.stem), env)
        for program in selected
    }
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_runs_on_gpuflow(program, program_runs):
    done = program_runs[program].result()
    out, err = done.stdout or "", done.stderr or ""
    if isinstance(out, bytes):  # what a timed-out process had written
        out = out.decode(errors="replace")
    assert done.returncode == 0, f"{program.name} failed:\n{out[-3000:]}\n{err[-6000:]}"
