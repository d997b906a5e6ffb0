# Shape manipulation: reshape, transpose, squeeze, concat/stack/split/unstack, tile, pad,
# reverse, roll, repeat, meshgrid, sequence_mask.
import numpy as np
import tensorflow as tf

x = tf.reshape(tf.range(12), [3, 4])
assert tf.reshape(x, [-1]).shape == (12,) and tf.reshape(x, [2, -1]).shape == (2, 6)
assert tf.transpose(x).shape == (4, 3) and tf.transpose(tf.zeros([2, 3, 4]), [2, 0, 1]).shape == (
    4,
    2,
    3,
)
assert tf.squeeze(tf.zeros([1, 3, 1]), axis=[2]).shape == (1, 3)
assert tf.expand_dims(x, 0).shape == (1, 3, 4)
assert tf.concat([x, x], axis=0).shape == (6, 4) and tf.stack([x, x], axis=1).shape == (3, 2, 4)
a, b = tf.split(x, [1, 3], axis=1)
assert a.shape == (3, 1) and b.shape == (3, 3)
parts = tf.split(x, 2, axis=1)
assert len(parts) == 2 and parts[1].numpy()[0].tolist() == [2, 3]
rows = tf.unstack(x)
assert len(rows) == 3 and rows[2].numpy().tolist() == [8, 9, 10, 11]
assert tf.tile(tf.constant([[1, 2]]), [2, 2]).numpy().tolist() == [[1, 2, 1, 2], [1, 2, 1, 2]]
p = tf.constant([[1, 2, 3], [4, 5, 6]])
np.testing.assert_array_equal(
    tf.pad(p, [[1, 1], [2, 2]]).numpy(), np.pad(p.numpy(), [[1, 1], [2, 2]])
)
np.testing.assert_array_equal(
    tf.pad(p, [[1, 1], [2, 2]], "REFLECT").numpy(), np.pad(p.numpy(), [[1, 1], [2, 2]], "reflect")
)
np.testing.assert_array_equal(
    tf.pad(p, [[1, 1], [2, 2]], "SYMMETRIC").numpy(),
    np.pad(p.numpy(), [[1, 1], [2, 2]], "symmetric"),
)
assert tf.reverse(p, [1]).numpy().tolist() == [[3, 2, 1], [6, 5, 4]]
assert tf.roll(tf.range(5), shift=2, axis=0).numpy().tolist() == [3, 4, 0, 1, 2]
assert tf.repeat(tf.constant([1, 2]), repeats=[2, 3]).numpy().tolist() == [1, 1, 2, 2, 2]
X, Y = tf.meshgrid(tf.constant([1, 2, 3]), tf.constant([10, 20]))
assert X.shape == (2, 3) and Y.numpy()[:, 0].tolist() == [10, 20]
assert tf.sequence_mask([1, 3], 4).numpy().tolist() == [
    [True, False, False, False],
    [True, True, True, False],
]
assert tf.ensure_shape(x, [3, None]).shape == (3, 4)
print("ok")
