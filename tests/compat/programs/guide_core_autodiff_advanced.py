"""TensorFlow guide "Advanced automatic differentiation": stop_recording, reset, stop_gradient,
custom gradients, several tapes, higher orders, jacobians, Hessians, batch jacobians."""

import numpy as np
import tensorflow as tf

# stop_recording
x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as t:
    x_sq = x * x
    with t.stop_recording():
        y_sq = y * y
    z = x_sq + y_sq
grad = t.gradient(z, {"x": x, "y": y})
assert float(grad["x"]) == 4.0 and grad["y"] is None
# reset
reset = True
with tf.GradientTape() as t:
    y_sq = y * y
    if reset:
        t.reset()
    z = x * x + y_sq
grad = t.gradient(z, {"x": x, "y": y})
assert float(grad["x"]) == 4.0 and grad["y"] is None
# stop_gradient
with tf.GradientTape() as t:
    y_sq = y**2
    z = x**2 + tf.stop_gradient(y_sq)
grad = t.gradient(z, {"x": x, "y": y})
assert float(grad["x"]) == 4.0 and grad["y"] is None


# custom gradient: clip
@tf.custom_gradient
def clip_gradients(y):
    def backward(dy):
        return tf.clip_by_norm(dy, 0.5)

    return y, backward


v = tf.Variable(2.0)
with tf.GradientTape() as t:
    output = clip_gradients(v * v)
assert float(t.gradient(output, v)) == 2.0


# custom gradient with upstream and variables
@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


