"""TensorFlow guide "Introduction to gradients and automatic differentiation": sources as
lists and dicts, models, watching, intermediate results, control flow (also tf.cond and
tf.while_loop in tf.function), and the cases that give None."""

import numpy as np
import tensorflow as tf

# Introduction to gradients
x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = x**2
assert float(tape.gradient(y, x)) == 6.0
w = tf.Variable(tf.random.normal((3, 2)), name="w")
b = tf.Variable(tf.zeros(2, dtype=tf.float32), name="b")
xx = [[1.0, 2.0, 3.0]]
with tf.GradientTape(persistent=True) as tape:
    y = xx @ w + b
    loss = tf.reduce_mean(y**2)
[dl_dw, dl_db] = tape.gradient(loss, [w, b])
assert dl_dw.shape == w.shape
my_vars = {"w": w, "b": b}
grad = tape.gradient(loss, my_vars)
assert set(grad) == {"w", "b"}
assert np.allclose(grad["b"].numpy(), dl_db.numpy())
del tape
# gradients wrt a model
layer = tf.keras.layers.Dense(2, activation="relu")
x = tf.constant([[1.0, 2.0, 3.0]])
with tf.GradientTape() as tape:
    y = layer(x)
    loss = tf.reduce_mean(y**2)
grad = tape.gradient(loss, layer.trainable_variables)
assert [g.shape for g in grad] == [(3, 2), (2,)]
# watched
x0 = tf.Variable(3.0, name="x0")
x1 = tf.Variable(3.0, name="x1", trainable=False)
x2 = tf.Variable(2.0, name="x2") + 1.0
x3 = tf.constant(3.0, name="x3")
with tf.GradientTape() as tape:
    y = (x0**2) + (x1**2) + (x2**2)
grad = tape.gradient(y, [x0, x1, x2, x3])
assert float(grad[0]) == 6.0 and grad[1] is None and grad[2] is None and grad[3] is None
assert [v.name for v in tape.watched_variables()] == ["x0:0"]
x = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x**2
assert float(tape.gradient(y, x)) == 6.0
x0 = tf.Variable(0.0)
x1 = tf.Variable(10.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(x1)
    y0 = tf.math.sin(x0)
    y1 = tf.nn.softplus(x1)
    y = y0 + y1
    ys = tf.reduce_sum(y)
grad = tape.gradient(ys, {"x0": x0, "x1": x1})
assert grad["x0"] is None
assert np.isclose(float(grad["x1"]), 0.9999546)
# intermediate results
x = tf.constant(3.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x * x
    z = y * y
assert float(tape.gradient(z, y)) == 18.0
x = tf.constant([1, 3.0])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = x * x
    z = y * y
assert tape.gradient(z, x).numpy().tolist() == [4.0, 108.0]
assert tape.gradient(y, x).numpy().tolist() == [2.0, 6.0]
del tape
# non-scalar targets
x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    y0 = x**2
    y1 = 1 / x
assert float(tape.gradient(y0, x)) == 4.0 and float(tape.gradient(y1, x)) == -0.25
with tf.GradientTape() as tape:
    y0 = x**2
    y1 = 1 / x
assert float(tape.gradient({"y0": y0, "y1": y1}, x)) == 3.75
with tf.GradientTape() as tape:
    y = x * [3.0, 4.0]
assert float(tape.gradient(y, x)) == 7.0
x = tf.linspace(-10.0, 10.0, 200 + 1)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.nn.sigmoid(x)
dy_dx = tape.gradient(y, x)
assert np.allclose(dy_dx.numpy(), (tf.nn.sigmoid(x) * (1 - tf.nn.sigmoid(x))).numpy(), atol=1e-6)
# control flow
x = tf.constant(1.0)
v0 = tf.Variable(2.0)
v1 = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    if x > 0.0:
        result = v0
    else:
        result = v1**2
dv0, dv1 = tape.gradient(result, [v0, v1])
assert float(dv0) == 1.0 and dv1 is None
assert tape.gradient(result, x) is None
del tape


# tf.cond / while_loop gradients inside tf.function
@tf.function
def cond_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cond(x > 0, lambda: x * x, lambda: -3.0 * x)
    return tape.gradient(y, x)


assert float(cond_grad(tf.constant(2.0))) == 4.0
assert float(cond_grad(tf.constant(-2.0))) == -3.0


@tf.function
def loop_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        i = tf.constant(0)
        y = x
        i, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [i, y])
    return tape.gradient(y, x)


assert float(loop_grad(tf.constant(2.0))) == 32.0
# getting None
x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as tape:
    z = y * y
assert tape.gradient(z, x) is None
x = tf.Variable(2.0)
grads = []
for epoch in range(2):
    with tf.GradientTape() as tape:
        y = x + 1
    grads.append(tape.gradient(y, x))
    x = x + 1  # a tensor now: the next tape does not watch it
assert float(grads[0]) == 1.0 and grads[1] is None
x = tf.constant(10)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
assert g.gradient(y, x) is None
x0 = tf.Variable(3.0)
x1 = tf.Variable(0.0)
with tf.GradientTape() as tape:
    x1.assign_add(x0)
    y = x1**2
assert tape.gradient(y, x0) is None
x = tf.Variable([2.0, 2.0])
y = tf.Variable(3.0)
with tf.GradientTape() as tape:
    z = y**2
g = tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
assert g.numpy().tolist() == [0.0, 0.0]
print("OK")
