"""Introduction to Variables, updates: what assign and friends return, shapes that must
match (no broadcasting), dtype conversion, declared shapes that may change, scatter
updates, aggregation/synchronization arguments, and placement."""

import numpy as np
import tensorflow as tf

v = tf.Variable([1.0, 2.0, 3.0], name="weights")
assert v.name == "weights:0"

# Each assign returns the updated variable's value (usable as a tensor), or None.
out = v.assign([4.0, 5.0, 6.0])
assert out.numpy().tolist() == [4.0, 5.0, 6.0]
assert v.assign_add([1.0, 1.0, 1.0]).numpy().tolist() == [5.0, 6.0, 7.0]
assert v.assign_sub([0.5, 0.5, 0.5]).numpy().tolist() == [4.5, 5.5, 6.5]
assert v.assign([0.0, 0.0, 0.0], read_value=False) is None
assert (v.assign_add([2.0, 2.0, 2.0]) * 2).numpy().tolist() == [4.0, 4.0, 4.0]

# Values are converted to the variable's dtype; shapes must match exactly.
v.assign([1, 2, 3])
assert v.dtype == tf.float32 and v.numpy().tolist() == [1.0, 2.0, 3.0]
for bad in ([1.0, 2.0], 5.0, [[1.0, 2.0, 3.0]]):
    try:
        v.assign(bad)
        raise AssertionError(f"assign({bad!r}) must fail on a variable of shape (3,)")
    except ValueError as err:
        assert "Shape mismatch" in str(err) or "incompatible" in str(err), err
for update in (v.assign_add, v.assign_sub):
    try:
        update(1.0)
        raise AssertionError("assign_add/assign_sub do not broadcast a scalar")
    except tf.errors.InvalidArgumentError:
        pass
assert v.numpy().tolist() == [1.0, 2.0, 3.0]  # failed updates change nothing

# A variable declared with an unknown shape may take values of other shapes.
flexible = tf.Variable([1.0], shape=tf.TensorShape(None))
flexible.assign([[1.0, 2.0], [3.0, 4.0]])
assert flexible.shape.rank is None and flexible.numpy().shape == (2, 2)
rows = tf.Variable(tf.zeros([1, 2]), shape=[None, 2])
rows.assign(tf.ones([3, 2]))
assert rows.shape.as_list() == [None, 2] and rows.numpy().shape == (3, 2)

# Scatter updates, reads of rows, and sliced assignment.
table = tf.Variable([[1, 2], [3, 4], [5, 6]])
table.scatter_nd_update(indices=[[0, 1], [2, 0]], updates=[20, 50])
assert table.numpy().tolist() == [[1, 20], [3, 4], [50, 6]]
table.scatter_update(tf.IndexedSlices(tf.constant([[7, 7]]), tf.constant([1])))
assert table.numpy().tolist() == [[1, 20], [7, 7], [50, 6]]
table.scatter_add(tf.IndexedSlices(tf.constant([[1, 1]]), tf.constant([0])))
assert table.sparse_read([0, 2]).numpy().tolist() == [[2, 21], [50, 6]]
assert table.gather_nd([[1, 1]]).numpy().tolist() == [7]
table[0, :].assign([0, 0])
assert table.numpy().tolist()[0] == [0, 0]

# A copy is independent; tf.Variable(v) copies the value.
copy = tf.Variable(v)
copy.assign([9.0, 9.0, 9.0])
assert v.numpy().tolist() == [1.0, 2.0, 3.0]

# Distribution arguments are kept.
acc = tf.Variable(
    0.0,
    trainable=False,
    synchronization=tf.VariableSynchronization.ON_READ,
    aggregation=tf.VariableAggregation.SUM,
)
assert acc.synchronization == tf.VariableSynchronization.ON_READ
assert acc.aggregation == tf.VariableAggregation.SUM and not acc.trainable

# Placement: created under tf.device, the variable lives there.
with tf.device("CPU:0"):
    placed = tf.Variable([1.0, 2.0])
    computed = placed * 2
assert placed.device.endswith("CPU:0"), placed.device
np.testing.assert_allclose(computed.numpy(), [2.0, 4.0])

# Updates inside tf.function, returned values chained.
step = tf.Variable(0, dtype=tf.int64)


@tf.function
def advance(n):
    for _ in tf.range(n):
        step.assign_add(1)
    return step.read_value()


assert int(advance(tf.constant(3, tf.int64))) == 3
assert int(advance(tf.constant(2, tf.int64))) == 5

print("guide_core_variable_updates OK")
