"""Backend-agnostic control flow and gradients in keras.ops (Keras 3, TensorFlow backend):
keras.ops.custom_gradient (a numerically stable log1pexp and a gradient-clipping identity),
fori_loop / while_loop / cond / switch inside a custom layer, stop_gradient, and the layer
trained with fit."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops


@ops.custom_gradient
def log1pexp(x):
    e = ops.exp(x)

    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return ops.multiply(upstream, 1.0 - 1.0 / (1.0 + e))

    return ops.log(1.0 + e), grad


@ops.custom_gradient
def clip_gradient(x):
    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return ops.clip(upstream, -0.5, 0.5)

    return x, grad


x = tf.constant([0.0, 2.0, 5.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = log1pexp(x)
np.testing.assert_allclose(y.numpy(), np.log1p(np.exp([0.0, 2.0, 5.0])), rtol=1e-6)
np.testing.assert_allclose(tape.gradient(y, x).numpy(), 1 / (1 + np.exp(-x.numpy())), rtol=1e-6)

with tf.GradientTape() as tape:
    tape.watch(x)
    z = ops.sum(clip_gradient(x) * tf.constant([3.0, -0.1, 0.2]))
np.testing.assert_allclose(tape.gradient(z, x).numpy(), [0.5, -0.1, 0.2], rtol=1e-6)

# Loops and branches.
total = ops.fori_loop(0, 5, lambda i, acc: acc + ops.cast(i, "float32") ** 2, 0.0)
assert float(total) == 30.0
count, value = ops.while_loop(lambda i, v: v < 100.0, lambda i, v: (i + 1, v * 3.0), (0, 1.0))
assert int(count) == 5 and float(value) == 243.0
assert float(ops.cond(ops.convert_to_tensor(2.0) > 1.0, lambda: 10.0, lambda: -10.0)) == 10.0
branches = [lambda a: a + 1.0, lambda a: a * 10.0, lambda a: -a]
assert [float(ops.switch(i, branches, 2.0)) for i in range(3)] == [3.0, 20.0, -2.0]


class PowerSeries(layers.Layer):
    """sum_{k<order} w_k x^k, built with fori_loop; stop_gradient freezes the constant term."""

    def __init__(self, order, **kwargs):
        super().__init__(**kwargs)
        self.order = order

    def build(self, input_shape):
        self.w = self.add_weight(shape=(self.order,), initializer="zeros", name="w")

    def call(self, inputs):
        def body(k, carry):
            acc, power = carry
            return acc + self.w[k] * power, power * inputs

        zero = ops.zeros_like(inputs)
        acc, _ = ops.fori_loop(1, self.order, body, (zero, inputs))
        return acc + ops.stop_gradient(self.w[0]) + 0.0 * self.w[0]


keras.utils.set_random_seed(0)
xs = np.linspace(-1.0, 1.0, 64).astype("float32")[:, None]
ys = (0.5 * xs - 1.5 * xs**2 + 0.25 * xs**3).astype("float32")
inputs = keras.Input((1,))
model = keras.Model(inputs, PowerSeries(4, name="series")(inputs))
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
model.fit(xs, ys, epochs=150, batch_size=64, verbose=0)
w = model.get_layer("series").w.numpy()
assert w[0] == 0.0  # no gradient reached it
np.testing.assert_allclose(w[1:], [0.5, -1.5, 0.25], atol=0.08)
with tf.GradientTape() as tape:
    out = ops.sum(model(xs))
grad_w = tape.gradient(out, model.trainable_variables)[0].numpy()
assert grad_w[0] == 0.0 and abs(grad_w[2] - float(np.sum(xs**2))) < 1e-3
print("ok", np.round(w, 3).tolist())
