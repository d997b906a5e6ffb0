"""scatter_nd, tensor_scatter_nd_*, gather_nd and gather with batch_dims."""

import numpy as np
import tensorflow as tf

# scatter_nd builds a new tensor; duplicate indices add up.
idx = tf.constant([[1], [3], [1]])
out = tf.scatter_nd(idx, tf.constant([10, 20, 5]), shape=[5])
np.testing.assert_array_equal(out, [0, 15, 0, 20, 0])
slices = tf.scatter_nd([[0], [2]], tf.ones([2, 3]), [4, 3])
np.testing.assert_array_equal(slices.numpy().sum(axis=1), [3, 0, 3, 0])
cells = tf.scatter_nd([[0, 1], [2, 2]], [7.0, 8.0], tf.constant([3, 3]))
assert float(cells[0, 1]) == 7.0 and float(cells[2, 2]) == 8.0 and float(tf.reduce_sum(cells)) == 15

# tensor_scatter_nd_* update an existing tensor (out of place).
base = tf.reshape(tf.range(8), [2, 4])
upd = tf.tensor_scatter_nd_update(base, [[0, 0], [1, 3]], [-1, -2])
np.testing.assert_array_equal(upd, [[-1, 1, 2, 3], [4, 5, 6, -2]])
np.testing.assert_array_equal(base[0, 0], 0)
rows = tf.tensor_scatter_nd_update(base, [[1]], [[9, 9, 9, 9]])
np.testing.assert_array_equal(rows[1], [9, 9, 9, 9])
np.testing.assert_array_equal(
    tf.tensor_scatter_nd_add(base, [[0, 1], [0, 1]], [10, 10])[0], [0, 21, 2, 3]
)
np.testing.assert_array_equal(tf.tensor_scatter_nd_sub(base, [[1, 0]], [4])[1], [0, 5, 6, 7])
np.testing.assert_array_equal(tf.tensor_scatter_nd_max(base, [[0, 2]], [50])[0], [0, 1, 50, 3])
np.testing.assert_array_equal(tf.tensor_scatter_nd_min(base, [[1, 1]], [-5])[1], [4, -5, 6, 7])
try:
    tf.tensor_scatter_nd_update(base, [[2, 0]], [1])
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("an index out of range should raise")
try:
    tf.tensor_scatter_nd_update(base, [[0, 0]], [1.5])
except (TypeError, ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("float updates into an int tensor should raise")

# Gradients flow to the updates and around the overwritten entries.
v = tf.Variable([1.0, 2.0, 3.0])
u = tf.Variable([5.0])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(tf.tensor_scatter_nd_update(v, [[1]], u) * [1.0, 2.0, 3.0])
gv, gu = tape.gradient(y, [v, u])
np.testing.assert_array_equal(gv, [1.0, 0.0, 3.0])
np.testing.assert_array_equal(gu, [2.0])

# gather_nd: full indices pick elements, partial ones pick slices, batch_dims pairs rows.
params = tf.reshape(tf.range(24), [2, 3, 4])
np.testing.assert_array_equal(tf.gather_nd(params, [[0, 1, 2], [1, 2, 3]]), [6, 23])
assert tf.gather_nd(params, [[1, 0]]).shape == (1, 4)
assert tf.gather_nd(params, [[[0], [1]]]).shape == (1, 2, 3, 4)
bd = tf.gather_nd(params, [[0, 1], [2, 3]], batch_dims=1)
np.testing.assert_array_equal(bd, [1, 23])
bd_slices = tf.gather_nd(params, [[[2]], [[0]]], batch_dims=1)
assert bd_slices.shape == (2, 1, 4)
np.testing.assert_array_equal(bd_slices[1, 0], [12, 13, 14, 15])
try:
    tf.gather_nd(params, [[2, 0, 0]])
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("gather_nd out of range should raise on the CPU")

# gather along an axis, with batch_dims for per-example lookups.
tbl = tf.constant([[10, 11, 12], [20, 21, 22]])
np.testing.assert_array_equal(tf.gather(tbl, [2, 0], axis=1), [[12, 10], [22, 20]])
np.testing.assert_array_equal(
    tf.gather(tbl, [[0, 0], [1, 2]], axis=1, batch_dims=1), [[10, 10], [21, 22]]
)
assert tf.gather(tbl, [[1, 0]]).shape == (1, 2, 3)
np.testing.assert_array_equal(tf.gather(tbl, -1 + tf.constant([1]), axis=0), [[10, 11, 12]])
try:
    tf.gather(tbl, [3])
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("gather out of range should raise on the CPU")

# Variables support scatter methods in place.
var = tf.Variable(tf.zeros([4]))
var.scatter_nd_update([[0], [2]], [1.0, 2.0])
var.scatter_nd_add([[2]], [0.5])
np.testing.assert_array_equal(var, [1.0, 0.0, 2.5, 0.0])
var.scatter_update(tf.IndexedSlices(tf.constant([7.0]), tf.constant([3])))
np.testing.assert_array_equal(var, [1.0, 0.0, 2.5, 7.0])
var.scatter_add(tf.IndexedSlices(tf.constant([4.0, 1.0]), tf.constant([1, 1])))
np.testing.assert_array_equal(var, [1.0, 5.0, 2.5, 7.0])
print("ok")
