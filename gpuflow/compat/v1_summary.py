"""``tf.compat.v1.summary``: summary ops of a TF 1 graph (``scalar``, ``histogram``,
``text`` give a string tensor, a serialized ``Summary`` protobuf, computed in
``Session.run``; ``merge``/``merge_all`` join them) and ``FileWriter``, which appends them
to an event file for TensorBoard (the tensorboard package's protobufs and writer, as
gpuflow/summary does). The other names are TF 2's ``tf.summary``."""

from __future__ import annotations

import os
import sys
import time
import types

import numpy as np

from ..summary import _backend
from . import v1_collections as collections
from .v1_graph import graph_mode
from .v1_record import record


def _tf():
    return sys.modules["gpuflow"]


def _pb():
    return _backend.require("tf.compat.v1.summary")


def _summary_pb2():
    from tensorboard.compat.proto import summary_pb2

    return summary_pb2


def _as_bytes(summary):
    from ..ops.creation import constant

    return constant(np.array(summary.SerializeToString(), dtype=object))


def _tag(name: str) -> str:
    from .v1_scopes import current_name_scope

    scope = current_name_scope()
    return f"{scope}/{name}" if scope else name


def _summary_op(fn, name, *inputs):
    """``fn(tag, *inputs)``: a string node named ``name`` in graph mode (constant inputs
    too, as TensorFlow's summary ops), else the serialized Summary now."""
    tag = _tag(name)
    if graph_mode():
        return record(fn, (tag, *inputs), {}, fn.__name__, name)
    return fn(tag, *inputs)


def _add(op, collections_) -> None:
    for key in [collections.GraphKeys.SUMMARIES] if collections_ is None else collections_:
        collections.add_to_collection(key, op)


def _scalar_summary(tag, value):
    pb = _summary_pb2()
    v = float(np.asarray(_backend.to_numpy(value)).reshape(()))
    return _as_bytes(pb.Summary(value=[pb.Summary.Value(tag=tag, simple_value=v)]))


def scalar(name, tensor, collections=None, family=None):
    """A Summary with ``tensor`` (a scalar) as ``simple_value`` under ``name``."""
    op = _summary_op(_scalar_summary, name, tensor)
    _add(op, collections)
    return op


def _histogram_summary(tag, values):
    pb = _summary_pb2()
    data = np.asarray(_backend.to_numpy(values), dtype=np.float64).reshape(-1)
    histo = pb.HistogramProto()
    if data.size:
        counts, edges = np.histogram(data, bins=30)
        histo.min, histo.max = float(data.min()), float(data.max())
        histo.num, histo.sum = float(data.size), float(data.sum())
        histo.sum_squares = float(np.square(data).sum())
        histo.bucket_limit.extend(float(e) for e in edges[1:])
        histo.bucket.extend(float(c) for c in counts)
    return _as_bytes(pb.Summary(value=[pb.Summary.Value(tag=tag, histo=histo)]))


def histogram(name, values, collections=None, family=None):
    """A Summary with the histogram of ``values`` under ``name``."""
    op = _summary_op(_histogram_summary, name, values)
    _add(op, collections)
    return op


def _text_summary(tag, value):
    pb = _pb()
    data = _backend.to_numpy(value)
    return _as_bytes(pb.text_pb(tag, data))


def text(name, tensor, collections=None):
    """A Summary with the strings of ``tensor`` under ``name`` (TensorBoard's text)."""
    op = _summary_op(_text_summary, name, tensor)
    _add(op, collections)
    return op


def _serialized(value) -> bytes:
    """The bytes of a serialized summary (a string tensor, bytes, a 0-d object array), its
    trailing zero bytes kept (a NumPy ``S`` array would drop them)."""
    value = value.numpy() if hasattr(value, "numpy") else value
    if isinstance(value, np.ndarray):
        value = value.reshape(-1)[0] if value.dtype == object else value.tobytes()
    return bytes(value)


def _merge_summaries(*serialized):
    pb = _summary_pb2()
    merged = pb.Summary()
    for item in serialized:
        merged.MergeFromString(_serialized(item))
    return _as_bytes(merged)


def merge(inputs, collections=None, name=None):
    """One Summary holding the values of all ``inputs`` (summary tensors)."""
    if graph_mode():
        op = record(_merge_summaries, tuple(inputs), {}, "merge_summary", name or "Merge")
    else:
        op = _merge_summaries(*inputs)
    if collections:
        _add(op, collections)
    return op


