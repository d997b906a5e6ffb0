"""Shape manipulation edges: strided_slice masks, split/unstack, pad modes, roll, tile."""

import numpy as np
import tensorflow as tf

x = tf.reshape(tf.range(24), [2, 3, 4])
xn = np.arange(24).reshape(2, 3, 4)
np.testing.assert_array_equal(x[:, ::-1, 1::2], xn[:, ::-1, 1::2])
np.testing.assert_array_equal(x[..., tf.newaxis, 0].shape, (2, 3, 1))
np.testing.assert_array_equal(x[-1, -2:], xn[-1, -2:])
np.testing.assert_array_equal(x[:, 5:], xn[:, 5:])  # slices past the end are empty
idx = tf.constant(1)
np.testing.assert_array_equal(x[idx, :, idx], xn[1, :, 1])
ss = tf.strided_slice(x, [0, 1, 0], [2, 3, 4], [1, 1, 2], shrink_axis_mask=1)
assert ss.shape == (2, 2) and ss.numpy().tolist() == xn[0, 1:3, ::2].tolist()
np.testing.assert_array_equal(tf.slice(x, [1, 0, 2], [1, -1, 2]), xn[1:2, :, 2:4])
try:
    _ = x[2]
except (tf.errors.InvalidArgumentError, IndexError, ValueError):
    pass
else:
    raise AssertionError("indexing past the end should raise")

# split with sizes (one may be -1), unstack, and errors on uneven splits.
a, b, c = tf.split(tf.range(10), [2, -1, 3])
assert a.shape == (2,) and b.shape == (5,) and c.shape == (3,)
halves = tf.split(tf.zeros([4, 6]), 2, axis=1)
assert [h.shape for h in halves] == [(4, 3), (4, 3)]
try:
    tf.split(tf.range(10), 3)
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("10 into 3 equal parts should raise")
rows = tf.unstack(x, axis=1)
assert len(rows) == 3 and rows[0].shape == (2, 4)
np.testing.assert_array_equal(tf.stack(rows, axis=1), xn)

# pad: CONSTANT with a value, REFLECT and SYMMETRIC, and their size limits.
v = tf.constant([[1, 2, 3], [4, 5, 6]])
np.testing.assert_array_equal(
    tf.pad(v, [[1, 0], [0, 2]], constant_values=-1),
    np.pad(v.numpy(), [[1, 0], [0, 2]], constant_values=-1),
)
np.testing.assert_array_equal(
    tf.pad(v, [[1, 1], [2, 2]], mode="REFLECT"), np.pad(v.numpy(), [[1, 1], [2, 2]], "reflect")
)
np.testing.assert_array_equal(
    tf.pad(v, [[2, 2], [3, 3]], mode="SYMMETRIC"),
    np.pad(v.numpy(), [[2, 2], [3, 3]], "symmetric"),
)
try:
    tf.pad(v, [[2, 2], [0, 0]], mode="REFLECT")  # reflect needs pad < dim
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("reflect padding as large as the axis should raise")

# roll, reverse, tile, repeat, broadcast_to, expand/squeeze edges.
np.testing.assert_array_equal(tf.roll(tf.range(5), 2, axis=0), [3, 4, 0, 1, 2])
np.testing.assert_array_equal(
    tf.roll(v, shift=[1, -1], axis=[0, 1]), np.roll(v.numpy(), [1, -1], [0, 1])
)
np.testing.assert_array_equal(tf.reverse(v, axis=[1]), v.numpy()[:, ::-1])
np.testing.assert_array_equal(tf.tile(v, [2, 1]), np.tile(v.numpy(), [2, 1]))
np.testing.assert_array_equal(tf.repeat(v, [1, 2], axis=0), [[1, 2, 3], [4, 5, 6], [4, 5, 6]])
np.testing.assert_array_equal(tf.repeat(tf.constant([1, 2]), 2), [1, 1, 2, 2])
assert tf.broadcast_to(tf.constant([1, 2]), [3, 2]).shape == (3, 2)
try:
    tf.broadcast_to(tf.constant([1, 2, 3]), [2, 2])
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("incompatible broadcast should raise")
assert tf.squeeze(tf.zeros([1, 3, 1])).shape == (3,)
assert tf.squeeze(tf.zeros([1, 3, 1]), axis=[-1]).shape == (1, 3)
try:
    tf.squeeze(tf.zeros([2, 3]), axis=0)
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("squeezing a non-1 axis should raise")
assert tf.expand_dims(v, -1).shape == (2, 3, 1)
assert tf.reshape(v, [-1]).shape == (6,) and tf.reshape(v, [3, -1]).shape == (3, 2)
try:
    tf.reshape(v, [4, -1])
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("6 elements into [4, -1] should raise")

# boolean_mask with axis, where with broadcasting, clip_by_norm.
bm = tf.boolean_mask(x, [True, False, True], axis=1)
assert bm.shape == (2, 2, 4)
np.testing.assert_array_equal(tf.where([True, False], [1, 2], [9]), [1, 9])
np.testing.assert_array_equal(tf.where(tf.constant([[0, 3], [4, 0]]) > 0), [[0, 1], [1, 0]])
assert tf.where(tf.constant([[0, 3], [4, 0]]) > 0).dtype == tf.int64
np.testing.assert_allclose(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0), [0.6, 0.8], rtol=1e-6)
clipped, gnorm = tf.clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0])], 2.5)
np.testing.assert_allclose(gnorm, 5.0)
np.testing.assert_allclose([clipped[0], clipped[1]], [[1.5], [2.0]], rtol=1e-6)
np.testing.assert_array_equal(tf.shape(tf.zeros([2, 0, 3])), [2, 0, 3])
assert tf.size(x).numpy() == 24 and tf.rank(x).numpy() == 3
print("ok")
