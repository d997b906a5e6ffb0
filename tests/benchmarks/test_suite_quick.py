"""The full suite (benchmarks/suite, outside the package) with --quick writes well-formed
results (never checks the speed)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import suite as bench  # noqa: E402
from suite import report  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_quick_run_writes_json_markdown_and_charts(tmp_path, capsys):
    out = tmp_path / "bench"
    assert bench.main(["--quick", "--device", "cpu", "--out", str(out)]) == 0

    results = json.loads((out / "results.json").read_text())
    for key in (
        "schema",
        "settings",
        "machine",
        "skipped",
        "ops",
        "models",
        "precision",
        "ceilings",
        "goals",
        "duration_s",
        "files",
    ):
        assert key in results, key
    assert results["schema"] == report.SCHEMA
    assert results["settings"]["quick"] is True
    assert results["settings"]["dtypes"] == ["float16", "float32", "float64"]
    machine = results["machine"]
    for key in ("cpu", "cores", "blas", "gpu", "versions", "load_average"):
        assert key in machine, key
    assert machine["versions"]["numpy"]

    dtypes = {"float16", "float32", "float64"}
    assert {r["dtype"] for r in results["ops"]} == dtypes
    assert {r["op"] for r in results["ops"]} >= {
        "matmul",
        "dense_relu_fwd",
        "dense_relu_fwd_bwd",
        "conv2d_relu_fwd",
        "conv2d_relu_fwd_bwd",
        "sparse_softmax_xent_fwd_bwd",
        "add_elementwise",
    }
    for r in results["ops"] + results["models"]:
        assert r["results"]["gpuflow"]["median_s"] > 0
        assert r["results"]["gpuflow"]["first_call_s"] > 0
        assert all(v > 0 for v in r["ratios"].values())
        assert "numpy" in r["results"] or r.get("model") == "cnn"
    measures = {(r["model"], r["measure"], r["batch_size"]) for r in results["models"]}
    for model in ("mlp", "cnn"):
        assert {
            (model, "epoch", 32),
            (model, "epoch", 128),
            (model, "train_step", 32),
            (model, "inference", 1),
            (model, "inference", 128),
        } <= measures
    extra = ("mixed_float16", "int8 (from float32)") if "float32" in dtypes else ()
    assert {(r["model"], r["dtype"]) for r in results["precision"]} == {
        (m, d) for m in ("mlp", "cnn") for d in tuple(dtypes) + extra
    }
    for r in results["precision"]:
        assert 0 <= r["test_accuracy"] <= 1 and r["model_bytes"] > 0
        assert r["seconds_per_epoch"] > 0 if r["epochs"] else r["predict_s"] > 0
    assert [g["goal"] for g in results["goals"]] == [g[0] for g in report.GOALS]
    if importlib.util.find_spec("torch") is not None:
        assert all(g["ratio"] is not None for g in results["goals"] if g["device"] == "cpu")

    md = (out / "results.md").read_text()
    assert md.startswith("# gpuflow bench")  # the suite's report keeps its title
    for heading in (
        "## Machine",
        "## Goals",
        "## Training: samples/s over an epoch",
        "## Ops",
        "## Precision",
    ):
        assert heading in md
    assert "| model | device | dtype | batch | gpuflow samples/s |" in md
    table_rows = [line for line in md.splitlines() if line.startswith("| mlp | cpu | float32 |")]
    assert table_rows and all(line.endswith("|") for line in table_rows)

    pytest.importorskip("matplotlib", reason="matplotlib is not installed: no charts to check")
    for name in report.CHARTS:
        assert name in results["files"]
        assert (out / name).read_bytes()[:8] == PNG_SIGNATURE, name
    assert "gpuflow bench: wrote" in capsys.readouterr().out


def test_cuda_asked_without_gpu_says_why(capsys):
    from gpuflow.backend.cuda import cuda_status

    if cuda_status()[0]:
        pytest.skip("a GPU answers here")
    assert bench.main(["--quick", "--device", "cuda", "--out", "unused"]) == 1
    assert "no GPU answers" in capsys.readouterr().err
