# tf.Variable: assignment methods, slices, scatter updates, reads that stay snapshots.
import numpy as np
import tensorflow as tf

v = tf.Variable([1.0, 2.0, 3.0, 4.0])
assert v.assign([4.0, 3.0, 2.0, 1.0]) is not None
v.assign_add([1.0, 1.0, 1.0, 1.0])
v.assign_sub([0.5, 0.5, 0.5, 0.5])
np.testing.assert_array_equal(v.numpy(), [4.5, 3.5, 2.5, 1.5])
v[0:2].assign([0.0, 0.0])
np.testing.assert_array_equal(v.numpy(), [0.0, 0.0, 2.5, 1.5])
v.scatter_nd_update([[3]], [9.0])
np.testing.assert_array_equal(v.numpy(), [0.0, 0.0, 2.5, 9.0])
snapshot = v.read_value()
reshaped = tf.reshape(v, [2, 2])
identity = tf.identity(v)
v.assign([7.0, 7.0, 7.0, 7.0])
for t in (snapshot, reshaped, identity):
    np.testing.assert_array_equal(tf.reshape(t, [-1]).numpy(), [0.0, 0.0, 2.5, 9.0])
assert v.shape == (4,) and v.dtype == tf.float32 and v.trainable
w = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = tf.convert_to_tensor(w) * w.read_value() + w.value() + tf.identity(w)
assert float(tape.gradient(y, w)) == 6.0
t = tf.constant([[1, 2], [3, 4]])
np.testing.assert_array_equal(
    tf.tensor_scatter_nd_add(t, [[0, 0]], [10]).numpy(), [[11, 2], [3, 4]]
)
np.testing.assert_array_equal(
    tf.tensor_scatter_nd_sub(t, [[1]], [[1, 1]]).numpy(), [[1, 2], [2, 3]]
)
step = tf.Variable(0, trainable=False)
for _ in range(3):
    step.assign_add(1)
assert int(step.numpy()) == 3 and step.dtype == tf.int32 and not step.trainable
print("ok")