def merge_all(key=collections.GraphKeys.SUMMARIES, scope=None, name=None):
    """All the summaries in collection ``key`` merged into one; None when there are none."""
    found = collections.get_collection(key, scope)
    return merge(found, name=name) if found else None


def get_summary_description(node_def):
    raise NotImplementedError(
        "tf.compat.v1.summary.get_summary_description: gpuflow's graphs have no NodeDef "
        "summaries to describe"
    )


class FileWriter:
    """Writes ``Summary`` protobufs (what summary ops give in ``Session.run``), the graph,
    and other events to a new event file in ``logdir``."""

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None) -> None:  # fmt: skip
        from .._tracing import tracing

        if not (graph_mode() or tracing.eager_disabled):
            raise RuntimeError(
                "tf.compat.v1.summary.FileWriter is not compatible with eager execution. "
                "Use `tf.summary.create_file_writer`,or a `with v1.Graph().as_default():` "
                "context"
            )
        self._logdir = os.fspath(logdir)
        self._writer = _pb().EventFileWriter(
            self._logdir, max_queue_size=max_queue, flush_secs=flush_secs,
            filename_suffix=filename_suffix or "",
        )  # fmt: skip
        self._closed = False
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self) -> str:
        return self._logdir

    def add_event(self, event) -> None:
        if not self._closed:
            self._writer.add_event(event)

    def _event(self, step=None, **fields):
        event = _pb().event_pb2.Event(wall_time=time.time(), **fields)
        if step is not None:
            event.step = int(step)
        return event

    def add_summary(self, summary, global_step=None) -> None:
        """Append ``summary`` (serialized bytes, or a ``Summary``) at ``global_step``."""
        if not hasattr(summary, "SerializeToString"):
            parsed = _summary_pb2().Summary()
            parsed.ParseFromString(_serialized(summary))
            summary = parsed
        self.add_event(self._event(global_step, summary=summary))

    def add_graph(self, graph, global_step=None, graph_def=None) -> None:
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        graph_def = graph.as_graph_def() if graph is not None else graph_def
        self.add_event(self._event(global_step, graph_def=graph_def.SerializeToString()))

    def add_session_log(self, session_log, global_step=None) -> None:
        self.add_event(self._event(global_step, session_log=session_log))

    def add_run_metadata(self, run_metadata, tag, global_step=None) -> None:
        pass  # gpuflow records no step statistics

    def flush(self) -> None:
        if not self._closed:
            self._writer.flush()

    def close(self) -> None:
        if not self._closed:
            self._writer.close()
            self._closed = True

    def reopen(self) -> None:
        if self._closed:
            self._writer.reopen()
            self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FileWriterCache:
    """One FileWriter per log directory, shared by whoever asks for it."""

    _cache: dict = {}

    @staticmethod
    def get(logdir):
        logdir = os.fspath(logdir)
        found = FileWriterCache._cache.get(logdir)
        if found is None:
            found = FileWriterCache._cache[logdir] = FileWriter(logdir)
        return found

    @staticmethod
    def clear() -> None:
        for writer in FileWriterCache._cache.values():
            writer.close()
        FileWriterCache._cache.clear()


def summary_iterator(path):
    """``tf.compat.v1.train.summary_iterator``: the ``Event`` protobufs of an event file."""
    from ..io.tfrecord import read_records

    event_pb2 = _pb().event_pb2
    for item in read_records(os.fspath(path), "", None, "summary_iterator"):
        yield event_pb2.Event.FromString(item)


def _namespace():
    from .. import summary as _summary

    names = {n: getattr(_summary, n) for n in dir(_summary) if not n.startswith("_")}
    names.update(
        scalar=scalar, histogram=histogram, text=text, merge=merge, merge_all=merge_all,
        FileWriter=FileWriter, FileWriterCache=FileWriterCache,
        get_summary_description=get_summary_description, Summary=_summary_pb2().Summary,
        SummaryDescription=_summary_pb2().SummaryDescription, Event=_pb().event_pb2.Event,
        SessionLog=_pb().event_pb2.SessionLog, TaggedRunMetadata=_pb().event_pb2.TaggedRunMetadata,
    )  # fmt: skip
    return types.SimpleNamespace(**names)


def __getattr__(name: str):
    if name == "namespace":
        value = globals()[name] = _namespace()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
