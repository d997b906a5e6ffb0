"""``gpuflow info`` on this machine, and on one without CuPy (``sys.modules['cupy'] = None``)."""

from __future__ import annotations

import numpy as np
from cli_helpers import run_module

import gpuflow

NO_CUPY = (
    "import sys; sys.modules['cupy'] = None; "
    "from gpuflow.cli import main; sys.exit(main(sys.argv[1:]))"
)


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
    for label in (
        "gpuflow",
        "Python",
        "NumPy",
        "CuPy",
        "BLAS",
        "devices",
        "CUDA",
        "cuda-emu",
        "kernels",
    ):
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


def test_info_probes_nvrtc_and_cublas_and_names_the_missing_one(gpuflow_main, capsys, monkeypatch):
    import pytest

    from gpuflow.cli import info

    pytest.importorskip("cupy")
    monkeypatch.setattr(info, "_probe_nvrtc", lambda: "12.9")

    def no_cublas():
        raise ImportError('Failure finding "libcublasLt.so.13 or libcublasLt.so.12"')

    monkeypatch.setattr(info, "_probe_cublas", no_cublas)
    assert gpuflow_main(["info"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert rows["CUDA libs"].startswith("NVRTC 12.9 found")
    assert "cuBLAS MISSING" in rows["CUDA libs"] and "libcublasLt" in rows["CUDA libs"]
    assert "missing cuBLAS: pip install 'cupy-cuda12x[ctk]'" in rows["CUDA libs"]

    def no_nvrtc():
        raise OSError("libnvrtc.so.12: cannot open shared object file")

    monkeypatch.setattr(info, "_probe_nvrtc", no_nvrtc)
    monkeypatch.setattr(info, "_probe_cublas", lambda: "13.1.0")
    lines = info.cuda_libraries()
    assert lines[0].startswith("NVRTC MISSING") and lines[1] == (
        "cuBLAS 13.1.0 found (CuPy's matmul, large GEMMs)"
    )
    assert lines[2].startswith("missing NVRTC: ")


def test_info_without_cupy_does_not_probe_cuda_libraries():
    proc = run_module("info", code=NO_CUPY)
    assert "NVRTC, cuBLAS: not probed (CuPy does not import)" in proc.stdout
