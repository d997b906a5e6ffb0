"""Bad flags, missing data and unavailable devices: one line on stderr and a non-zero exit."""

from __future__ import annotations

import types

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run_module

from gpuflow import cli
from gpuflow.backend import cuda_status
from gpuflow.datasets import _idx


@pytest.mark.parametrize(
    "argv, fragments",
    [
        ([], ["required", "{train,info,export,bench}"]),
        (["fly"], ["invalid choice: 'fly'"]),
        (["train", "--model", "resnet"], ["--model", "invalid choice: 'resnet'", "mlp", "cnn"]),
        (["train", "--device", "tpu"], ["--device", "auto, cpu, cuda, cuda:N, cuda-emu", "'tpu'"]),
        (["train", "--dtype", "int8"], ["--dtype", "'int8'"]),
        (["train", "--data", "cifar10"], ["--data", "digits, mnist or mnist:PATH", "'cifar10'"]),
        (["train", "--data", "mnist:"], ["--data", "mnist:PATH"]),
        (["train", "--epochs", "0"], ["--epochs", "positive integer", "'0'"]),
        (["train", "--batch-size", "many"], ["--batch-size", "positive integer", "'many'"]),
        (["train", "--learning-rate", "-1"], ["--learning-rate", "positive number", "'-1'"]),
        (["train", "--seed", "-3"], ["--seed", "non-negative integer"]),
        (["train", "--frobnicate"], ["unrecognized arguments: --frobnicate"]),
        (["info", "--verbose"], ["unrecognized arguments: --verbose"]),
    ],
)
def test_bad_flags_exit_2_with_one_line(gpuflow_main, capsys, argv, fragments):
    assert gpuflow_main(argv) == 2
    err = capsys.readouterr().err
    assert_one_line_error(err, *fragments)


def test_missing_data_path_is_one_line_before_anything_slow(gpuflow_main, capsys, tmp_path):
    missing = tmp_path / "nowhere"
    assert (
        gpuflow_main(["train", "--data", f"mnist:{missing}", "--out", str(tmp_path / "run")]) == 1
    )
    assert_one_line_error(
        capsys.readouterr().err, "gpuflow train: error:", str(missing), "does not exist"
    )
    assert not (tmp_path / "run").exists()


def test_data_folder_without_mnist_files(gpuflow_main, capsys, tmp_path):
    assert (
        gpuflow_main(["train", "--data", f"mnist:{tmp_path}", "--out", str(tmp_path / "run")]) == 1
    )
    line = assert_one_line_error(capsys.readouterr().err, "gpuflow train: error:", str(tmp_path))
    assert "train-images-idx3-ubyte" in line or "mnist.npz" in line


def test_corrupt_idx_file(gpuflow_main, capsys, tmp_path):
    for name, array in [
        ("train-images-idx3-ubyte", np.zeros((4, 28, 28), np.uint8)),
        ("train-labels-idx1-ubyte", np.zeros(4, np.uint8)),
        ("t10k-images-idx3-ubyte", np.zeros((2, 28, 28), np.uint8)),
    ]:
        _idx.write_idx(tmp_path / name, array)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x03garbage")
    assert (
        gpuflow_main(["train", "--data", f"mnist:{tmp_path}", "--out", str(tmp_path / "run")]) == 1
    )
    assert_one_line_error(
        capsys.readouterr().err, "gpuflow train: error:", "t10k-labels-idx1-ubyte", "magic"
    )


@pytest.mark.skipif(
    cuda_status()[0] > 0, reason="a GPU answers here, so --device cuda is available"
)
def test_unavailable_cuda(gpuflow_main, capsys, tmp_path):
    assert gpuflow_main(["train", "--device", "cuda", "--out", str(tmp_path / "run")]) == 1
    assert_one_line_error(
        capsys.readouterr().err, "gpuflow train: error:", "'cuda:0' is not available"
    )


def test_unavailable_cuda_emu_without_compiler(tmp_path):
    proc = run_module(
        "train",
        "--device",
        "cuda-emu",
        "--out",
        str(tmp_path / "run"),
        env={"CXX": str(tmp_path / "no-such-g++")},
    )
    assert proc.returncode == 1
    assert_one_line_error(proc.stderr, "gpuflow train: error:", "'cuda-emu' is not available")


def test_debug_shows_the_traceback(tmp_path):
    proc = run_module("--debug", "train", "--data", f"mnist:{tmp_path / 'nowhere'}")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "FileNotFoundError" in proc.stderr


def test_bench_not_installed(gpuflow_main, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_bench_module", lambda: None)
    assert gpuflow_main(["bench", "--quick"]) == 2
    assert_one_line_error(capsys.readouterr().err, "gpuflow bench:", "not installed")


def test_bench_dispatches_the_rest_of_the_arguments(gpuflow_main, monkeypatch):
    seen = []
    fake = types.SimpleNamespace(main=lambda argv: seen.append(argv) or 7)
    monkeypatch.setattr(cli, "_bench_module", lambda: fake)
    assert gpuflow_main(["--debug", "bench", "--quick", "--device", "cpu"]) == 7
    assert seen == [["--quick", "--device", "cpu"]]


def test_python_m_gpuflow_help():
    proc = run_module("--help")
    assert proc.returncode == 0, proc.stderr
    for word in ("train", "info", "bench", "--debug"):
        assert word in proc.stdout
    proc = run_module("train", "--help")
    assert proc.returncode == 0, proc.stderr
    for flag in (
        "--model",
        "--data",
        "--device",
        "--dtype",
        "--epochs",
        "--batch-size",
        "--out",
        "--seed",
        "--optimizer",
        "--learning-rate",
    ):
        assert flag in proc.stdout
