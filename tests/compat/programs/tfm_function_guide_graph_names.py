# The "Better performance with tf.function" and "Introduction to graphs" guides: a concrete
# function's graph (tf.Graph, tf.Operation, its operations and their inputs, its GraphDef
# written with tf.io.write_graph), code kept out of AutoGraph with do_not_convert, loop
# options, the converted code, and the tf.config.optimizer settings (JIT and
# graph-optimizer options) that tf.function honours.
import os

import numpy as np
import tensorflow as tf


@tf.function
def dense_layer(x, w, b):
    return tf.nn.relu(tf.matmul(x, w) + b)


x = tf.constant([[1.0, -2.0]])
w = tf.constant([[1.0, 0.5], [0.25, -1.0]])
b = tf.constant([0.5, 0.5])
np.testing.assert_allclose(dense_layer(x, w, b).numpy(), [[1.0, 3.0]])

concrete = dense_layer.get_concrete_function(x, w, b)
graph = concrete.graph
assert isinstance(graph, tf.Graph)
ops = graph.get_operations()
assert all(isinstance(op, tf.Operation) for op in ops)
placeholders = [op.name for op in ops if op.type == "Placeholder"]
assert placeholders == ["x", "w", "b"], placeholders
op_types = [op.type for op in ops]
assert "MatMul" in op_types and "Relu" in op_types, op_types
assert op_types.index("MatMul") < op_types.index("Relu")
matmul = graph.get_operation_by_name("MatMul")
assert matmul.type == "MatMul"

# The guide prints each node's inputs from the GraphDef; write_graph saves it as text.
graph_def = graph.as_graph_def()
node_inputs = {node.name: list(node.input) for node in graph_def.node}
assert node_inputs["MatMul"] == ["x", "w"], node_inputs
assert node_inputs["x"] == [] and {"x", "w", "b", "MatMul", "Relu"} <= set(node_inputs)
# The same computation traced again gives an equal GraphDef; another one does not.
same_layer = tf.function(dense_layer.python_function)
same_def = same_layer.get_concrete_function(x, w, b).graph.as_graph_def()
tf.test.assert_equal_graph_def(graph_def, same_def)
other_def = tf.function(lambda x: tf.nn.relu(x)).get_concrete_function(x).graph.as_graph_def()
differs = False
try:
    tf.test.assert_equal_graph_def(graph_def, other_def)
except AssertionError:
    differs = True
assert differs, "graphs of different functions should differ"
path = tf.io.write_graph(graph, "./graphs", "dense_layer.pbtxt")
assert os.path.isfile(path) and path.endswith("dense_layer.pbtxt")
with open(path) as f:
    text = f.read()
assert 'op: "MatMul"' in text and 'name: "Relu"' in text


# Python the converter must leave alone: do_not_convert keeps the function as written.
@tf.autograph.experimental.do_not_convert
def python_scale(t, factor):
    return t * factor


@tf.function
def scaled_sum(t):
    total = tf.constant(0.0)
    for i in tf.range(3):
        tf.autograph.experimental.set_loop_options(maximum_iterations=3)
        total += python_scale(tf.reduce_sum(t), tf.cast(i, tf.float32))
    return total


np.testing.assert_allclose(scaled_sum(tf.constant([1.0, 2.0])).numpy(), 9.0)


# maximum_iterations stops a TensorFlow loop early.
@tf.function
def capped_sum(n):
    total = tf.constant(0)
    for i in tf.range(n):
        tf.autograph.experimental.set_loop_options(maximum_iterations=4)
        total += i
    return total


assert int(capped_sum(tf.constant(100))) == 6
assert int(capped_sum(tf.constant(3))) == 3


# AutoGraph turns `if` on a tensor into a conditional; to_code shows the converted source.
def clip_negative(t):
    if tf.reduce_sum(t) < 0:
        t = tf.zeros_like(t)
    return t


code = tf.autograph.to_code(clip_negative)
assert "def tf__clip_negative" in code and "if_stmt" in code, code
clip_fn = tf.function(clip_negative)
np.testing.assert_allclose(clip_fn(tf.constant([-3.0, 1.0])).numpy(), [0.0, 0.0])
np.testing.assert_allclose(clip_fn(tf.constant([3.0, 1.0])).numpy(), [3.0, 1.0])

# Autograph features are an enum accepted by tf.function.
feature = tf.autograph.experimental.Feature.EQUALITY_OPERATORS
assert feature in list(tf.autograph.experimental.Feature)
featured = tf.function(
    lambda t: t + 1.0,
    experimental_autograph_options=(tf.autograph.experimental.Feature.LISTS,),
)
np.testing.assert_allclose(featured(tf.constant(1.0)).numpy(), 2.0)

# The graph-optimizer settings are stored and read back as TensorFlow does.
tf.config.optimizer.set_jit(True)
assert tf.config.optimizer.get_jit() == "autoclustering"
tf.config.optimizer.set_jit(False)
assert tf.config.optimizer.get_jit() == ""
tf.config.optimizer.set_experimental_options({"constant_folding": False})
options = tf.config.optimizer.get_experimental_options()
assert options == {
    "constant_folding": False,
    "disable_model_pruning": False,
    "disable_meta_optimizer": False,
}, options
tf.config.optimizer.set_experimental_options({"constant_folding": True})
np.testing.assert_allclose(dense_layer(x, w, b).numpy(), [[1.0, 3.0]])
print("function guide graph names: ok")
