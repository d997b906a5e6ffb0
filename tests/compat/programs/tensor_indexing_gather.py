# Indexing and slicing (negative steps, Ellipsis, newaxis), gather, gather_nd, boolean_mask,
# scatter, where.
import numpy as np
import tensorflow as tf

t = tf.reshape(tf.range(24), [2, 3, 4])
assert t[1, 2, 3].numpy() == 23
np.testing.assert_array_equal(t[0, :, ::-1].numpy(), np.arange(12).reshape(3, 4)[:, ::-1])
np.testing.assert_array_equal(t[..., 1].numpy(), np.arange(24).reshape(2, 3, 4)[..., 1])
assert t[:, tf.newaxis, 0].shape == (2, 1, 4)
np.testing.assert_array_equal(t[-1, -1].numpy(), [20, 21, 22, 23])
np.testing.assert_array_equal(
    tf.strided_slice(t, [0, 0, 0], [2, 3, 4], [1, 2, 2]).numpy(),
    np.arange(24).reshape(2, 3, 4)[:, ::2, ::2],
)
np.testing.assert_array_equal(
    tf.slice(t, [1, 0, 2], [1, 2, -1]).numpy(), np.arange(24).reshape(2, 3, 4)[1:, :2, 2:]
)
params = tf.constant([[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]])
np.testing.assert_array_equal(tf.gather(params, [1, 0]).numpy(), params.numpy()[[1, 0]])
np.testing.assert_array_equal(tf.gather(params, [2, 2], axis=1).numpy(), params.numpy()[:, [2, 2]])
np.testing.assert_array_equal(
    tf.gather(params, [[2], [0]], axis=1, batch_dims=1).numpy(), [[2.0], [10.0]]
)
np.testing.assert_array_equal(tf.gather_nd(params, [[1, 2], [0, 0]]).numpy(), [12.0, 0.0])
np.testing.assert_array_equal(tf.boolean_mask(params, [True, False]).numpy(), [[0.0, 1.0, 2.0]])
mask = params > 5
np.testing.assert_array_equal(tf.boolean_mask(params, mask).numpy(), [10.0, 11.0, 12.0])
np.testing.assert_array_equal(tf.where(mask).numpy(), [[1, 0], [1, 1], [1, 2]])
np.testing.assert_array_equal(tf.where(mask, params, -params).numpy()[0], [-0.0, -1.0, -2.0])
updated = tf.tensor_scatter_nd_update(params, [[0, 1]], [99.0])
assert float(updated[0, 1]) == 99.0 and float(params[0, 1]) == 1.0
np.testing.assert_array_equal(tf.scatter_nd([[0], [2]], [5, 6], [4]).numpy(), [5, 0, 6, 0])
np.testing.assert_array_equal(tf.one_hot([0, 2], depth=3).numpy(), [[1, 0, 0], [0, 0, 1]])
np.testing.assert_array_equal(
    tf.sort(tf.constant([3, 1, 2]), direction="DESCENDING").numpy(), [3, 2, 1]
)
np.testing.assert_array_equal(tf.argsort(tf.constant([3, 1, 2])).numpy(), [1, 2, 0])
values, indices = tf.math.top_k(tf.constant([1.0, 5.0, 3.0]), k=2)
assert values.numpy().tolist() == [5.0, 3.0] and indices.numpy().tolist() == [1, 2]
y, idx = tf.unique(tf.constant([1, 1, 2, 4, 4, 4, 7, 8, 8]))
assert y.numpy().tolist() == [1, 2, 4, 7, 8] and idx.numpy().tolist() == [0, 0, 1, 2, 2, 2, 3, 4, 4]
print("ok")
