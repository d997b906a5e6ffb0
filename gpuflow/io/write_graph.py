"""``tf.io.write_graph``: a graph's ``GraphDef`` written to a file, in text or binary."""

from __future__ import annotations

import os

from google.protobuf import text_format


def write_graph(graph_or_graph_def, logdir, name, as_text=True) -> str:
    """Write ``graph_or_graph_def`` (a ``tf.Graph`` or its ``as_graph_def()``) to
    ``logdir/name`` (the folder is created), as text format or binary; returns the path."""
    graph_def = graph_or_graph_def
    if hasattr(graph_def, "as_graph_def"):
        graph_def = graph_def.as_graph_def()
    if not hasattr(graph_def, "SerializeToString"):
        raise TypeError(
            "io.write_graph: expected a tf.Graph or a GraphDef, received "
            f"{type(graph_or_graph_def).__name__}"
        )
    logdir = os.fspath(logdir)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, os.fspath(name))
    if as_text:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text_format.MessageToString(graph_def))
    else:
        with open(path, "wb") as out:
            out.write(graph_def.SerializeToString())
    return path
