"""keras.ops as a NumPy-like API: values and dtypes of the common ops against NumPy,
gradients through them, ops on symbolic inputs inside a functional model, and control
flow (cond, while_loop, scan)."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

rng = np.random.default_rng(0)
a = rng.normal(size=(3, 4)).astype("float32")
b = rng.normal(size=(4, 2)).astype("float32")


def check(value, expected, rtol=1e-5):
    np.testing.assert_allclose(ops.convert_to_numpy(value), expected, rtol=rtol, atol=1e-6)


check(ops.sum(a, axis=1, keepdims=True), a.sum(axis=1, keepdims=True))
check(ops.mean(a), a.mean())
check(ops.max(a, axis=0), a.max(axis=0))
check(ops.matmul(a, b), a @ b)
check(ops.einsum("ij,jk->ik", a, b), a @ b)
check(ops.transpose(a), a.T)
check(ops.reshape(a, (2, 6)), a.reshape(2, 6))
check(ops.concatenate([a, a], axis=0), np.concatenate([a, a]))
check(ops.stack([a, a], axis=-1), np.stack([a, a], -1))
check(ops.expand_dims(a, 0), a[None])
check(ops.squeeze(a[None]), a)
check(ops.where(a > 0, a, 0.0), np.where(a > 0, a, 0.0))
check(ops.clip(a, -0.5, 0.5), np.clip(a, -0.5, 0.5))
check(ops.softmax(a), np.exp(a) / np.exp(a).sum(-1, keepdims=True))
check(ops.logsumexp(a, axis=1), np.log(np.exp(a).sum(1)))
check(ops.take(a, [2, 0], axis=1), a[:, [2, 0]])
check(ops.take_along_axis(a, np.argsort(a, axis=1), axis=1), np.sort(a, axis=1))
check(ops.cumsum(a, axis=0), np.cumsum(a, axis=0))
check(ops.norm(a), np.linalg.norm(a))
check(ops.one_hot(np.array([0, 2]), 3), np.eye(3)[[0, 2]])
check(ops.pad(a, ((1, 0), (0, 2))), np.pad(a, ((1, 0), (0, 2))))
check(ops.tile(a, (2, 1)), np.tile(a, (2, 1)))
check(ops.repeat(a, 2, axis=0), np.repeat(a, 2, axis=0))
values, indices = ops.top_k(a, k=2)
check(values, -np.sort(-a, axis=1)[:, :2])
check(ops.argmax(a, axis=1), a.argmax(axis=1))
parts = ops.split(ops.arange(10), [3, 7])
assert [int(ops.size(p)) for p in parts] == [3, 4, 3]
mean, var = ops.moments(a, axes=[0])
check(mean, a.mean(0))
check(var, a.var(0))

# Keras's dtype rules.
assert ops.dtype(ops.arange(5)) == "int32"
assert ops.dtype(ops.add(ops.arange(3), 1.5)) == "float32"
assert ops.dtype(ops.mean(ops.arange(4))) == "float32"
assert ops.dtype(ops.argmax(a)) == "int32"
assert ops.dtype(ops.convert_to_tensor(np.ones(2))) == "float64"
assert ops.shape(a) == (3, 4)
assert isinstance(ops.convert_to_numpy(ops.ones((2,))), np.ndarray)

# Gradients flow through keras.ops.
w = keras.Variable(b)
with tf.GradientTape() as tape:
    loss = ops.mean(ops.square(ops.matmul(a, w)))
grad = tape.gradient(loss, w)
check(grad, 2 * a.T @ (a @ b) / (3 * 2), rtol=1e-4)

# Control flow.
assert float(ops.cond(ops.sum(a) > 100, lambda: ops.ones(()), lambda: ops.zeros(()))) == 0.0
i, total = ops.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t + i), (0, 0))
assert int(i) == 4 and int(total) == 6
carry, ys = ops.scan(lambda c, x: (c + x, c), 0.0, ops.arange(4, dtype="float32"))
assert float(carry) == 6.0
check(ys, [0.0, 0.0, 1.0, 3.0])


# A custom layer written only with keras.ops, in a functional model with ops on inputs.
class RMSNorm(layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        rms = ops.sqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + 1e-6)
        return x / rms * self.scale


inputs = keras.Input(shape=(4,))
h = RMSNorm()(inputs)
h = layers.Dense(8)(h)
h = ops.relu(h)
outputs = ops.sum(h, axis=-1, keepdims=True)
model = keras.Model(inputs, outputs)
assert tuple(model.output_shape) == (None, 1)
x = rng.normal(size=(64, 4)).astype("float32")
y = np.abs(x).sum(axis=1, keepdims=True).astype("float32")
model.compile(optimizer="adam", loss="mse")
history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
kernel, bias = model.layers[2].get_weights()
normed = x / np.sqrt((x**2).mean(-1, keepdims=True) + 1e-6) * model.layers[1].scale.numpy()
expected = np.maximum(normed @ kernel + bias, 0).sum(-1, keepdims=True)
check(model.predict(x, verbose=0), expected, rtol=1e-4)
print("keras3_ops_numpy_api: ok")
