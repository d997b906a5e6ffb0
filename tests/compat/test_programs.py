"""Runs every TF2-style program in programs/ on gpuflow, each in its own process.

Each program is written as TensorFlow users write it (``import tensorflow as tf``) and
asserts its own results; ``shim/`` maps ``tensorflow`` and ``keras`` to gpuflow.
``run_against_tensorflow.sh`` runs the same files on real TensorFlow to prove that
every assertion holds there too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parent.parent
PROGRAMS = sorted((HERE / "programs").glob("*.py"))


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_runs_on_gpuflow(program, tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE / "shim"), str(REPO), env.get("PYTHONPATH", "")])
    env.setdefault("GPUFLOW_DEVICE", "cpu")
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(
        [sys.executable, str(program)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (
        f"{program.name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    )
