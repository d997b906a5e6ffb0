# Tensors: creation, shape, dtype, conversion to NumPy, arithmetic, immutability.
import numpy as np
import tensorflow as tf

rank_0 = tf.constant(4)
rank_1 = tf.constant([2.0, 3.0, 4.0])
rank_2 = tf.constant([[1, 2], [3, 4], [5, 6]], dtype=tf.float16)
assert rank_0.dtype == tf.int32 and rank_1.dtype == tf.float32 and rank_2.dtype == tf.float16
assert rank_2.shape == (3, 2) and rank_2.shape.as_list() == [3, 2] and rank_2.ndim == 2
assert int(tf.size(rank_2)) == 6 and int(tf.rank(rank_2)) == 2
np.testing.assert_array_equal(tf.shape(rank_2).numpy(), [3, 2])
a = tf.constant([[1, 2], [3, 4]])
b = tf.ones([2, 2], dtype=tf.int32)
np.testing.assert_array_equal(tf.add(a, b).numpy(), [[2, 3], [4, 5]])
np.testing.assert_array_equal((a * b).numpy(), a.numpy())
np.testing.assert_array_equal((a @ b).numpy(), [[3, 3], [7, 7]])
c = tf.constant([[4.0, 5.0], [10.0, 1.0]])
assert float(tf.reduce_max(c)) == 10.0 and int(tf.math.argmax(c)[0]) == 1
np.testing.assert_allclose(tf.nn.softmax(c).numpy().sum(axis=1), [1.0, 1.0], rtol=1e-6)
x = tf.constant([1.0, 2.0])
arr = np.array(x)
assert isinstance(arr, np.ndarray) and arr.tolist() == [1.0, 2.0]
assert tf.is_tensor(x) and not tf.is_tensor(arr)
z = tf.zeros([3, 4]) + tf.ones([4])
assert z.shape == (3, 4) and float(tf.reduce_sum(z)) == 12.0
s = tf.fill([2, 3], 9)
assert s.dtype == tf.int32 and s.numpy().sum() == 54
print("ok")
