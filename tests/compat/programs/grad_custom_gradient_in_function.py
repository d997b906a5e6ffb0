# tf.custom_gradient inside tf.function and compiled Keras training: the guide's stable
# log1pexp, a gradient-clipping layer, a straight-through quantizer (tf.grad_pass_through)
# and tf.recompute_grad, each compared with the same computation run eagerly.
import keras
import numpy as np
import tensorflow as tf


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


@tf.function
def stable_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    return tape.gradient(y, x)


assert float(stable_grad(tf.constant(100.0))) == 1.0
# later calls reuse the traced graph: the gradient must follow the new x
for value in (0.0, 2.0, -3.0):
    expected = 1.0 / (1.0 + np.exp(-value))
    np.testing.assert_allclose(float(stable_grad(tf.constant(value))), expected, rtol=1e-5)
assert stable_grad.experimental_get_tracing_count() == 1


# Gradient clipping in the backward pass, inside a layer trained with fit().
@tf.custom_gradient
def clip_backward(x):
    def grad(upstream):
        return tf.clip_by_value(upstream, -0.01, 0.01)

    return tf.identity(x), grad


class ClipGradient(keras.layers.Layer):
    def call(self, x):
        return clip_backward(x)


# A straight-through rounding layer: forward rounds to 1/4 steps, backward is the identity.
quantize = tf.grad_pass_through(lambda x: tf.round(x * 4.0) / 4.0)


class Quantize(keras.layers.Layer):
    def call(self, x):
        return quantize(x)


rng = np.random.default_rng(7)
x_train = rng.normal(size=(64, 5)).astype("float32")
true_w = rng.normal(size=(5, 1)).astype("float32")
y_train = x_train @ true_w


def fit(run_eagerly):
    keras.utils.set_random_seed(11)
    model = keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(16, activation="tanh"),
            ClipGradient(),
            Quantize(),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", run_eagerly=run_eagerly)
    history = model.fit(x_train, y_train, batch_size=16, epochs=15, verbose=0, shuffle=False)
    return history.history["loss"], model.get_weights()


graph_loss, graph_weights = fit(False)
eager_loss, eager_weights = fit(True)
np.testing.assert_allclose(graph_loss, eager_loss, rtol=1e-3)
for a, b in zip(graph_weights, eager_weights):
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)
assert graph_loss[-1] < 0.5 * graph_loss[0], graph_loss


# tf.recompute_grad: same gradients (inputs and the variables the block reads).
w = tf.Variable([[0.5, -1.0], [1.5, 0.25]])


def block(x):
    return tf.nn.softplus(tf.matmul(x, w))


checkpointed = tf.recompute_grad(block)


def grads(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(fn(x) ** 2)
    return tape.gradient(loss, [x, w])


compiled = tf.function(lambda x: grads(checkpointed, x))
for rows in ([[1.0, 2.0]], [[-0.5, 0.3], [2.0, -1.0]]):
    x = tf.constant(rows)
    for got, want in zip(compiled(x), grads(block, x)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)

print("custom gradients in tf.function: ok")
