"""``tf.summary.record_if``, ``should_record_summaries``, ``write`` (any tensor),
``create_noop_writer``, the function traces (``trace_on`` / ``trace_export``) and
``audio``."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

from .._tracing import host_call
from ..graph import recording as _functions
from . import _backend, _state
from .ops import _target


@contextlib.contextmanager
def record_if(condition):
    """Summaries inside the block are written only while ``condition`` holds: a bool, or a
    callable returning one (asked at each summary call), as ``tf.summary.record_if``."""
    previous = _state.set_condition(condition)
    try:
        yield
    finally:
        _state.set_condition(previous)


def should_record_summaries():
    """Whether a summary call here would write (a boolean scalar Tensor, as TF): a default
    writer is set (not a no-op one) and the innermost ``record_if`` condition holds."""
    from ..ops.creation import constant

    return constant(_state.recording())


def write(tag: str, tensor, step=None, metadata=None, name=None) -> bool:
    """Writes ``tensor`` (any shape and dtype, or a callable returning it) under ``tag``
    with optional ``SummaryMetadata`` (or its serialized bytes), as ``tf.summary.write``.

    Returns:
        True if written, False with no default writer or when ``record_if`` is off.

    Raises:
        ValueError: when no step is known.
    """
    writer, step = _target("write", step)
    if writer is None:
        return False
    if callable(tensor):
        tensor = tensor()
    return _write_tensor(writer, tag, tensor, step, metadata)


@host_call
def _write_tensor(writer, tag, tensor, step, metadata) -> bool:
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.util import tensor_util

    proto = tensor_util.make_tensor_proto(_backend.to_numpy(tensor))
    if isinstance(metadata, bytes):
        metadata = summary_pb2.SummaryMetadata.FromString(metadata)
    value = summary_pb2.Summary.Value(tag=tag, tensor=proto)
    if metadata is not None:
        value.metadata.CopyFrom(metadata)
    writer.write(summary_pb2.Summary(value=[value]), int(step))
    return True


class NoopWriter:
    """A writer that writes nothing (``tf.summary.create_noop_writer``): code written for a
    writer runs unchanged where no logs are wanted."""

    writes_nothing = True

    @contextlib.contextmanager
    def as_default(self, step=None):
        _state.push(self, step)
        try:
            yield self
        finally:
            _state.pop()

    def set_as_default(self, step=None) -> None:
        _state.set_default(self, step)

    def write(self, summary, step: int) -> None:
        pass

    def write_graph(self, graph_def) -> None:
        pass

    def init(self) -> None:
        pass

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def create_noop_writer() -> NoopWriter:
    return NoopWriter()


_profiling = [False]  # whether trace_on started a profiler session


def trace_on(graph: bool = True, profiler: bool = False, profiler_outdir=None) -> None:
    """Start recording the graphs of the ``tf.function`` traces made from now on (the
    first call of a function, or of a new signature), for :func:`trace_export`; with
    ``profiler``, also a profiling session (``tf.profiler.experimental``) that writes its
    timeline to ``profiler_outdir`` (as TensorFlow, no profile without one)."""
    _functions.start()
    if profiler:
        if profiler_outdir is None:
            warnings.warn(
                "No `profiler_outdir` passed to trace_on(). Profiler won't be enabled.",
                stacklevel=2,
            )
        else:
            from ..profiler import experimental as _profiler

            _profiler.start(profiler_outdir)
            _profiling[0] = True


def _stop_profiler(save: bool) -> None:
    if _profiling[0]:
        from ..profiler import experimental as _profiler

        _profiling[0] = False
        _profiler.stop(save=save)


def trace_off() -> None:
    """Stop recording and drop what was recorded (and a profile ``trace_on`` started)."""
    _functions.stop()
    _stop_profiler(save=False)


def trace_export(name: str, step=None, profiler_outdir=None) -> None:
    """Write the graphs of the functions traced since :func:`trace_on` as TensorFlow does:
    one summary tagged ``name`` (plugin ``graph_run_metadata_graph``) holding a
    RunMetadata with one function graph each, which TensorBoard's Graphs tab lists under
    that tag; with the default writer (nothing without one). A profile ``trace_on``
    started is written to its ``profiler_outdir``. Stops recording.

    Raises:
        ValueError: when a writer is set but no step is known.
    """
    functions = _functions.stop()
    _stop_profiler(save=True)
    writer, step = _target("trace_export", step)
    if writer is not None:
        _write_function_graphs(writer, name, functions, step)


def _write_function_graphs(writer, name, functions, step) -> None:
    from tensorboard.compat.proto import config_pb2, summary_pb2
    from tensorboard.util import tensor_util

    _backend.require("gpuflow.summary.trace_export")
    run_metadata = config_pb2.RunMetadata()
    for concrete in functions:
        graph = run_metadata.function_graphs.add().pre_optimization_graph
        for op in concrete.graph.get_operations():
            node = graph.node.add()
            node.name = op.name
            node.op = op.type
            node.input.extend(op.input_names)
            node.attr["description"].s = op.description.encode()
    metadata = summary_pb2.SummaryMetadata()
    metadata.plugin_data.plugin_name = "graph_run_metadata_graph"
    metadata.plugin_data.content = b"1"
    serialized = np.array(run_metadata.SerializeToString(), dtype=object)
    value = summary_pb2.Summary.Value(tag=name, tensor=tensor_util.make_tensor_proto(serialized))
    value.metadata.CopyFrom(metadata)
    writer.write(summary_pb2.Summary(value=[value]), int(step))


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    """Writes audio clips ``[k, samples, channels]`` (floats in [-1, 1]) as WAV files for
    TensorBoard's Audio tab, at most ``max_outputs`` of them, as ``tf.summary.audio``.

    Returns:
        True if written, False with no default writer (or with ``record_if`` off).

    Raises:
        ValueError: for an encoding other than "wav", data not of rank 3, or no step.
    """
    if (encoding or "wav") != "wav":
        raise ValueError(f"gpuflow.summary.audio: unknown encoding {encoding!r}; only 'wav'")
    clips = _backend.to_numpy(data)
    if clips.ndim != 3:
        raise ValueError(
            f"gpuflow.summary.audio {name!r}: expected data of shape [clips, samples, "
            f"channels], received shape {clips.shape}"
        )
    writer, step = _target("audio", step)
    if writer is None:
        return False
    return _write_audio(writer, name, clips, int(sample_rate), step, int(max_outputs), description)


@host_call
def _write_audio(writer, name, clips, sample_rate, step, max_outputs, description) -> bool:
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.plugins.audio import metadata as audio_metadata
    from tensorboard.util import tensor_util

    from ..audio import encode_wav

    encoded = [
        encode_wav(clip.astype("float32"), sample_rate).numpy() for clip in clips[:max_outputs]
    ]
    table = np.empty((len(encoded), 2), dtype=object)
    table[:, 0] = encoded
    table[:, 1] = b""
    meta = audio_metadata.create_summary_metadata(
        display_name=None,
        description=description,
        encoding=audio_metadata.Encoding.Value("WAV"),
    )
    value = summary_pb2.Summary.Value(tag=name, tensor=tensor_util.make_tensor_proto(table))
    value.metadata.CopyFrom(meta)
    writer.write(summary_pb2.Summary(value=[value]), int(step))
    return True