x = tf.constant(100.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = log1pexp(x)
assert float(tape.gradient(y, x)) == 1.0
wv = tf.Variable(2.0)


@tf.custom_gradient
def scale_by_w(x):
    out = x * wv

    def grad(upstream, variables=None):
        return upstream * wv, [upstream * x * 10.0]

    return out, grad


xc = tf.constant(3.0)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(xc)
    out = scale_by_w(xc)
assert float(tape.gradient(out, xc)) == 2.0
assert float(tape.gradient(out, wv)) == 30.0
del tape
# multiple tapes
x0 = tf.constant(0.0)
x1 = tf.constant(0.0)
with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
    tape0.watch(x0)
    tape1.watch(x1)
    y0 = tf.math.sin(x0)
    y1 = tf.nn.sigmoid(x1)
    y = y0 + y1
    ys = tf.reduce_sum(y)
assert float(tape0.gradient(ys, x0)) == 1.0
assert float(tape1.gradient(ys, x1)) == 0.25
# higher order
x = tf.Variable(1.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = x * x * x
    dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
assert float(dy_dx) == 3.0 and float(d2y_dx2) == 6.0
# input gradient regularization
x = tf.random.normal([7, 5])
layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        t1.watch(x)
        y = layer(x)
        out = tf.reduce_sum(layer(x) ** 2)
    g1 = t1.gradient(out, x)
    g1_mag = tf.norm(g1)
dg1_mag = t2.gradient(g1_mag, layer.trainable_variables)
assert [v.shape for v in dg1_mag] == [(5, 10), (10,)]
# jacobians
x = tf.linspace(-10.0, 10.0, 200 + 1)
delta = tf.Variable(0.0)
with tf.GradientTape() as tape:
    y = tf.nn.sigmoid(x + delta)
dy_dx = tape.jacobian(y, delta)
assert dy_dx.shape == (201,)
assert np.allclose(dy_dx.numpy(), (tf.nn.sigmoid(x) * (1 - tf.nn.sigmoid(x))).numpy(), atol=1e-6)
x = tf.random.normal([7, 5])
layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
with tf.GradientTape(persistent=True) as tape:
    y = layer(x)
j = tape.jacobian(y, layer.kernel)
assert j.shape == (7, 10, 5, 10)
g = tape.gradient(y, layer.kernel)
assert np.allclose(g.numpy(), tf.reduce_sum(j, axis=[0, 1]).numpy(), atol=1e-5)
j2 = tape.jacobian(y, layer.kernel, experimental_use_pfor=False)
assert np.allclose(j.numpy(), j2.numpy(), atol=1e-6)
del tape
# hessian
x = tf.random.normal([7, 5])
layer1 = tf.keras.layers.Dense(8, activation=tf.nn.relu)
layer2 = tf.keras.layers.Dense(6, activation=tf.nn.relu)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        x = layer1(x)
        x = layer2(x)
        loss = tf.reduce_mean(x**2)
    g = t1.gradient(loss, layer1.kernel)
h = t2.jacobian(g, layer1.kernel)
assert h.shape == (5, 8, 5, 8)
n_params = tf.reduce_prod(layer1.kernel.shape)
h_mat = tf.reshape(h, [n_params, n_params])
assert np.allclose(h_mat.numpy(), h_mat.numpy().T, atol=1e-5)
# batch jacobian
x = tf.random.normal([7, 5])
layer1 = tf.keras.layers.Dense(8, activation=tf.nn.elu)
layer2 = tf.keras.layers.Dense(6, activation=tf.nn.elu)
with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
    tape.watch(x)
    y = layer1(x)
    y = layer2(y)
j = tape.jacobian(y, x)
assert j.shape == (7, 6, 7, 5)
j_sum = tf.reduce_sum(j, axis=2)
jb = tape.batch_jacobian(y, x)
assert jb.shape == (7, 6, 5)
assert np.allclose(j_sum.numpy(), jb.numpy(), atol=1e-5)
del tape
# second derivative of a vector function elementwise (nested tapes)
x = tf.constant([1.0, 2.0, 3.0])
with tf.GradientTape() as t2:
    t2.watch(x)
    with tf.GradientTape() as t1:
        t1.watch(x)
        y = x**3
    dy = t1.gradient(y, x)
d2y = t2.gradient(dy, x)
assert dy.numpy().tolist() == [3.0, 12.0, 27.0] and d2y.numpy().tolist() == [6.0, 12.0, 18.0]
# integer and stateful
x = tf.constant(10)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
assert g.gradient(y, x) is None
xi = tf.Variable(3)
with tf.GradientTape() as g:
    yi = xi * 2
assert g.gradient(yi, xi) is None
# UnconnectedGradients
x = tf.Variable([2.0, 2.0])
y = tf.Variable(3.0)
with tf.GradientTape() as tape:
    z = y**2
assert tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO).numpy().tolist() == [
    0,
    0,
]
with tf.GradientTape() as tape:
    z = y**2
assert tape.gradient(z, x, unconnected_gradients="none") is None
# output_gradients
x = tf.Variable([1.0, 2.0])
with tf.GradientTape() as tape:
    y = x * x
assert tape.gradient(y, x, output_gradients=tf.constant([10.0, 1.0])).numpy().tolist() == [
    20.0,
    4.0,
]
# non-persistent tape used twice
with tf.GradientTape() as tape:
    y = x * x
tape.gradient(y, x)
try:
    tape.gradient(y, x)
    raise SystemExit("expected RuntimeError")
except RuntimeError:
    pass
# gradient inside the tape context with persistent tape
with tf.GradientTape(persistent=True) as tape:
    y = tf.reduce_sum(x * x)
    g_in = tape.gradient(y, x)
assert g_in.numpy().tolist() == [2.0, 4.0]

# Without pfor, a jacobian needs a persistent tape (one backward pass per element).
pairs = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as once:
    squares = pairs * pairs
try:
    once.batch_jacobian(squares, pairs, experimental_use_pfor=False)
    raise AssertionError("a non-persistent tape must refuse experimental_use_pfor=False")
except RuntimeError:
    pass
with tf.GradientTape(persistent=True) as kept:
    squares = pairs * pairs
bj = kept.batch_jacobian(squares, pairs, experimental_use_pfor=False)
assert bj.numpy().tolist() == [[[2.0, 0.0], [0.0, 4.0]], [[6.0, 0.0], [0.0, 8.0]]]
print("OK")
