"""LazyLogs and pythonify_logs: device values become Python floats, read once, on demand."""

from __future__ import annotations

import numpy as np

import gpuflow
from gpuflow.trainers.logs import LazyLogs, pythonify_logs


def test_pythonify_flattens_and_converts():
    logs = pythonify_logs(
        {
            "loss": gpuflow.constant(0.5),
            "acc": np.float32(0.25),
            "compile_metrics": {"mae": np.array(1.5)},
            "name": "x",
            "vector": np.array([1.0, 2.0]),
        }
    )
    assert logs == {"loss": 0.5, "acc": 0.25, "mae": 1.5, "name": "x", "vector": logs["vector"]}
    assert all(type(logs[k]) is float for k in ("loss", "acc", "mae"))
    np.testing.assert_array_equal(logs["vector"], [1.0, 2.0])


def test_lazy_logs_read_once_when_first_used():
    reads = []

    def read():
        reads.append(1)
        return {"loss": np.float64(0.75)}

    logs = LazyLogs(read)
    assert reads == [] and logs.reads(read)
    assert logs["loss"] == 0.75 and dict(logs) == {"loss": 0.75} and len(logs) == 1
    assert reads == [1] and not logs.reads(read)
    logs["extra"] = 1.0  # a step override may add to what the default step returned
    assert set(logs) == {"loss", "extra"}
