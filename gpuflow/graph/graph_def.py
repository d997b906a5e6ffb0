"""``Graph.as_graph_def()``: a graph's operations as TensorFlow's ``GraphDef`` protobuf.

The messages are real protobuf messages with TensorFlow's names and field numbers
(``tensorflow/core/framework/graph.proto``, ``node_def.proto``), built from descriptors
as ``io/protos.py`` builds the record protos, so their bytes and text format are
TensorFlow's. gpuflow fills each node's ``name``, ``op`` and ``input`` (the names of the
operations it reads); it has no ``attr`` map (op attributes, constant values), so a
GraphDef from gpuflow describes the graph's structure, not a graph TensorFlow can run.
"""

from __future__ import annotations

from ..io.protos import _F, _POOL, _REPEATED, _field, _file, _message_class


def _graph_file():
    f = _file("tensorflow/core/framework/graph.proto")
    node = f.message_type.add(name="NodeDef")
    _field(node, "name", 1, _F.TYPE_STRING)
    _field(node, "op", 2, _F.TYPE_STRING)
    _field(node, "input", 3, _F.TYPE_STRING, _REPEATED)
    _field(node, "device", 4, _F.TYPE_STRING)
    graph = f.message_type.add(name="GraphDef")
    _field(graph, "node", 1, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.NodeDef")
    return f


_POOL.Add(_graph_file())
NodeDef = _message_class("NodeDef")
GraphDef = _message_class("GraphDef")


def to_graph_def(operations) -> GraphDef:
    """The GraphDef of ``operations`` (``Graph.get_operations()``), one node each."""
    return GraphDef(
        node=[NodeDef(name=op.name, op=op.type, input=op.input_names) for op in operations]
    )
