import numpy as np
import tensorflow as tf

x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
y = tf.matmul(x, x) + 1.0
assert y.shape == (2, 2)
np.testing.assert_allclose(y.numpy(), [[8.0, 11.0], [16.0, 23.0]])
assert tf.reduce_sum(x).numpy() == 10.0
