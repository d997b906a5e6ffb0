# GradientTape basics: scalars, variables, constants with watch, control flow, dicts of sources.
import numpy as np
import tensorflow as tf

x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = x**2
dy_dx = tape.gradient(y, x)
assert float(dy_dx) == 6.0

w = tf.Variable(tf.random.normal((3, 2), seed=1), name="w")
b = tf.Variable(tf.zeros(2, dtype=tf.float32), name="b")
x = [[1.0, 2.0, 3.0]]
with tf.GradientTape(persistent=True) as tape:
    y = x @ w + b
    loss = tf.reduce_mean(y**2)
dl_dw, dl_db = tape.gradient(loss, [w, b])
assert dl_dw.shape == w.shape and dl_db.shape == b.shape
grads = tape.gradient(loss, {"w": w, "b": b})
np.testing.assert_allclose(grads["w"].numpy(), dl_dw.numpy())
np.testing.assert_allclose(dl_db.numpy(), (x @ w + b).numpy()[0], rtol=1e-6)

c = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(c)
    y = c * c
assert float(tape.gradient(y, c)) == 6.0
with tf.GradientTape() as tape:
    y = c * c
assert tape.gradient(y, c) is None  # constants are not watched by default

frozen = tf.Variable(2.0, trainable=False)
v = tf.Variable(1.0)
with tf.GradientTape() as tape:
    z = frozen * v + tf.stop_gradient(v * 10.0)
g_frozen, g_v = tape.gradient(z, [frozen, v])
assert g_frozen is None and float(g_v) == 2.0

x = tf.constant(1.0)
v0, v1 = tf.Variable(2.0), tf.Variable(3.0)
for choice, expected in ((True, (1.0, None)), (False, (None, 1.0))):
    with tf.GradientTape() as tape:
        tape.watch(x)
        result = v0 + x if choice else v1 + x
    grads = tape.gradient(result, [v0, v1])
    assert [None if g is None else float(g) for g in grads] == list(expected)

x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = tf.constant(5.0) * 1.0
g = tape.gradient(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
assert float(g) == 0.0

x = tf.linspace(-5.0, 5.0, 11)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.nn.sigmoid(x)
dy = tape.gradient(y, x)
np.testing.assert_allclose(dy.numpy(), y.numpy() * (1 - y.numpy()), rtol=1e-5)
print("ok")
