"""tf.test.Benchmark: report_benchmark's BenchmarkEntries (printed, or written in binary
under $TEST_REPORT_FILE_PREFIX), its argument checks, evaluate and run_op_benchmark."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.test_benchmark import BenchmarkEntries


class MatmulBenchmark(tf.test.Benchmark):
    def benchmark_matmul(self):
        self.report_benchmark(
            iters=10,
            wall_time=0.25,
            extras={"flops": 2.0, "device": "cpu"},
            metrics=[{"name": "acc", "value": 0.9, "min_value": 0.5}],
        )

    def benchmark_named(self):
        self._helper()

    def _helper(self):
        self.report_benchmark(wall_time=1.0, name="renamed")


def test_report_prints_the_entry_in_text_format(capsys, monkeypatch):
    monkeypatch.delenv("TEST_REPORT_FILE_PREFIX", raising=False)
    assert MatmulBenchmark().benchmark_matmul() is None
    out = capsys.readouterr().out
    assert out.startswith('entry {\n  name: "MatmulBenchmark.benchmark_matmul"\n  iters: 10\n')
    assert "  wall_time: 0.25\n" in out and 'string_value: "cpu"' in out
    assert "min_value {\n      value: 0.5\n    }" in out and "cpu_time" not in out


def test_name_is_the_outermost_benchmark_method_or_the_given_one(capsys, monkeypatch):
    monkeypatch.delenv("TEST_REPORT_FILE_PREFIX", raising=False)
    MatmulBenchmark().benchmark_named()
    assert 'name: "MatmulBenchmark.renamed"' in capsys.readouterr().out


def test_report_writes_binary_entries_under_the_prefix(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_REPORT_FILE_PREFIX", str(tmp_path / "report_"))
    MatmulBenchmark().benchmark_matmul()
    path = tmp_path / "report_MatmulBenchmark.benchmark_matmul"
    entries = BenchmarkEntries.FromString(path.read_bytes())
    (entry,) = entries.entry
    assert entry.iters == 10 and entry.wall_time == 0.25
    assert entry.extras["flops"].double_value == 2.0
    assert entry.metrics[0].min_value.value == 0.5 and not entry.metrics[0].HasField("max_value")
    with pytest.raises(OSError, match="File already exists"):
        MatmulBenchmark().benchmark_matmul()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"extras": [1]}, "extras must be a dict"),
        ({"metrics": {"name": "a"}}, "metrics must be a list"),
        ({"metrics": [{"value": 1.0}]}, "metric must has a 'name' field"),
        ({"metrics": [{"name": "a"}]}, "metric must has a 'value' field"),
    ],
)
def test_malformed_reports_raise_type_error(kwargs, message):
    with pytest.raises(TypeError, match=message):
        MatmulBenchmark().report_benchmark(**kwargs)


def test_is_abstract_evaluate_and_no_sessions():
    assert tf.test.Benchmark.is_abstract() and not MatmulBenchmark.is_abstract()
    values = MatmulBenchmark().evaluate({"a": tf.constant([1.0, 2.0]), "b": 3})
    np.testing.assert_array_equal(values["a"], [1.0, 2.0])
    assert values["b"] == 3
    with pytest.raises(NotImplementedError, match="TensorFlow 1 session"):
        MatmulBenchmark().run_op_benchmark(None, tf.constant(1.0))


def test_sync_devices_runs_eagerly_and_refuses_inside_functions():
    assert tf.test.experimental.sync_devices() is None

    @tf.function
    def inside(x):
        tf.test.experimental.sync_devices()
        return x

    with pytest.raises(RuntimeError, match="must only be called in Eager mode"):
        inside(tf.constant(1.0))
