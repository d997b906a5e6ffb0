# Gradients through loops inside tf.function ("Introduction to gradients": control flow):
# a tf.while_loop Newton iteration, Horner's rule over tf.range, a loop whose trip count
# depends on the data, and a weight-tied keras.ops.fori_loop layer trained with fit().
import keras
import numpy as np
import tensorflow as tf


@tf.function
def newton_sqrt_and_grad(a):
    with tf.GradientTape() as tape:
        tape.watch(a)
        _, root = tf.while_loop(
            lambda i, r: i < 8,
            lambda i, r: (i + 1, 0.5 * (r + a / r)),
            [tf.constant(0), tf.ones_like(a)],
        )
    return root, tape.gradient(root, a)


a = tf.constant([2.0, 9.0, 0.25])
root, d_root = newton_sqrt_and_grad(a)
np.testing.assert_allclose(root.numpy(), np.sqrt(a.numpy()), rtol=1e-5)
np.testing.assert_allclose(d_root.numpy(), 0.5 / np.sqrt(a.numpy()), rtol=1e-4)
root, d_root = newton_sqrt_and_grad(tf.constant([4.0, 16.0, 1.0]))  # same trace, new values
np.testing.assert_allclose(d_root.numpy(), [0.25, 0.125, 0.5], rtol=1e-4)
assert newton_sqrt_and_grad.experimental_get_tracing_count() == 1


coefficients = tf.Variable([1.0, -2.0, 0.5, 3.0])  # 1 - 2x + 0.5x^2 + 3x^3


@tf.function
def horner(x):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        n = tf.shape(coefficients)[0]
        y = tf.zeros_like(x)
        for i in tf.range(n - 1, -1, -1):
            y = y * x + coefficients[i]
    return y, tape.gradient(y, x), tape.gradient(y, coefficients)


x = tf.constant([0.5, -1.0, 2.0])
y, dy_dx, dy_dc = horner(x)
xs = x.numpy()
np.testing.assert_allclose(y.numpy(), 1 - 2 * xs + 0.5 * xs**2 + 3 * xs**3, rtol=1e-5)
np.testing.assert_allclose(dy_dx.numpy(), -2 + xs + 9 * xs**2, rtol=1e-5)
np.testing.assert_allclose(dy_dc.numpy(), [3.0, 1.5, 5.25, 7.125], rtol=1e-5)


@tf.function
def double_until(x, limit):
    with tf.GradientTape() as tape:
        tape.watch(x)
        (y,) = tf.while_loop(lambda y: tf.reduce_max(y) < limit, lambda y: (y * 2.0,), [x])
        total = tf.reduce_sum(y)
    return y, tape.gradient(total, x)


y, g = double_until(tf.constant([1.0, 3.0]), tf.constant(20.0))
np.testing.assert_allclose(y.numpy(), [8.0, 24.0])
np.testing.assert_allclose(g.numpy(), [8.0, 8.0])  # three doublings
y, g = double_until(tf.constant([1.0, 3.0]), tf.constant(100.0))
np.testing.assert_allclose(g.numpy(), [64.0, 64.0])  # six doublings


class Refine(keras.layers.Layer):
    """h <- tanh(h W + x) three times, with one W (a weight-tied loop)."""

    def build(self, input_shape):
        d = input_shape[-1]
        self.w = self.add_weight(shape=(d, d), initializer="orthogonal", name="w")

    def call(self, x):
        return keras.ops.fori_loop(
            0, 3, lambda i, h: keras.ops.tanh(keras.ops.matmul(h, self.w) + x), x
        )


rng = np.random.default_rng(3)
x_train = rng.normal(size=(96, 6)).astype("float32")
y_train = (np.sin(x_train).sum(axis=1, keepdims=True) > 0).astype("float32")


def fit(run_eagerly):
    keras.utils.set_random_seed(5)
    model = keras.Sequential(
        [keras.Input((6,)), Refine(), keras.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss="binary_crossentropy",
        metrics=["accuracy"],
        run_eagerly=run_eagerly,
    )
    history = model.fit(x_train, y_train, batch_size=32, epochs=20, verbose=0, shuffle=False)
    return history.history, model.get_weights()


graph_history, graph_weights = fit(False)
eager_history, eager_weights = fit(True)
np.testing.assert_allclose(graph_history["loss"], eager_history["loss"], rtol=1e-3)
for a, b in zip(graph_weights, eager_weights):
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)
assert graph_history["loss"][-1] < 0.7 * graph_history["loss"][0], graph_history["loss"]
assert graph_history["accuracy"][-1] > 0.8, graph_history["accuracy"]

print("loop gradients in tf.function: ok")
