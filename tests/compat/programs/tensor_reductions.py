# Reductions over axes, keepdims, logsumexp, argmax/argmin, any/all, cumulative sums.
import numpy as np
import tensorflow as tf

x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
assert float(tf.reduce_sum(x)) == 21.0
np.testing.assert_array_equal(tf.reduce_sum(x, axis=0).numpy(), [5.0, 7.0, 9.0])
np.testing.assert_array_equal(tf.reduce_mean(x, axis=1, keepdims=True).numpy(), [[2.0], [5.0]])
np.testing.assert_array_equal(tf.reduce_max(x, axis=1).numpy(), [3.0, 6.0])
np.testing.assert_array_equal(tf.reduce_min(x, axis=[0, 1]).numpy(), 1.0)
np.testing.assert_allclose(tf.reduce_prod(x, axis=1).numpy(), [6.0, 120.0])
np.testing.assert_allclose(tf.math.reduce_std(x).numpy(), np.std(x.numpy()), rtol=1e-6)
np.testing.assert_allclose(tf.math.reduce_variance(x, axis=0).numpy(), [2.25] * 3)
np.testing.assert_allclose(
    tf.reduce_logsumexp(x, axis=1).numpy(), np.log(np.exp(x.numpy()).sum(axis=1)), rtol=1e-6
)
np.testing.assert_allclose(tf.math.reduce_euclidean_norm(x).numpy(), np.sqrt(91.0), rtol=1e-6)
assert tf.argmax(x, axis=1).numpy().tolist() == [2, 2]
assert tf.argmin(x).numpy().tolist() == [0, 0, 0] and tf.argmax(x).dtype == tf.int64
b = tf.constant([[True, False], [True, True]])
assert tf.reduce_any(b).numpy() and not tf.reduce_all(b).numpy()
assert tf.reduce_all(b, axis=1).numpy().tolist() == [False, True]
np.testing.assert_array_equal(tf.cumsum(x, axis=1).numpy(), [[1, 3, 6], [4, 9, 15]])
np.testing.assert_array_equal(
    tf.math.cumsum(x, axis=1, exclusive=True).numpy(), [[0, 1, 3], [0, 4, 9]]
)
np.testing.assert_array_equal(
    tf.math.cumprod(x, axis=1, reverse=True).numpy(), [[6, 6, 3], [120, 30, 6]]
)
assert int(tf.math.count_nonzero(tf.constant([0, 1, 0, 2]))) == 2
assert int(tf.reduce_sum(tf.constant([1, 2, 3]))) == 6
print("ok")
