# dtypes: DType attributes, casting, conversion, saturate_cast, int/float rules.
import numpy as np
import tensorflow as tf

assert tf.float32.is_floating and tf.int32.is_integer and tf.bool.is_bool
assert tf.float16.name == "float16" and tf.float64.size == 8
assert tf.int8.min == -128 and tf.uint8.max == 255
assert tf.as_dtype("float32") == tf.float32 and tf.as_dtype(np.int64) == tf.int64
assert tf.float32.as_numpy_dtype is np.float32
x = tf.constant([1.8, -2.2, 3.5])
assert tf.cast(x, tf.int32).numpy().tolist() == [1, -2, 3]
assert tf.cast(x, tf.float16).dtype == tf.float16
assert tf.cast(tf.constant([0, 1, 2]), tf.bool).numpy().tolist() == [False, True, True]
assert tf.dtypes.saturate_cast(tf.constant([-5.0, 300.0]), tf.uint8).numpy().tolist() == [0, 255]
ints = tf.constant([1, 2, 3])
assert ints.dtype == tf.int32 and tf.constant([1.0]).dtype == tf.float32
assert tf.constant(np.array([1.0])).dtype == tf.float64
assert (ints * 2).dtype == tf.int32 and (tf.cast(ints, tf.float32) / 2).dtype == tf.float32
assert tf.convert_to_tensor([1, 2]).dtype == tf.int32
assert tf.convert_to_tensor(np.float32(2.5)).dtype == tf.float32
t = tf.constant([1.5, 2.5], dtype=tf.float64)
assert tf.convert_to_tensor(t) is t
assert tf.range(3, dtype=tf.float32).dtype == tf.float32
assert tf.zeros([2], dtype=tf.int64).dtype == tf.int64
assert tf.round(tf.constant([0.5, 1.5, 2.5])).numpy().tolist() == [0.0, 2.0, 2.0]
print("ok")
