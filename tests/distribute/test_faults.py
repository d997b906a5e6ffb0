"""A worker that raises or hangs stops the others with a message naming a rank."""

from __future__ import annotations

from pathlib import Path

import pytest

WORKER = str(Path(__file__).with_name("fault_worker.py"))


@pytest.mark.parametrize("mode", ["raise", "hang"])
def test_a_failing_worker_stops_the_others(mpirun, mode):
    run = mpirun(2, WORKER, mode, timeout=50)  # subprocess.TimeoutExpired would be a hang
    assert run.returncode != 0
    assert "rank 0 done" not in run.stdout
    if mode == "raise":
        assert "rank 1/2: uncaught RuntimeError: worker 1 fails on purpose" in run.stderr
    else:
        assert "rank 0/2: allreduce did not complete within 5 s" in run.stderr
