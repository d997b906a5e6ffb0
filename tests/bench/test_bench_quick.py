"""`gpuflow bench --quick` (the package's gpuflow-only runner) measures the lecture models and
writes well-formed results (never checks the speed)."""

from __future__ import annotations

import json

import pytest

from gpuflow import bench


def test_quick_run_prints_and_writes_every_case(tmp_path, capsys):
    out = tmp_path / "bench"
    assert bench.main(["--quick", "--device", "cpu", "--out", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    assert results["quick"] is True and results["machine"]["python"]
    cases = {(r["device"], r["dtype"], r["model"], r["batch"]) for r in results["rows"]}
    assert cases == {("cpu", "float32", m, b) for m in ("mlp", "cnn") for b in (32, 128)}
    for row in results["rows"]:
        assert row["train_samples_per_s"] > 0 and row["predict_ms"] > 0
    md = (out / "results.md").read_text().splitlines()
    assert md[0].startswith("| device | dtype | model | batch |") and len(md) == 2 + 4
    printed = capsys.readouterr().out
    assert printed.count("samples/s training") == 4 and "wrote results.json" in printed


def test_the_package_runner_needs_no_peer_framework():
    import gpuflow.bench.training as training

    source = open(training.__file__).read() + open(bench.__file__).read()
    for peer in ("torch", "matplotlib", "cupy"):
        assert f"import {peer}" not in source


def test_cuda_asked_without_gpu_says_why(capsys):
    from gpuflow.backend.cuda import cuda_status

    if cuda_status()[0]:
        pytest.skip("a GPU answers here")
    assert bench.main(["--quick", "--device", "cuda"]) == 1
    assert "no GPU answers" in capsys.readouterr().err
