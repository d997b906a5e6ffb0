"""benchmarks/gpu_check.sh --dry-run: the one-shot GPU check runs its real steps on cuda-emu
and leaves a summary JSON and at most six files (what a GPU loan returns is limited)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpuflow.backend.emu import emu_status

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import gpu_check  # noqa: E402


def test_step_timeouts_fit_a_loan():
    assert gpu_check.TOTAL_BUDGET_S <= 420
    assert all(timeout > 0 for _, timeout, *_ in gpu_check.STEPS)
    for name, _, base, real, _ in gpu_check.STEPS:
        if name.startswith("tests-"):  # stop at the first failures; no emulation on the GPU
            assert "--maxfail=5" in base and "not emu" in " ".join(real)


def test_usage_error_exits_2(tmp_path):
    assert gpu_check.main([]) == 2
    assert gpu_check.main(["--dry-run", "a", "b"]) == 2


@pytest.mark.skipif(not emu_status()[0], reason=emu_status()[1])
def test_dry_run_writes_summary_and_few_files(tmp_path):
    out = tmp_path / "gpu"
    env = dict(os.environ, PYTHON=sys.executable)
    script = str(ROOT / "benchmarks" / "gpu_check.sh")
    proc = subprocess.run(
        ["bash", script, "--dry-run", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=400,
    )
    files = sorted(p.name for p in out.iterdir())
    assert len(files) <= 6, files
    assert {"summary.json", "gpu_check.log", "kernels.md", "kernels.json"} <= set(files)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dry_run"] is True and summary["device"] == "cuda-emu"
    assert "cuda-emu" in summary["gpu"] and summary["date"][:2] == "20"
    assert [s["name"] for s in summary["steps"]] == [s[0] for s in gpu_check.STEPS]
    for step in summary["steps"]:
        assert step["status"] == "passed", (step, proc.stdout[-3000:])
        assert 0 <= step["seconds"] <= step["timeout_s"]
    assert proc.returncode == 0, proc.stdout[-3000:]
    # progress reaches the terminal and the log alike
    assert "== benchmark: passed" in proc.stdout
    assert "== benchmark: passed" in (out / "gpu_check.log").read_text()
    assert "| dense_forward | float32 | 33x20x17 |" in (out / "kernels.md").read_text()
    # the prefetch step's measurements land in summary.json, not in a file of their own
    (prefetch,) = [s for s in summary["steps"] if s["name"] == "prefetch"]
    result = prefetch["result"]
    assert result["device"] == "cuda-emu" and result["equal_weights"] is True
    assert result["max_abs_diff"] == 0.0 and result["in_flight"] == 0
    assert result["step_ms_prefetch_on"] and result["step_ms_prefetch_off"]
    assert all(t > 0 for t in result["step_ms_prefetch_on"] + result["step_ms_prefetch_off"])
