# Forward-mode autodiff (the "Advanced automatic differentiation" guide): JVPs from
# tf.autodiff.ForwardAccumulator agree with the tape's Jacobian and finite differences,
# and forward-over-backward gives Hessian-vector products.
import numpy as np
import tensorflow as tf

x = tf.constant([0.3, -1.2, 2.0], tf.float64)
v = tf.constant([1.0, 0.5, -2.0], tf.float64)


def f(x):
    return tf.stack([tf.reduce_sum(tf.sin(x) * x), tf.reduce_prod(x) + tf.exp(x[0])])


with tf.autodiff.ForwardAccumulator(primals=x, tangents=v) as acc:
    y = f(x)
jvp = acc.jvp(y)

with tf.GradientTape() as tape:
    tape.watch(x)
    y2 = f(x)
jacobian = tape.jacobian(y2, x)
np.testing.assert_allclose(jvp.numpy(), jacobian.numpy() @ v.numpy(), rtol=1e-10)
eps = 1e-6
fd = (f(x + eps * v) - f(x - eps * v)) / (2 * eps)
np.testing.assert_allclose(jvp.numpy(), fd.numpy(), rtol=1e-6)

# variables as primals, and a tensor the primals do not reach
layer_w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
with tf.autodiff.ForwardAccumulator(layer_w, tf.ones_like(layer_w)) as acc:
    out = tf.matmul(tf.constant([[1.0, -1.0]]), layer_w)
    unrelated = tf.constant(5.0) * 2.0
np.testing.assert_allclose(acc.jvp(out).numpy(), [[0.0, 0.0]])
assert acc.jvp(unrelated) is None
zero = acc.jvp(unrelated, unconnected_gradients=tf.UnconnectedGradients.ZERO)
assert float(zero) == 0.0

# Hessian-vector product: forward-over-backward
with tf.autodiff.ForwardAccumulator(x, v) as acc:
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(x**3) + tf.reduce_prod(x)
    grad = tape.gradient(loss, x)
hvp = acc.jvp(grad)
with tf.GradientTape() as t2:
    t2.watch(x)
    with tf.GradientTape() as t1:
        t1.watch(x)
        loss = tf.reduce_sum(x**3) + tf.reduce_prod(x)
    g = t1.gradient(loss, x)
hessian = t2.jacobian(g, x)
np.testing.assert_allclose(hvp.numpy(), hessian.numpy() @ v.numpy(), rtol=1e-10)

# tf.recompute_grad keeps the gradients
w = tf.Variable(tf.random.stateless_normal([3, 3], seed=[1, 2], dtype=tf.float64))
block = tf.recompute_grad(lambda h: tf.tanh(tf.matmul(h, w)))
inp = tf.constant([[0.1, 0.2, 0.3]], tf.float64)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(inp)
    a = tf.reduce_sum(block(inp) ** 2)
    b = tf.reduce_sum(tf.tanh(tf.matmul(inp, w)) ** 2)
for ga, gb in zip(tape.gradient(a, [inp, w]), tape.gradient(b, [inp, w])):
    np.testing.assert_allclose(ga.numpy(), gb.numpy(), rtol=1e-10)
print("forward accumulator ok")
