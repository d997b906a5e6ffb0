"""tf.Graph and tf.Operation: a concrete function's graph, and ``tf.Graph().as_default()``."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_concrete_graph_is_a_tf_graph_with_named_placeholders_and_consts():
    @tf.function
    def f(x, y):
        return tf.matmul(x, y) + 1.0

    graph = f.get_concrete_function(tf.TensorSpec([2, 2]), tf.TensorSpec([2, 2])).graph
    assert isinstance(graph, tf.Graph) and graph.building_function
    ops = graph.get_operations()
    assert all(isinstance(op, tf.Operation) for op in ops)
    assert [(op.name, op.type) for op in ops[:3]] == [
        ("x", "Placeholder"),
        ("y", "Placeholder"),
        ("MatMul", "MatMul"),
    ]
    assert ops[2].input_names == ["x", "y"]
    const = [op for op in ops if op.type == "Const"]
    assert len(const) == 1
    add = ops[-1]
    assert add.input_names == ["MatMul", const[0].name]


def test_second_op_of_a_type_gets_a_numbered_name():
    @tf.function
    def f(x):
        return tf.matmul(tf.matmul(x, x), x)

    ops = f.get_concrete_function(tf.ones([2, 2])).graph.get_operations()
    assert [op.name for op in ops] == ["x", "MatMul", "MatMul_1"]
    assert repr(ops[2]) == "<tf.Operation 'MatMul_1' type=MatMul>"  # TensorFlow's repr


def test_as_default_records_ops_and_is_the_default_graph():
    g = tf.Graph()
    assert not g.building_function and g.get_operations() == []
    with g.as_default() as entered:
        assert entered is g
        assert not tf.executing_eagerly()
        assert tf.compat.v1.get_default_graph() is g
        c = tf.constant([[1.0, 2.0]])
        d = tf.reduce_sum(c * 3.0)
    assert tf.executing_eagerly()
    assert tf.compat.v1.get_default_graph() is not g
    types = [op.type for op in g.get_operations()]
    assert types.count("Const") == 2 and "Mul" in types and types[-1] == "Sum"
    assert g.get_operation_by_name("Mul").input_names == ["Const", "Const_1"]
    np.testing.assert_allclose(d.numpy(), 9.0)  # the ops computed their values too


def test_tensor_values_are_not_readable_inside_the_block():
    with tf.Graph().as_default():
        t = tf.constant([1.0]) + 1.0
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
            t.numpy()


def test_a_graph_collects_ops_of_several_blocks_and_nested_graphs_stay_apart():
    outer, inner = tf.Graph(), tf.Graph()
    with outer.as_default():
        tf.constant(1.0) + 2.0
        with inner.as_default():
            assert tf.compat.v1.get_default_graph() is inner
            tf.constant(1.0) * 2.0
        assert tf.compat.v1.get_default_graph() is outer
    with outer.as_default():
        tf.constant(1.0) - 2.0
    assert [op.type for op in outer.get_operations() if op.type != "Const"] == ["Add", "Sub"]
    assert [op.type for op in inner.get_operations() if op.type != "Const"] == ["Mul"]


def test_function_graph_takes_no_new_ops_and_unknown_names_raise():
    @tf.function
    def f(x):
        return x * 2.0

    graph = f.get_concrete_function(tf.ones([2])).graph
    with pytest.raises(RuntimeError, match="tf.Graph()"):
        with graph.as_default():
            pass
    with pytest.raises(KeyError, match="'Nope'"):
        graph.get_operation_by_name("Nope")


def _relu_double_graph():
    @tf.function
    def f(x):
        return tf.nn.relu(x) * 2.0

    return f.get_concrete_function(tf.TensorSpec([2])).graph


def test_as_graph_def_has_a_node_per_operation_with_its_inputs():
    graph_def = _relu_double_graph().as_graph_def()
    assert type(graph_def).DESCRIPTOR.full_name == "tensorflow.GraphDef"
    nodes = [(n.name, n.op, list(n.input)) for n in graph_def.node]
    assert nodes == [
        ("x", "Placeholder", []),
        ("Relu", "Relu", ["x"]),
        ("Const", "Const", []),
        ("Mul", "Mul", ["Relu", "Const"]),
    ]
    again = type(graph_def).FromString(graph_def.SerializeToString())
    assert again == graph_def


def test_write_graph_text_and_binary(tmp_path):
    from google.protobuf import text_format

    graph = _relu_double_graph()
    text_path = tf.io.write_graph(graph, str(tmp_path / "logs"), "graph.pbtxt")
    assert text_path == str(tmp_path / "logs" / "graph.pbtxt")
    parsed = text_format.Parse(open(text_path).read(), type(graph.as_graph_def())())
    assert parsed == graph.as_graph_def()
    binary_path = tf.io.write_graph(graph.as_graph_def(), tmp_path, "graph.pb", as_text=False)
    with open(binary_path, "rb") as f:
        assert type(parsed).FromString(f.read()) == parsed
    with pytest.raises(TypeError, match="expected a tf.Graph or a GraphDef, received str"):
        tf.io.write_graph("graph", tmp_path, "x.pb")


def test_assert_equal_graph_def_matches_nodes_by_name():
    @tf.function
    def plus(x):
        return tf.nn.relu(x) + 2.0

    a = _relu_double_graph().as_graph_def()
    tf.test.assert_equal_graph_def(a, _relu_double_graph().as_graph_def())
    shuffled = type(a)(node=list(reversed(a.node)))
    tf.test.assert_equal_graph_def(a, shuffled)  # node order does not matter
    b = plus.get_concrete_function(tf.TensorSpec([2])).graph.as_graph_def()
    with pytest.raises(AssertionError, match="Found unexpected node '{{node Add}} = Add"):
        tf.test.assert_equal_graph_def(a, b)
    with pytest.raises(AssertionError, match="Did not find expected node '{{node Mul}}"):
        tf.test.assert_equal_graph_def(a, type(a)(node=[n for n in a.node if n.name != "Mul"]))
    changed = type(a)()
    changed.CopyFrom(a)
    changed.node[3].input[:] = ["Const", "Relu"]
    with pytest.raises(AssertionError, match="Node named 'Mul' has inputs"):
        tf.test.assert_equal_graph_def(a, changed)
    with pytest.raises(TypeError, match="Expected tf.GraphDef for actual, got int"):
        tf.test.assert_equal_graph_def(a, 3)
