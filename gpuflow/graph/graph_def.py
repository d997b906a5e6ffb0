"""``Graph.as_graph_def()``: a graph's operations as TensorFlow's ``GraphDef`` protobuf.

The messages are real protobuf messages with TensorFlow's names and field numbers
(``tensorflow/core/framework/graph.proto``, ``node_def.proto``), built from descriptors
as ``io/protos.py`` builds the record protos, so their bytes and text format are
TensorFlow's. gpuflow fills each node's ``name``, ``op`` and ``input`` (the names of the
operations it reads); it has no ``attr`` map (op attributes, constant values), so a
GraphDef from gpuflow describes the graph's structure, not a graph TensorFlow can run.
"""

from __future__ import annotations

from ..io.protos import _F, _REPEATED, POOL, field, message_class, proto_file


def _graph_file():
    f = proto_file("tensorflow/core/framework/graph.proto")
    node = f.message_type.add(name="NodeDef")
    field(node, "name", 1, _F.TYPE_STRING)
    field(node, "op", 2, _F.TYPE_STRING)
    field(node, "input", 3, _F.TYPE_STRING, _REPEATED)
    field(node, "device", 4, _F.TYPE_STRING)
    graph = f.message_type.add(name="GraphDef")
    field(graph, "node", 1, _F.TYPE_MESSAGE, _REPEATED, ".tensorflow.NodeDef")
    return f


POOL.Add(_graph_file())
NodeDef = message_class("NodeDef")
GraphDef = message_class("GraphDef")


def to_graph_def(operations) -> GraphDef:
    """The GraphDef of ``operations`` (``Graph.get_operations()``), one node each."""
    return GraphDef(
        node=[NodeDef(name=op.name, op=op.type, input=op.input_names) for op in operations]
    )


def _summary(node) -> str:
    inputs = ", ".join(node.input)
    device = f" device={node.device}" if node.device else ""
    return f"{{{{node {node.name}}}}} = {node.op}({inputs}){device}"


def _is_graph_def(value) -> bool:
    descriptor = getattr(value, "DESCRIPTOR", None)
    return getattr(descriptor, "full_name", None) == "tensorflow.GraphDef"


def _inputs(node) -> tuple:
    """Data inputs in order, then control inputs (``^name``) in any order."""
    data = [i for i in node.input if not i.startswith("^")]
    return tuple(data), frozenset(i for i in node.input if i.startswith("^"))


def _node_difference(expected, actual) -> "str | None":
    if actual.op != expected.op:
        return (
            f"Node named '{actual.name}' has op {actual.op} that does not match expected "
            f"{expected.op}"
        )
    if actual.device != expected.device:
        return (
            f"Node named '{actual.name}' has device '{actual.device}' that does not match "
            f"expected '{expected.device}'"
        )
    if _inputs(actual) != _inputs(expected):
        return (
            f"Node named '{actual.name}' has inputs {list(actual.input)} that don't match "
            f"expected {list(expected.input)}"
        )
    attr_a, attr_e = getattr(actual, "attr", None), getattr(expected, "attr", None)
    if attr_a is not None and attr_e is not None and dict(attr_a) != dict(attr_e):
        return f"Node named '{actual.name}' has attrs that do not match expected"
    return None


def assert_equal_graph_def(expected, actual) -> None:
    """``tf.test.assert_equal_graph_def``: the two GraphDefs have the same nodes (matched by
    name, in any order), each with the same op, device, inputs (control inputs in any
    order) and attrs.

    Raises:
        AssertionError: naming the first node that differs.
        TypeError: when either argument is not a GraphDef.
    """
    for role, value in (("actual", actual), ("expected", expected)):
        if not _is_graph_def(value):
            raise TypeError(f"Expected tf.GraphDef for {role}, got {type(value).__name__}")
    wanted = {node.name: node for node in expected.node}
    seen = set()
    for node in actual.node:
        match = wanted.get(node.name)
        if match is None:
            raise AssertionError(f"Found unexpected node '{_summary(node)}' not in expected graph")
        difference = _node_difference(match, node)
        if difference is not None:
            raise AssertionError(difference)
        seen.add(node.name)
    for name, node in wanted.items():
        if name not in seen:
            raise AssertionError(f"Did not find expected node '{_summary(node)}'")
