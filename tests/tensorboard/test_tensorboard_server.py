"""The real TensorBoard program serves the digits CNN's logs: runs, scalars, histograms,
graph, hparams."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from tb_helpers import need_tensorboard

STARTUP_LIMIT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def text(self, path, body=None) -> str:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path, data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.read().decode()

    def json(self, path, body=None):
        return json.loads(self.text(path, body))

    def get(self, path, **query):
        return self.json(f"{path}?{urllib.parse.urlencode(query)}")


@pytest.fixture
def tensorboard(digits_run):
    """The tensorboard program on 127.0.0.1 over the parent of the fit's log_dir, stopped after."""
    need_tensorboard()
    log_dir = digits_run[0]
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tensorboard.main",
            "--logdir",
            str(log_dir.parent),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--load_fast=false",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = Client(port)
    try:
        deadline, runs = time.monotonic() + STARTUP_LIMIT_S, None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(
                    f"tensorboard exited with {proc.returncode}: {proc.stdout.read()[-2000:]}"
                )
            try:
                runs = client.json("/data/runs")
                if {"cnn/train", "cnn/validation"} <= set(runs):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.25)
        else:
            pytest.fail(
                f"tensorboard did not list the runs within {STARTUP_LIMIT_S} s "
                f"(last answer: {runs})"
            )
        yield client
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_tensorboard_serves_runs_curves_histograms_graph_and_hparams(tensorboard, digits_run):
    h = digits_run[2].history
    assert set(tensorboard.json("/data/runs")) == {"cnn", "cnn/train", "cnn/validation"}

    for run, tag, key in (
        ("cnn/train", "epoch_loss", "loss"),
        ("cnn/train", "epoch_accuracy", "accuracy"),
        ("cnn/validation", "epoch_loss", "val_loss"),
        ("cnn/validation", "epoch_accuracy", "val_accuracy"),
    ):
        points = tensorboard.get("/data/plugin/scalars/scalars", run=run, tag=tag)
        assert [step for _, step, _ in points] == [0, 1, 2]
        assert [value for _, _, value in points] == pytest.approx(h[key], rel=1e-6)

    tag = f"{digits_run[1].name}/dense/kernel/histogram"  # by path, as Keras 3 tags it
    histograms = tensorboard.get("/data/plugin/histograms/histograms", run="cnn/train", tag=tag)
    assert [step for _, step, _ in histograms] == [0, 1, 2]
    assert all(sum(count for _, _, count in buckets) == 676 * 10 for _, _, buckets in histograms)

    graph = tensorboard.text("/data/plugin/graphs/graph?run=cnn%2Ftrain")
    for node in (
        "conv2d/Conv2D",
        "conv2d/kernel",
        "max_pooling2d/MaxPool",
        "dense/MatMul",
        "dense/Softmax",
    ):
        assert f'name: "{node}"' in graph

    experiment = tensorboard.json("/data/plugin/hparams/experiment", {"experimentName": ""})
    assert {"optimizer", "learning_rate", "batch_size", "epochs", "loss"} <= {
        info["name"] for info in experiment["hparamInfos"]
    }
    assert {
        ("train", "epoch_loss"),
        ("validation", "epoch_loss"),
        ("validation", "epoch_accuracy"),
    } <= {(m["name"]["group"], m["name"]["tag"]) for m in experiment["metricInfos"]}
