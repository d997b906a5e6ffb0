"""Advanced autodiff guide, forward mode: ForwardAccumulator JVPs of functions and layers,
Hessian-vector products by forward-over-backward and backward-over-forward, a full
Jacobian column by column, and unconnected JVPs."""

import numpy as np
import tensorflow as tf


def f(v):
    return tf.reduce_sum(tf.sin(v) * v**2)


x = tf.constant([0.3, -1.2, 2.0])
direction = tf.constant([1.0, 0.5, -2.0])
# A JVP equals the gradient dotted with the direction.
with tf.autodiff.ForwardAccumulator(primals=x, tangents=direction) as acc:
    y = f(x)
jvp = acc.jvp(y)
with tf.GradientTape() as tape:
    tape.watch(x)
    y2 = f(x)
grad = tape.gradient(y2, x)
np.testing.assert_allclose(float(jvp), float(tf.reduce_sum(grad * direction)), rtol=1e-5)

# Forward over backward: the Hessian-vector product without the Hessian.
xn = x.numpy()
hess_diag = (2 - xn**2) * np.sin(xn) + 4 * xn * np.cos(xn)  # f is separable: diagonal
with tf.autodiff.ForwardAccumulator(x, direction) as acc:
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    g = tape.gradient(y, x)
hvp_fwd = acc.jvp(g)
np.testing.assert_allclose(hvp_fwd.numpy(), hess_diag * direction.numpy(), rtol=1e-4, atol=1e-5)
# Backward over forward: the same product.
with tf.GradientTape() as tape:
    tape.watch(x)
    with tf.autodiff.ForwardAccumulator(x, direction) as acc:
        y = f(x)
    jv = acc.jvp(y)
hvp_bwd = tape.gradient(jv, x)
np.testing.assert_allclose(hvp_bwd.numpy(), hvp_fwd.numpy(), rtol=1e-4, atol=1e-5)

# Variables as primals: the JVP of a linear map's output along a change of its kernel.
kernel = tf.Variable(tf.random.stateless_normal([3, 2], seed=[3, 4]))
inputs = tf.constant([[1.0, 2.0, 3.0]])
delta = tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
with tf.autodiff.ForwardAccumulator(kernel, delta) as acc:
    out = tf.nn.relu(inputs @ kernel) + inputs @ kernel
active = (inputs @ kernel).numpy() > 0
expected = (inputs @ delta).numpy() * (1.0 + active)
np.testing.assert_allclose(acc.jvp(out).numpy(), expected, rtol=1e-6)


# A Jacobian by forward mode: one JVP per input direction (a column each).
def g_vec(v):
    return tf.stack([v[0] * v[1], tf.exp(v[1]), v[0] + v[2] ** 2])


columns = []
for i in range(3):
    with tf.autodiff.ForwardAccumulator(x, tf.one_hot(i, 3)) as acc:
        out = g_vec(x)
    columns.append(acc.jvp(out))
jac_fwd = tf.stack(columns, axis=1)
with tf.GradientTape() as tape:
    tape.watch(x)
    out = g_vec(x)
np.testing.assert_allclose(jac_fwd.numpy(), tape.jacobian(out, x).numpy(), rtol=1e-5)

# Unconnected outputs: None by default, zeros when asked; stop_gradient blocks tangents.
c = tf.constant(4.0)
with tf.autodiff.ForwardAccumulator(x, direction) as acc:
    unrelated = c * 2.0
    blocked = tf.stop_gradient(x) * 3.0
assert acc.jvp(unrelated) is None
assert float(acc.jvp(unrelated, unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0
assert acc.jvp(blocked) is None
# Several primals at once: tangents in the same structure.
a = tf.constant(2.0)
b = tf.constant(5.0)
with tf.autodiff.ForwardAccumulator([a, b], [tf.constant(1.0), tf.constant(10.0)]) as acc:
    prod = a * b
ja, jp = acc.jvp([a, prod])
assert float(ja) == 1.0 and float(jp) == 5.0 + 2.0 * 10.0
print("tga_forward_mode_hvp OK")
