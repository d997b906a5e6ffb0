# Higher-order gradients: nested tapes, a Hessian-vector product, a gradient penalty step.
import numpy as np
import tensorflow as tf

x = tf.Variable(1.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = x * x * x
    dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
assert float(dy_dx) == 3.0 and float(d2y_dx2) == 6.0

x = tf.constant(0.7)
with tf.GradientTape() as t3:
    t3.watch(x)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.sin(x)
        d1 = t1.gradient(y, x)
    d2 = t2.gradient(d1, x)
d3 = t3.gradient(d2, x)
np.testing.assert_allclose(
    [d1.numpy(), d2.numpy(), d3.numpy()], [np.cos(0.7), -np.sin(0.7), -np.cos(0.7)], rtol=1e-5
)

w = tf.Variable([[0.5, -1.0], [2.0, 0.3]])
v = tf.constant([[1.0, 0.0], [0.0, 1.0]])
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        loss = tf.reduce_sum(tf.tanh(w) ** 2)
    g = inner.gradient(loss, w)
    gv = tf.reduce_sum(g * v)
hvp = outer.gradient(gv, w)
t = np.tanh(w.numpy())
expected = 2 * (1 - t**2) ** 2 - 4 * t**2 * (1 - t**2)
np.testing.assert_allclose(hvp.numpy(), expected * v.numpy(), rtol=1e-5)

# A WGAN-GP style gradient penalty: the penalty's gradient reaches the critic's weights.
tf.random.set_seed(0)
critic_w = tf.Variable([[0.3], [-0.8]])
critic_b = tf.Variable([0.1])
real = tf.constant([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])
fake = tf.constant([[0.0, 1.0], [1.5, 0.5], [-1.0, 1.0]])
alpha = tf.constant([[0.2], [0.5], [0.8]])
interp = alpha * real + (1 - alpha) * fake
losses = []
for step in range(30):
    with tf.GradientTape() as tape:
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(interp)
            score = tf.nn.softplus(tf.matmul(interp, critic_w) + critic_b)
        grads = gp_tape.gradient(score, interp)
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-12)
        penalty = tf.reduce_mean((norm - 1.0) ** 2)
    gw, gb = tape.gradient(penalty, [critic_w, critic_b])
    assert gw is not None and gb is not None
    critic_w.assign_sub(0.2 * gw)
    critic_b.assign_sub(0.2 * gb)
    losses.append(float(penalty))
assert losses[-1] < 0.2 * losses[0], losses
print("ok")
