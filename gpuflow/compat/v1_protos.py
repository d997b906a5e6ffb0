"""The protobuf message classes ``tf.compat.v1`` exports (``tf.compat.v1.Summary``,
``GraphDef``, ``MetaGraphDef``, ``RunOptions`` ...): the tensorboard package's copies of
TensorFlow's, as gpuflow/summary writes with."""

from __future__ import annotations

import importlib

from ..summary import _backend

_WHERE = {
    "Summary": "summary_pb2",
    "SummaryMetadata": "summary_pb2",
    "HistogramProto": "summary_pb2",
    "Event": "event_pb2",
    "SessionLog": "event_pb2",
    "LogMessage": "event_pb2",
    "GraphDef": "graph_pb2",
    "NodeDef": "node_def_pb2",
    "AttrValue": "attr_value_pb2",
    "NameAttrList": "attr_value_pb2",
    "MetaGraphDef": "meta_graph_pb2",
    "TensorInfo": "meta_graph_pb2",
    "RunOptions": "config_pb2",
    "RunMetadata": "config_pb2",
}
NAMES = tuple(_WHERE)


def message(name: str):
    _backend.require(f"tf.compat.v1.{name}")
    module = importlib.import_module(f"tensorboard.compat.proto.{_WHERE[name]}")
    return getattr(module, name)


def __getattr__(name: str):
    if name in _WHERE:
        return message(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
