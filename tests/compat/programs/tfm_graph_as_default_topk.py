# Building a throwaway graph in TF2 code: ops run under `with tf.Graph().as_default():`
# are recorded into that graph (not executed eagerly), and the graph lists them; plus
# tf.approx_top_k / tf.math.approx_max_k for a nearest-neighbour search and
# tf.guarantee_const on a lookup table.
import numpy as np
import tensorflow as tf

assert tf.executing_eagerly()
g = tf.Graph()
with g.as_default() as entered:
    assert entered is g
    assert not tf.executing_eagerly()
    assert tf.compat.v1.get_default_graph() is g
    table = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    scores = tf.matmul(table, table)
    total = tf.reduce_sum(scores * 0.5)
assert tf.executing_eagerly()
assert tf.compat.v1.get_default_graph() is not g

ops = g.get_operations()
types = [op.type for op in ops]
assert "Const" in types and "MatMul" in types and "Mul" in types and "Sum" in types, types
assert types.index("MatMul") < types.index("Mul") < types.index("Sum"), types
names = [op.name for op in ops]
assert len(set(names)) == len(names), names
assert g.get_operation_by_name("MatMul").type == "MatMul"

# A second graph is independent of the first.
g2 = tf.Graph()
with g2.as_default():
    tf.constant([1.0]) + tf.constant([2.0])
assert "MatMul" not in [op.type for op in g2.get_operations()]
assert len(g.get_operations()) == len(ops)

# Nearest neighbours by inner product: approximate top-k (exact here) of a small database.
rng = np.random.default_rng(7)
database = rng.normal(size=(50, 8)).astype(np.float32)
queries = database[[3, 17]] + 0.01
lookup = tf.guarantee_const(tf.constant(database))
np.testing.assert_array_equal(lookup.numpy(), database)
scores = tf.matmul(tf.constant(queries), lookup, transpose_b=True)
values, indices = tf.approx_top_k(scores, k=5, recall_target=0.95)
expected = np.argsort(-(queries @ database.T), axis=1)[:, :5]
assert indices.dtype == tf.int32
np.testing.assert_array_equal(indices.numpy(), expected)
np.testing.assert_allclose(
    values.numpy(), np.take_along_axis(queries @ database.T, expected, 1), rtol=1e-5
)
max_values, max_indices = tf.math.approx_max_k(scores, k=5)
np.testing.assert_array_equal(max_indices.numpy(), expected)
np.testing.assert_allclose(max_values.numpy(), values.numpy(), rtol=1e-6)
print("graph as_default and approx top-k: ok")
