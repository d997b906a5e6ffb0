"""tf.summary.record_if, should_record_summaries, write, create_noop_writer, trace_on/export."""

from __future__ import annotations

import numpy as np
import pytest
from tb_helpers import need_tensorboard, read_run, tensor_values

import gpuflow
from gpuflow import summary
from gpuflow.summary import _state


@pytest.fixture(autouse=True)
def _tensorboard():
    need_tensorboard()
    yield
    _state._local.__dict__.clear()


def test_record_if_and_should_record_summaries(tmp_path):
    assert not bool(summary.should_record_summaries())  # no writer
    writer = summary.create_file_writer(tmp_path / "run")
    with writer.as_default(step=3):
        assert bool(summary.should_record_summaries())
        with summary.record_if(False):
            assert not bool(summary.should_record_summaries())
            assert not summary.scalar("skipped", 1.0)
        calls = []
        with summary.record_if(lambda: calls.append(1) or len(calls) % 2 == 1):
            assert summary.scalar("odd", 1.0, step=1)
            assert not summary.scalar("odd", 2.0, step=2)
    writer.close()
    acc = read_run(tmp_path / "run")
    assert "skipped" not in acc.Tags()["tensors"]
    assert list(tensor_values(acc, "odd")) == [1]


def test_write_records_any_tensor(tmp_path):
    writer = summary.create_file_writer(tmp_path / "run")
    with writer.as_default(step=5):
        assert summary.write("raw", gpuflow.constant([[1, 2], [3, 4]]))
        assert summary.write("lazy", lambda: gpuflow.constant(2.5))
    writer.close()
    acc = read_run(tmp_path / "run")
    np.testing.assert_array_equal(tensor_values(acc, "raw")[5], [[1, 2], [3, 4]])
    assert float(tensor_values(acc, "lazy")[5]) == 2.5


def test_noop_writer_writes_nothing_and_code_runs():
    noop = summary.create_noop_writer()
    with noop.as_default(step=1):
        assert not bool(summary.should_record_summaries())
        assert not summary.scalar("x", 1.0)
        assert not summary.write("y", gpuflow.constant(1.0))
    noop.flush()
    noop.close()


def test_trace_export_writes_the_graph_of_functions_traced_while_on(tmp_path):
    @gpuflow.function
    def layer(x, w):
        return gpuflow.nn.relu(gpuflow.matmul(x, w))

    writer = summary.create_file_writer(tmp_path / "run")
    summary.trace_on(graph=True)
    layer(gpuflow.ones((2, 3)), gpuflow.ones((3, 4)))
    with writer.as_default():
        summary.trace_export(name="layer_trace", step=0)
    writer.close()
    # as TensorFlow: a summary tagged with the name, holding a RunMetadata proto
    from tensorboard.compat.proto import config_pb2
    from tensorboard.util import tensor_util

    ((step, value),) = _raw_values(tmp_path / "run", "layer_trace")
    assert step == 0 and value.metadata.plugin_data.plugin_name == "graph_run_metadata_graph"
    run_metadata = config_pb2.RunMetadata.FromString(tensor_util.make_ndarray(value.tensor).item())
    (function_graph,) = run_metadata.function_graphs
    nodes = {n.name: n for n in function_graph.pre_optimization_graph.node}
    ops = {n.op for n in nodes.values()}
    assert {"Placeholder", "MatMul", "Relu"} <= ops, ops
    relu = next(n for n in nodes.values() if n.op == "Relu")
    (source,) = relu.input
    assert nodes[source].op == "MatMul"
    # recording stopped with the export: later traces are not kept
    layer(gpuflow.ones((5, 3)), gpuflow.ones((3, 4)))
    from gpuflow.graph import recording

    assert recording.recorded() == []


def test_trace_export_needs_a_step_with_a_writer_and_nothing_without(tmp_path):
    @gpuflow.function
    def double(x):
        return x * 2

    summary.trace_on(graph=True)
    double(gpuflow.ones(2))
    summary.trace_export(name="no_writer")  # no writer: nothing written, no error
    writer = summary.create_file_writer(tmp_path / "run")
    summary.trace_on(graph=True)
    with writer.as_default():
        with pytest.raises(ValueError, match="trace_export: no step given"):
            summary.trace_export(name="no_step")


def _raw_values(logdir, tag):
    import glob

    from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
    from tensorboard.compat.proto import event_pb2

    values = []  # as written (TensorBoard's own loader migrates audio to blobs)
    for path in glob.glob(str(logdir / "*tfevents*")):
        for record in RawEventFileLoader(path).Load():
            event = event_pb2.Event.FromString(record)
            values += [(event.step, v) for v in event.summary.value if v.tag == tag]
    return values


def test_audio_writes_wav_clips(tmp_path):
    from tensorboard.util import tensor_util

    writer = summary.create_file_writer(tmp_path / "run")
    t = np.linspace(0, 1, 800, dtype=np.float32)
    clips = np.stack([np.sin(2 * np.pi * 220 * t), np.sin(2 * np.pi * 440 * t)])[..., None] / 2
    with writer.as_default():
        assert summary.audio("tone", clips, 8000, step=1, max_outputs=1)
    writer.close()
    ((step, value),) = _raw_values(tmp_path / "run", "tone")
    assert step == 1 and value.metadata.plugin_data.plugin_name == "audio"
    table = tensor_util.make_ndarray(value.tensor).reshape(-1, 2)
    assert table.shape == (1, 2)
    wav, rate = gpuflow.audio.decode_wav(table[0, 0])
    assert int(rate) == 8000 and wav.shape == (800, 1)
    np.testing.assert_allclose(wav.numpy()[:, 0], clips[0, :, 0], atol=1e-4)
    with pytest.raises(ValueError, match="expected data of shape \\[clips, samples, channels\\]"):
        summary.audio("bad", clips[0], 8000, step=1)
