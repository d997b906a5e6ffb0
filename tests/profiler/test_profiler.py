"""tf.profiler.experimental: sessions, Trace regions and op events in the written
timeline (gpuflow/profiler/experimental.py)."""

import glob
import gzip
import json
import os

import numpy as np
import pytest

import gpuflow as tf


def _runs(logdir):
    files = sorted(glob.glob(os.path.join(logdir, "plugins", "profile", "*", "*.trace.json.gz")))
    out = []
    for path in files:
        with gzip.open(path, "rt") as f:
            out.append(json.load(f)["traceEvents"])
    return out


def test_trace_regions_and_ops_are_written(tmp_path):
    a = tf.constant(np.ones((4, 3), np.float32))
    tf.profiler.experimental.start(str(tmp_path))
    assert tf.profiler.experimental.enabled()
    for step in range(3):
        with tf.profiler.experimental.Trace("train", step_num=step, _r=1):
            tf.matmul(a, tf.transpose(a))
    tf.profiler.experimental.stop()
    assert not tf.profiler.experimental.enabled()
    (events,) = _runs(tmp_path)
    steps = [e for e in events if e["name"] == "train"]
    assert [e["args"]["step_num"] for e in steps] == ["0", "1", "2"]
    matmuls = [e for e in events if e["name"] == "MatMul"]
    assert len(matmuls) == 3
    for step, op in zip(steps, matmuls):  # each op inside its step's region
        assert step["ts"] <= op["ts"] and op["ts"] + op["dur"] <= step["ts"] + step["dur"]


def test_backward_ops_and_python_calls_by_option(tmp_path):
    x = tf.Variable([1.0, 2.0])
    options = tf.profiler.experimental.ProfilerOptions(python_tracer_level=1)
    assert options.host_tracer_level == 2 and options.delay_ms is None

    def loss_of(v):
        return tf.reduce_sum(v * v)

    with tf.profiler.experimental.Profile(str(tmp_path), options=options):
        with tf.GradientTape() as tape:
            loss = loss_of(x)
        tape.gradient(loss, x)
    (events,) = _runs(tmp_path)
    names = {e["name"] for e in events}
    assert "Sum:backward" in names
    assert any(name.endswith("loss_of") for name in names)


def test_host_tracer_level_zero_keeps_trace_regions_only(tmp_path):
    options = tf.profiler.experimental.ProfilerOptions(host_tracer_level=0)
    with tf.profiler.experimental.Profile(str(tmp_path), options):
        with tf.profiler.experimental.Trace("region"):
            tf.reduce_sum(tf.ones((3,)))
    (events,) = _runs(tmp_path)
    assert [e["name"] for e in events] == ["region"]


def test_two_sessions_keep_both_runs(tmp_path):
    for _ in range(2):
        with tf.profiler.experimental.Profile(str(tmp_path)):
            tf.reduce_sum(tf.ones((2,)))
    assert len(_runs(tmp_path)) == 2


def test_session_errors_as_tensorflow(tmp_path):
    with pytest.raises(tf.errors.UnavailableError, match="No profiler is running"):
        tf.profiler.experimental.stop()
    tf.profiler.experimental.start(str(tmp_path))
    try:
        with pytest.raises(tf.errors.AlreadyExistsError, match="Another profiler is running"):
            tf.profiler.experimental.start(str(tmp_path))
    finally:
        tf.profiler.experimental.stop(save=False)
    assert _runs(tmp_path) == []
    with pytest.raises(TypeError, match="options must be a tf.profiler.experimental"):
        tf.profiler.experimental.start(str(tmp_path), options={"host_tracer_level": 2})
    assert not tf.profiler.experimental.enabled()


def test_trace_outside_a_session_records_nothing(tmp_path):
    with tf.profiler.experimental.Trace("idle", step_num=1) as trace:
        trace.set_metadata(note="x")
    with tf.profiler.experimental.Profile(str(tmp_path)):
        pass
    (events,) = _runs(tmp_path)
    assert events == []


def test_summary_trace_on_with_profiler_writes_a_profile(tmp_path):
    @tf.function
    def f(x):
        return tf.reduce_sum(x * 2.0)

    tf.summary.trace_on(graph=True, profiler=True, profiler_outdir=str(tmp_path))
    assert tf.profiler.experimental.enabled()
    f(tf.ones((3,)))
    tf.summary.trace_export(name="f", step=0)  # no default writer: the profile still ends
    assert not tf.profiler.experimental.enabled()
    (events,) = _runs(tmp_path)
    assert {"Mul", "Sum"} <= {e["name"] for e in events}
    with pytest.warns(UserWarning, match="No `profiler_outdir` passed to trace_on"):
        tf.summary.trace_on(profiler=True)
    tf.summary.trace_off()
    assert not tf.profiler.experimental.enabled()
