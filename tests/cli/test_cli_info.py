"""``gpuflow info`` on this machine, and on one without CuPy (``sys.modules['cupy'] = None``)."""
from __future__ import annotations

import numpy as np
from cli_helpers import run_module

import gpuflow

NO_CUPY = ("import sys; sys.modules['cupy'] = None; "
           "from gpuflow.cli import main; sys.exit(main(sys.argv[1:]))")


def _rows(stdout: str) -> dict[str, str]:
    rows, label = {}, None
    for line in stdout.splitlines():
        head, sep, text = line.partition(":")
        if sep and head and not head.startswith(" "):
            label = head
            rows[label] = text.strip()
        elif label:
            rows[label] += "\n" + line.strip()
    return rows


def _check_common(rows: dict[str, str]) -> None:
    for label in ("gpuflow", "Python", "NumPy", "CuPy", "BLAS", "devices", "CUDA", "cuda-emu", "kernels"):
        assert label in rows, f"no {label!r} row in {list(rows)}"
    assert rows["gpuflow"].startswith(gpuflow.__version__)
    assert rows["NumPy"] == np.__version__
    assert rows["devices"].split(", ")[0] == "cpu"
    assert "fused_dense.cu" in rows["kernels"] and "im2col.cu" in rows["kernels"]
    assert "cuda-emu cache" in rows["kernels"]


def test_info_here():
    proc = run_module("info")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = _rows(proc.stdout)
    _check_common(rows)
    count, reason = gpuflow.backend.cuda_status()
    assert rows["CUDA"].startswith("used: " if count else "not used: ")
    assert reason in rows["CUDA"]


def test_info_without_cupy():
    proc = run_module("info", code=NO_CUPY)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = _rows(proc.stdout)
    _check_common(rows)
    assert rows["CuPy"] == "not installed"
    assert rows["CUDA"].startswith("not used: CuPy is not installed")
    assert "pip install" in rows["CUDA"]
    assert "cuda:" not in rows["devices"]


def test_info_precompile_reports_each_kernel_device(gpuflow_main, capsys):
    assert gpuflow_main(["info", "--precompile"]) == 0
    out = capsys.readouterr().out
    for name in gpuflow.backend.list_devices():
        if name != "cpu":
            assert f"{name}: compiled fused_dense.cu, im2col.cu" in out
