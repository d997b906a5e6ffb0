"""Tensor slicing guide: gather / gather_nd with batch_dims, scatter_nd,
tensor_scatter_nd_update / add / sub / max / min, boolean_mask with bool and numeric
masks and an axis, strided_slice masks, and the gradients that flow through them."""

import numpy as np
import tensorflow as tf

t = tf.reshape(tf.range(24), [2, 3, 4])
# gather along an axis, with batch_dims: one index list per batch row.
assert tf.gather(t, [3, 0], axis=-1).shape == (2, 3, 2)
params = tf.constant([[10, 11, 12], [20, 21, 22]])
picked = tf.gather(params, [[2, 0], [1, 1]], axis=1, batch_dims=1)
assert picked.numpy().tolist() == [[12, 10], [21, 21]]
# gather_nd: indices address the leading axes; batch_dims makes it per batch row.
assert tf.gather_nd(t, [[0, 1], [1, 2]]).numpy().tolist() == [[4, 5, 6, 7], [20, 21, 22, 23]]
assert tf.gather_nd(t, [[0, 1, 2], [1, 2, 3]]).numpy().tolist() == [6, 23]
per_row = tf.gather_nd(t, [[1], [0]], batch_dims=1)
assert per_row.numpy().tolist() == [[4, 5, 6, 7], [12, 13, 14, 15]]
# scatter_nd adds duplicates into zeros.
sc = tf.scatter_nd([[1], [3], [1]], [10, 20, 5], [5])
assert sc.numpy().tolist() == [0, 15, 0, 20, 0]
rows = tf.scatter_nd([[0], [2]], [[1.0, 1.0], [2.0, 2.0]], [3, 2])
assert rows.numpy().tolist() == [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]
# The tensor_scatter_nd family updates a copy of an existing tensor.
base = tf.ones([4])
assert tf.tensor_scatter_nd_add(base, [[1], [1], [3]], [3.0, 4.0, 1.0]).numpy().tolist() == [
    1.0,
    8.0,
    1.0,
    2.0,
]
assert tf.tensor_scatter_nd_sub(base, [[0]], [3.0]).numpy().tolist() == [-2.0, 1.0, 1.0, 1.0]
assert tf.tensor_scatter_nd_max(base, [[1], [2]], [3.0, -1.0]).numpy().tolist() == [
    1.0,
    3.0,
    1.0,
    1.0,
]
assert tf.tensor_scatter_nd_min(base, [[1], [2]], [3.0, -1.0]).numpy().tolist() == [
    1.0,
    1.0,
    -1.0,
    1.0,
]
grid = tf.tensor_scatter_nd_update(tf.zeros([3, 2], tf.int32), [[0], [2]], [[1, 2], [3, 4]])
assert grid.numpy().tolist() == [[1, 2], [0, 0], [3, 4]]
# Out-of-range indices are errors in eager mode.
try:
    tf.gather_nd(t, [[5, 0]])
    raise AssertionError("expected an index error")
except tf.errors.InvalidArgumentError:
    pass
# boolean_mask: bool masks, masks over several axes, an axis, numeric masks (non-zero).
assert tf.boolean_mask(t, [True, False]).shape == (1, 3, 4)
m2 = tf.boolean_mask(tf.reshape(tf.range(6), [2, 3]), [[True, False, True], [False, True, False]])
assert m2.numpy().tolist() == [0, 2, 4]
assert tf.boolean_mask(t, [True, False, True], axis=1).shape == (2, 2, 4)
assert tf.boolean_mask(tf.constant([5, 6, 7]), [1, 0, 3]).numpy().tolist() == [5, 7]
assert tf.boolean_mask(tf.constant([5, 6, 7]), [0.0, 0.5, 0.0]).numpy().tolist() == [6]
try:
    tf.boolean_mask(t, [True, False, True])
    raise AssertionError("expected a shape error")
except ValueError:
    pass
# strided_slice and its masks; Python slicing is the same op.
assert tf.strided_slice(t, [0, 0, 0], [2, 3, 4], [1, 2, 3]).numpy().tolist() == [
    [[0, 3], [8, 11]],
    [[12, 15], [20, 23]],
]
shrunk = tf.strided_slice(
    t, [1, 0, 0], [2, 3, 4], [1, 1, 1], begin_mask=0b010, end_mask=0b100, shrink_axis_mask=0b001
)
assert shrunk.numpy().tolist() == t[1, :3, 0:].numpy().tolist()
assert tf.strided_slice(tf.range(6), [-1], [-7], [-2]).numpy().tolist() == [5, 3, 1]
assert t[-1, ::-1, 1:3].numpy().tolist() == [[21, 22], [17, 18], [13, 14]]
assert t[..., tf.newaxis, 0].shape == (2, 3, 1)
# Gradients: gather adds into repeated rows; masked-out and overwritten entries get zero.
x = tf.Variable([1.0, 2.0, 3.0, 4.0])
with tf.GradientTape(persistent=True) as tape:
    g_sum = tf.reduce_sum(tf.gather(x, [0, 0, 3]) * [1.0, 2.0, 3.0])
    m_sum = tf.reduce_sum(tf.boolean_mask(x, [1, 0, 1, 0]) * 2.0)
    upd = tf.Variable([10.0])
    scattered = tf.tensor_scatter_nd_update(x, [[1]], upd * 3.0)
    s_sum = tf.reduce_sum(scattered * [1.0, 2.0, 3.0, 4.0])
    strided = tf.reduce_sum(x[::2] * x[1::2])
assert tf.convert_to_tensor(tape.gradient(g_sum, x)).numpy().tolist() == [3.0, 0.0, 0.0, 3.0]
assert tape.gradient(m_sum, x).numpy().tolist() == [2.0, 0.0, 2.0, 0.0]
gx, gu = tape.gradient(s_sum, [x, upd])
assert gx.numpy().tolist() == [1.0, 0.0, 3.0, 4.0] and gu.numpy().tolist() == [6.0]
np.testing.assert_allclose(tape.gradient(strided, x).numpy(), [2.0, 1.0, 4.0, 3.0])
del tape
# Variables: scatter_nd_update and sliced assignment in place.
v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
v.scatter_nd_update([[0, 1], [1, 0]], [20.0, 30.0])
v[1, 1].assign(40.0)
assert v.numpy().tolist() == [[1.0, 20.0], [30.0, 40.0]]
print("tga_slicing_masks_scatter OK")
