"""Advanced autodiff guide: jacobians and batch jacobians of layers, Hessians from nested
tapes, and what jacobians give for unconnected, integer and empty targets."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)

# The jacobian of a dense layer's output with respect to its kernel.
x = tf.constant([[1.0, 2.0, 3.0]])
layer = tf.keras.layers.Dense(2, activation=tf.nn.tanh)
with tf.GradientTape(persistent=True) as tape:
    y = layer(x)
j_kernel = tape.jacobian(y, layer.kernel)
assert j_kernel.shape == (1, 2, 3, 2)
pre = x @ layer.kernel + layer.bias
dtanh = 1.0 - np.tanh(pre.numpy()) ** 2
for out in range(2):
    # d y[0, out] / d kernel[i, k] = (1 - tanh^2) * x[i] when k == out, else 0
    expected = np.zeros((3, 2), np.float32)
    expected[:, out] = dtanh[0, out] * x.numpy()[0]
    np.testing.assert_allclose(j_kernel.numpy()[0, out], expected, rtol=1e-5, atol=1e-6)
# The sum of the jacobian over the target is the gradient.
g = tape.gradient(y, layer.kernel)
np.testing.assert_allclose(tf.reduce_sum(j_kernel, axis=[0, 1]).numpy(), g.numpy(), rtol=1e-5)
del tape

# Unconnected sources: None by default, zeros of target.shape + source.shape on request.
a = tf.Variable([1.0, 2.0])
b = tf.Variable(3.0)
with tf.GradientTape(persistent=True) as tape:
    z = b * tf.constant([1.0, 2.0, 3.0])
    as_int = tf.cast(a * 2.0, tf.int32)
    empty = a[:0] * 5.0
assert tape.jacobian(z, a) is None
ja, jb = tape.jacobian(z, [a, b])
assert ja is None and jb.numpy().tolist() == [1.0, 2.0, 3.0]
zeros = tape.jacobian(z, a, unconnected_gradients=tf.UnconnectedGradients.ZERO)
assert zeros.shape == (3, 2) and float(tf.reduce_sum(tf.abs(zeros))) == 0.0
# An integer target has no gradient; an empty target an empty jacobian.
assert tape.jacobian(as_int, a) is None
assert tape.jacobian(empty, a).shape == (0, 2)
jd = tape.jacobian(z, {"bias": b})
assert list(jd) == ["bias"] and jd["bias"].shape == (3,)
del tape

# batch_jacobian: one jacobian per example; an unconnected one is zeros.
xb = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
other = tf.constant([[1.0], [2.0], [3.0]])
with tf.GradientTape(persistent=True) as tape:
    tape.watch([xb, other])
    yb = tf.stack([xb[:, 0] * xb[:, 1], xb[:, 0] ** 2, tf.sin(xb[:, 1])], axis=1)
    unrelated = other * 4.0
jb = tape.batch_jacobian(yb, xb)
assert jb.shape == (3, 3, 2)
for i, (u, v) in enumerate(xb.numpy()):
    np.testing.assert_allclose(
        jb.numpy()[i], [[v, u], [2 * u, 0.0], [0.0, np.cos(v)]], rtol=1e-5, atol=1e-6
    )
ju = tape.batch_jacobian(unrelated, xb)
assert ju.shape == (3, 1, 2) and not np.any(ju.numpy())
del tape

# A Hessian from nested tapes, checked against the analytic one of f = x0^2 x1 + x1^3.
w = tf.Variable([1.5, -0.5])
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        f = w[0] ** 2 * w[1] + w[1] ** 3
    grad = inner.gradient(f, w)
hessian = outer.jacobian(grad, w)
x0, x1 = w.numpy()
np.testing.assert_allclose(
    hessian.numpy(), [[2 * x1, 2 * x0], [2 * x0, 6 * x1]], rtol=1e-5, atol=1e-6
)
# A Newton step on a quadratic lands on its minimum in one step.
target = tf.constant([2.0, -1.0])
p = tf.Variable([0.0, 0.0])
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        loss = tf.reduce_sum(tf.constant([3.0, 0.5]) * (p - target) ** 2)
    gp = inner.gradient(loss, p)
hp = outer.jacobian(gp, p)
p.assign_sub(tf.linalg.solve(hp, gp[:, None])[:, 0])
np.testing.assert_allclose(p.numpy(), target.numpy(), rtol=1e-5)
print("tga_jacobian_edges OK")
