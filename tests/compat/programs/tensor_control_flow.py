# Eager control flow: tf.cond, tf.while_loop, tf.map_fn, tf.scan, tf.foldl, gradients through them.
import numpy as np
import tensorflow as tf

x = tf.constant(4.0)
assert float(tf.cond(x > 3.0, lambda: x * 2.0, lambda: x - 1.0)) == 8.0
assert float(tf.cond(x < 3.0, lambda: x * 2.0, lambda: x - 1.0)) == 3.0
i, acc = tf.while_loop(lambda i, acc: i < 10, lambda i, acc: (i + 1, acc * 2), (0, 1))
assert int(i) == 10 and int(acc) == 1024
squares = tf.map_fn(lambda t: t * t, tf.constant([1.0, 2.0, 3.0]))
np.testing.assert_allclose(squares.numpy(), [1.0, 4.0, 9.0])
norms = tf.map_fn(lambda row: tf.norm(row), tf.constant([[3.0, 4.0], [6.0, 8.0]]))
np.testing.assert_allclose(norms.numpy(), [5.0, 10.0])
running = tf.scan(lambda a, t: a + t, tf.constant([1, 2, 3, 4]))
assert running.numpy().tolist() == [1, 3, 6, 10]
total = tf.foldl(lambda a, t: a + t, tf.constant([1, 2, 3]), initializer=tf.constant(10))
assert int(total) == 16
branch = tf.switch_case(
    tf.constant(1), branch_fns=[lambda: tf.constant(0), lambda: tf.constant(11)]
)
assert int(branch) == 11

w = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = tf.cond(w > 1.0, lambda: w**3, lambda: w)
assert float(tape.gradient(y, w)) == 12.0

v = tf.Variable([1.0, 2.0])
with tf.GradientTape() as tape:
    _, out = tf.while_loop(lambda k, s: k < 3, lambda k, s: (k + 1, s * v), (0, tf.ones(2)))
    loss = tf.reduce_sum(out)
np.testing.assert_allclose(tape.gradient(loss, v).numpy(), 3 * v.numpy() ** 2)
print("ok")
