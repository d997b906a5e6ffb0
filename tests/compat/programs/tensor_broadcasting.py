# Broadcasting: scalars, vectors against matrices, broadcast_to, explicit expand_dims.
import numpy as np
import tensorflow as tf

x = tf.constant([1, 2, 3])
y = tf.constant(2)
z = tf.constant([2, 2, 2])
np.testing.assert_array_equal(tf.multiply(x, 2).numpy(), (x * y).numpy())
np.testing.assert_array_equal((x * y).numpy(), (x * z).numpy())
col = tf.reshape(x, [3, 1])
row = tf.range(1, 5)
table = tf.multiply(col, row)
assert table.shape == (3, 4)
np.testing.assert_array_equal(table.numpy(), np.arange(1, 4)[:, None] * np.arange(1, 5))
big = tf.broadcast_to(tf.constant([1, 2, 3]), [3, 3])
np.testing.assert_array_equal(big.numpy(), [[1, 2, 3]] * 3)
m = tf.random.uniform([4, 3], seed=1)
centered = m - tf.reduce_mean(m, axis=0)
np.testing.assert_allclose(tf.reduce_mean(centered, axis=0).numpy(), np.zeros(3), atol=1e-6)
normed = m / tf.norm(m, axis=1, keepdims=True)
np.testing.assert_allclose(tf.norm(normed, axis=1).numpy(), np.ones(4), rtol=1e-5)
e = tf.expand_dims(tf.constant([1.0, 2.0]), axis=1) + tf.constant([[10.0, 20.0, 30.0]])
assert e.shape == (2, 3) and float(e[1, 2]) == 32.0
f16 = tf.constant([1.0, 2.0], dtype=tf.float16) * 0.5
assert f16.dtype == tf.float16
print("ok")
