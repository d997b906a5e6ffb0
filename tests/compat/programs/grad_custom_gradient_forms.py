# The forms of tf.custom_gradient from its API docs, eagerly and inside tf.function:
# several inputs, a function reading a variable (grad_fn's `variables`), several outputs
# (one upstream gradient each), nested input structures, and a tf.function inside the
# decorated function guarded by tf.stop_gradient.
import numpy as np
import tensorflow as tf


@tf.custom_gradient
def bar(x, y):
    def grad(upstream):
        return upstream * y, upstream * x

    return x * y, grad


weights = tf.Variable(tf.ones([2]))


@tf.custom_gradient
def linear_poly(x):
    poly = weights[1] * x + weights[0]

    def grad_fn(dpoly, variables):
        assert len(variables) == 1 and variables[0] is weights
        grad_xs = dpoly * weights[1]
        dy_dw = dpoly * tf.stack([x**1, x**0])
        return grad_xs, [tf.reduce_sum(tf.reshape(dy_dw, [2, -1]), axis=1)]

    return poly, grad_fn


@tf.custom_gradient
def polar(r, theta):
    def grad(dx, dy):
        # d(x, y)/d(r, theta), applied to the two upstream gradients
        c, s = tf.cos(theta), tf.sin(theta)
        return dx * c + dy * s, -dx * r * s + dy * r * c

    return (r * tf.cos(theta), r * tf.sin(theta)), grad


@tf.custom_gradient
def weighted_pair(pair, scale):
    a, b = pair

    def grad(upstream):
        return [upstream * scale, upstream * 2.0 * scale], upstream * (a + 2.0 * b)

    return scale * (a + 2.0 * b), grad


@tf.custom_gradient
def shuffled(x):
    @tf.function
    def inner():
        return tf.stop_gradient(tf.random.shuffle(x))

    def grad(upstream):
        return upstream

    return inner(), grad


def all_gradients(x, y, r, theta):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y, r, theta])
        z = bar(x, y)
        poly = linear_poly(x)
        px, py = polar(r, theta)
        combined = px + 2.0 * py
        pair = weighted_pair([x, y], r)
        s = shuffled(x)
        total_s = tf.reduce_sum(s)
    return (
        tape.gradient(z, [x, y]),
        tape.gradient(poly, [x, weights]),
        tape.gradient(combined, [r, theta]),
        tape.gradient(px, [r, theta]),  # py not reached: its upstream is zeros
        tape.gradient(pair, [x, y, r]),
        tape.gradient(total_s, x),
    )


def check(results, x, y, r, theta):
    (gx, gy), (gpx, gw), (gr, gt), (gr1, gt1), (ax, ay, ar), gs = [
        [None if t is None else t.numpy() for t in tf.nest.flatten(part)] for part in results
    ]
    xs, ys, rs, ts = x.numpy(), y.numpy(), r.numpy(), theta.numpy()
    np.testing.assert_allclose(gx, ys)
    np.testing.assert_allclose(gy, xs)
    np.testing.assert_allclose(gpx, np.ones_like(xs))
    np.testing.assert_allclose(gw, [xs.sum(), xs.size])
    np.testing.assert_allclose(gr, np.cos(ts) + 2 * np.sin(ts), rtol=1e-5)
    np.testing.assert_allclose(gt, -rs * np.sin(ts) + 2 * rs * np.cos(ts), rtol=1e-5)
    np.testing.assert_allclose(gr1, np.cos(ts), rtol=1e-5)
    np.testing.assert_allclose(gt1, -rs * np.sin(ts), rtol=1e-5)
    np.testing.assert_allclose(ax, rs, rtol=1e-6)
    np.testing.assert_allclose(ay, 2 * rs, rtol=1e-6)
    np.testing.assert_allclose(ar, xs + 2 * ys, rtol=1e-6)
    np.testing.assert_allclose(gs[0], np.ones_like(xs))


graph_gradients = tf.function(all_gradients)
for values in ([1.0, 2.0, 3.0], [0.5, -1.0, 2.0]):
    x = tf.constant(values)
    y = tf.constant(values[::-1])
    r = tf.constant([2.0, 1.0, 0.5])
    theta = tf.constant([0.1, 1.0, -2.0])
    check(all_gradients(x, y, r, theta), x, y, r, theta)
    check(graph_gradients(x, y, r, theta), x, y, r, theta)

# The docs' example values.
x = tf.constant([1.0, 2.0, 3.0])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    poly = linear_poly(x)
np.testing.assert_allclose(poly.numpy(), [2.0, 3.0, 4.0])
np.testing.assert_allclose(tape.gradient(poly, weights).numpy(), [6.0, 3.0])

print("custom_gradient forms: ok")
