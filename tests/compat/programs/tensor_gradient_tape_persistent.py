# Persistent tapes, watch_accessed_variables=False, watching nested lists, stop_recording.
import numpy as np
import tensorflow as tf

x = tf.constant([1.0, 3.0])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = x * x
    z = y * y
np.testing.assert_array_equal(tape.gradient(z, x).numpy(), 4 * x.numpy() ** 3)
np.testing.assert_array_equal(tape.gradient(y, x).numpy(), 2 * x.numpy())
del tape

with tf.GradientTape() as tape:
    tape.watch(x)
    y = x * x
tape.gradient(y, x)
try:
    tape.gradient(y, x)
    raise AssertionError("a non-persistent tape allowed a second gradient")
except RuntimeError:
    pass

a, b = tf.Variable(2.0), tf.Variable(5.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(a)
    y = a * b
ga, gb = tape.gradient(y, [a, b])
assert float(ga) == 5.0 and gb is None
assert [v.name for v in tape.watched_variables()] == [a.name]

p, q = tf.constant(1.0), tf.constant(2.0)
with tf.GradientTape() as tape:
    tape.watch([p, [q]])
    y = p * q
gp, gq = tape.gradient(y, [p, q])
assert float(gp) == 2.0 and float(gq) == 1.0

v = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = v * v
    with tape.stop_recording():
        extra = v * 100.0
    total = y + extra
assert float(tape.gradient(total, v)) == 6.0
print("ok")
