"""TensorFlow guide "Introduction to Variables": creation, assignment return values, copies,
names, trainable=False, declared shapes (TensorShape(None), [None]), devices."""

import tensorflow as tf

# Variables
my_tensor = tf.constant([[1.0, 2.0], [3.0, 4.0]])
my_variable = tf.Variable(my_tensor)
bool_variable = tf.Variable([False, False, False, True])
complex_variable = tf.Variable([5 + 4j, 6 + 1j])
assert my_variable.shape == (2, 2) and my_variable.dtype == tf.float32
assert bool_variable.dtype == tf.bool and complex_variable.dtype == tf.complex128
assert tf.convert_to_tensor(my_variable).numpy().tolist() == [[1, 2], [3, 4]]
assert int(tf.math.argmax(my_variable)[0]) == 1
assert tf.reshape(my_variable, [1, 4]).numpy().tolist() == [[1, 2, 3, 4]]
a = tf.Variable([2.0, 3.0])
a.assign([1, 2])
try:
    a.assign([1.0, 2.0, 3.0])
    raise SystemExit("expected error")
except ValueError:
    pass
b = tf.Variable(a)
a.assign([5, 6])
assert a.numpy().tolist() == [5, 6] and b.numpy().tolist() == [1, 2]
r = a.assign_add([2, 3])
assert r.numpy().tolist() == [7, 9] and a.numpy().tolist() == [7, 9]
r = a.assign_sub([7, 9])
assert r.numpy().tolist() == [0, 0]
a_named = tf.Variable(my_tensor, name="Mark")
b_named = tf.Variable(my_tensor + 1, name="Mark")
assert a_named.name == b_named.name == "Mark:0"
assert (a_named == b_named).numpy().tolist() == [[False, False], [False, False]]
step_counter = tf.Variable(1, trainable=False)
assert not step_counter.trainable
with tf.GradientTape() as tape:
    y = tf.cast(step_counter, tf.float32) * 2.0
assert tape.gradient(y, step_counter) is None
# shape None, validate_shape False
v = tf.Variable(tf.zeros([2]), shape=tf.TensorShape(None))
assert v.shape.rank is None
v.assign(tf.ones([3, 3]))
assert v.numpy().shape == (3, 3)
w = tf.Variable([1.0, 2.0], shape=tf.TensorShape([None]))
assert w.shape.as_list() == [None]
w.assign([1.0, 2.0, 3.0])
assert w.numpy().tolist() == [1, 2, 3]
try:
    w.assign([[1.0]])
    raise SystemExit("expected error")
except ValueError:
    pass
vv = tf.Variable(tf.zeros([2, 2]), validate_shape=False)
assert vv.shape == (2, 2)
try:
    tf.Variable([1.0, 2.0], shape=[3])
    raise SystemExit("expected error")
except ValueError:
    pass
# dtype
iv = tf.Variable([1, 2], dtype=tf.float64)
assert iv.dtype == tf.float64
with tf.device("CPU:0"):
    c = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
assert c.device.endswith("CPU:0")
print("OK")
