# Jacobians: tape.jacobian for vector and matrix sources, batch_jacobian, a Hessian.
import numpy as np
import tensorflow as tf

x = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as tape:
    y = x * x
j = tape.jacobian(y, x)
np.testing.assert_allclose(j.numpy(), np.diag(2 * x.numpy()))

w = tf.Variable(tf.random.normal([3, 2], seed=1))
b = tf.Variable(tf.zeros([2]))
inp = tf.constant([[1.0, 2.0, 3.0]])
with tf.GradientTape(persistent=True) as tape:
    out = tf.nn.relu(inp @ w + b)
jw = tape.jacobian(out, w)
jb = tape.jacobian(out, b)
assert jw.shape == (1, 2, 3, 2) and jb.shape == (1, 2, 2)
active = (inp @ w + b).numpy()[0] > 0
for k in range(2):
    expected = np.zeros((3, 2))
    expected[:, k] = inp.numpy()[0] * active[k]
    np.testing.assert_allclose(jw.numpy()[0, k], expected, rtol=1e-6)

batch = tf.random.normal([4, 3], seed=2)
with tf.GradientTape() as tape:
    tape.watch(batch)
    out = tf.sin(batch) * 2.0
bj = tape.batch_jacobian(out, batch)
assert bj.shape == (4, 3, 3)
for n in range(4):
    np.testing.assert_allclose(bj.numpy()[n], np.diag(2 * np.cos(batch.numpy()[n])), rtol=1e-5)

x = tf.constant([1.0, 2.0])
with tf.GradientTape() as outer:
    outer.watch(x)
    with tf.GradientTape() as inner:
        inner.watch(x)
        f = x[0] ** 2 * x[1] + tf.sin(x[1])
    g = inner.gradient(f, x)
hessian = outer.jacobian(g, x)
np.testing.assert_allclose(
    hessian.numpy(), [[2 * 2.0, 2 * 1.0], [2 * 1.0, -np.sin(2.0)]], rtol=1e-5
)
print("ok")
