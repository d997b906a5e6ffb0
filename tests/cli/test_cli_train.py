"""``gpuflow train``: quick runs write every run-folder file; the defaults reach 95% on digits."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys

import numpy as np
import pytest

import gpuflow
from gpuflow.datasets import _idx

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def _tensorboard_available() -> bool:
    try:
        from gpuflow.callbacks import TensorBoard  # noqa: F401
    except ImportError:
        return False
    return True


def _check_run_folder(
    out, model: str, data: str, epochs: int, train_samples: int, test_samples: int
) -> dict:
    assert (out / "model.gpuflow").is_file()
    with open(out / "history.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == epochs
    assert {"epoch", "loss", "accuracy", "val_loss", "val_accuracy"} <= set(rows[0])
    assert (out / "history.png").is_file() == HAVE_MATPLOTLIB
    if HAVE_MATPLOTLIB:
        assert (out / "history.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if _tensorboard_available():
        assert any(p.name.startswith("events.out.tfevents") for p in (out / "logs").rglob("*"))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["model"] == model and summary["data"] == data and summary["epochs"] == epochs
    assert summary["train_samples"] == train_samples and summary["test_samples"] == test_samples
    assert 0.0 <= summary["test_accuracy"] <= 1.0 and np.isfinite(summary["test_loss"])
    assert len(summary["seconds_per_epoch"]) == epochs
    assert summary["device"] == "cpu" and summary["dtype"] == "float32"
    return summary


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_one_epoch_writes_the_run_folder(gpuflow_main, capsys, tmp_path, model):
    out = tmp_path / "run"
    assert (
        gpuflow_main(
            ["train", "--model", model, "--epochs", "1", "--device", "cpu", "--out", str(out)]
        )
        == 0
    )
    stdout = capsys.readouterr().out
    assert "test loss" in stdout and "test accuracy" in stdout and f"run folder {out}" in stdout
    summary = _check_run_folder(out, model, "digits", 1, 1438, 359)
    # The saved model reloads and scores what the run reported.
    x = gpuflow.datasets.digits.load_data(28)[1][0].astype("float32") / 255
    x = x.reshape(len(x), -1) if model == "mlp" else x[..., None]
    y = gpuflow.datasets.digits.load_data(28)[1][1]
    with gpuflow.device("cpu"):
        reloaded = gpuflow.models.load_model(str(out / "model.gpuflow"))
        accuracy = float(np.mean(reloaded.predict(x, verbose=0).argmax(axis=1) == y))
    assert accuracy == pytest.approx(summary["test_accuracy"], abs=1e-6)


def test_default_run_folder_name_and_reproducible(gpuflow_main, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["train", "--model", "mlp", "--epochs", "1", "--device", "cpu", "--seed", "3"]
    assert gpuflow_main(argv) == 0
    assert gpuflow_main(argv) == 0
    capsys.readouterr()
    runs = sorted((tmp_path / "runs").iterdir())
    assert len(runs) == 2 and all(r.name.split("-")[2:4] == ["mlp", "digits"] for r in runs), runs
    first, second = (json.loads((r / "summary.json").read_text())["history"] for r in runs)
    assert first == second


def test_mnist_path_with_generated_idx_files(gpuflow_main, capsys, tmp_path):
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 64), ("t10k", 32)):
        _idx.write_idx(
            tmp_path / f"{prefix}-images-idx3-ubyte.gz",
            rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
        )
        _idx.write_idx(
            tmp_path / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, n, dtype=np.uint8)
        )
    out = tmp_path / "run"
    assert (
        gpuflow_main(
            [
                "train",
                "--data",
                f"mnist:{tmp_path}",
                "--epochs",
                "2",
                "--batch-size",
                "16",
                "--device",
                "cpu",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "cnn on mnist (64 train / 32 test images, 28x28x1)" in capsys.readouterr().out
    summary = _check_run_folder(out, "cnn", "mnist", 2, 64, 32)
    assert summary["data_path"] == str(tmp_path)


def test_without_matplotlib_and_tensorboard(gpuflow_main, capsys, tmp_path, monkeypatch):
    # None in sys.modules makes the import fail, as when the extra is not installed.
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "gpuflow.callbacks.tensorboard", None)
    out = tmp_path / "run"
    assert (
        gpuflow_main(
            ["train", "--model", "mlp", "--epochs", "1", "--device", "cpu", "--out", str(out)]
        )
        == 0
    )
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("note:")]
    assert len(notes) == 2
    assert "history.png" in notes[0] and "gpuflow[plot]" in notes[0]
    assert "TensorBoard" in notes[1] and "gpuflow[tensorboard]" in notes[1]
    assert sorted(p.name for p in out.iterdir()) == ["history.csv", "model.gpuflow", "summary.json"]


def test_global_settings_are_restored(gpuflow_main, capsys, tmp_path):
    before = (
        gpuflow.config.floatx(),
        gpuflow.config.default_device(),
        gpuflow.mixed_precision.global_policy().name,
    )
    assert (
        gpuflow_main(
            [
                "train",
                "--model",
                "mlp",
                "--epochs",
                "1",
                "--dtype",
                "mixed_float16",
                "--device",
                "cpu",
                "--out",
                str(tmp_path / "run"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        gpuflow.config.floatx(),
        gpuflow.config.default_device(),
        gpuflow.mixed_precision.global_policy().name,
    ) == before


@pytest.mark.slow
@pytest.mark.parametrize("model", ["cnn", "mlp"])
def test_defaults_reach_95_percent_on_digits(gpuflow_main, capsys, tmp_path, model):
    """The issue's bar: ``gpuflow train`` and ``gpuflow train --model mlp``, defaults otherwise."""
    argv = ["train", "--out", str(tmp_path / "run")] + (
        ["--model", model] if model != "cnn" else []
    )
    assert gpuflow_main(argv) == 0
    capsys.readouterr()
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["model"] == model and summary["epochs"] == 20
    assert summary["test_accuracy"] >= 0.95, summary["history"]["val_accuracy"]
