"""benchmarks/bench_data_pipeline.py runs and writes well-formed files (never checks speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_data_pipeline.py"


def test_quick_run_writes_the_table_and_json(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--samples",
            "256",
            "--epochs",
            "2",
            "--rounds",
            "1",
            "--skip-tf",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = (tmp_path / "results.md").read_text()
    assert "| cached Dataset |" in table and "| mapped Dataset |" in table
    assert "| GEMM floor (the step's matrix products alone) |" in table
    assert "The most tf.data / gpuflow could be" not in table  # only with TensorFlow's times
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["gpuflow"]) == {"arrays", "cached", "mapped", "gemm floor"}
    assert results["tensorflow"] is None
    assert all(m["timed_epochs"] == 1 for m in results["gpuflow"].values())
