# keras.io "Standalone Mixture-of-Experts (MoE) Layers": Dense and Conv2D experts stored in
# one weight each and mixed by a softmax gate (ops.tensordot, ops.conv on a reshaped kernel,
# reshape back to (..., filters, experts)); outputs checked against a per-expert NumPy
# computation, parameter counts, get_config, and a short fit of a model built from them.
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np
from keras import activations, layers, ops


class DenseExperts(layers.Layer):
    def __init__(self, units, n_experts, expert_activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.n_experts = units, n_experts
        self.expert_activation = activations.get(expert_activation)

    def build(self, input_shape):
        d = input_shape[-1]
        self.kernel = self.add_weight(shape=(d, self.units, self.n_experts), name="kernel")
        self.bias = self.add_weight(
            shape=(self.units, self.n_experts), initializer="zeros", name="bias"
        )
        self.gate = self.add_weight(shape=(d, self.n_experts), name="gate")

    def call(self, x):
        experts = self.expert_activation(ops.tensordot(x, self.kernel, axes=1) + self.bias)
        weights = ops.softmax(ops.tensordot(x, self.gate, axes=1))
        return ops.sum(experts * ops.expand_dims(weights, 1), axis=-1)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "n_experts": self.n_experts,
            "expert_activation": activations.serialize(self.expert_activation),
        }


class ConvExperts(layers.Layer):
    def __init__(self, filters, kernel_size, n_experts, strides=1, padding="valid", **kwargs):
        super().__init__(**kwargs)
        self.filters, self.k, self.n_experts = filters, kernel_size, n_experts
        self.strides, self.padding = strides, padding

    def build(self, input_shape):
        c = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(self.k, self.k, c, self.filters, self.n_experts), name="kernel"
        )
        self.gate = self.add_weight(shape=(1, 1, c, self.n_experts), name="gate")

    def call(self, x):
        flat = ops.reshape(self.kernel, (self.k, self.k, ops.shape(x)[-1], -1))
        out = ops.conv(x, flat, strides=self.strides, padding=self.padding)
        shape = ops.shape(out)
        out = ops.reshape(out, (shape[0], shape[1], shape[2], self.filters, self.n_experts))
        gate = ops.softmax(ops.conv(x, self.gate, strides=self.strides, padding=self.padding))
        return ops.sum(ops.relu(out) * ops.expand_dims(gate, -2), axis=-1)


def softmax(a):
    e = np.exp(a - a.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


rng = np.random.default_rng(2)
x = rng.standard_normal((3, 5)).astype("float32")
dense = DenseExperts(4, 3, expert_activation="relu")
y = dense(x)
assert tuple(y.shape) == (3, 4) and y.dtype == "float32"
k, b, g = (v.numpy() for v in dense.weights)
assert k.shape == (5, 4, 3) and b.shape == (4, 3) and g.shape == (5, 3)
experts = np.maximum(np.einsum("bd,due->bue", x, k) + b, 0)
want = (experts * softmax(x @ g)[:, None, :]).sum(-1)
np.testing.assert_allclose(ops.convert_to_numpy(y), want, rtol=1e-5, atol=1e-5)
cfg = dense.get_config()
assert cfg["units"] == 4 and cfg["n_experts"] == 3 and cfg["expert_activation"] == "relu"
clone = DenseExperts.from_config(cfg)
assert clone.units == 4 and clone(x).shape == (3, 4)

img = rng.standard_normal((2, 6, 6, 3)).astype("float32")
conv = ConvExperts(filters=4, kernel_size=3, n_experts=2, strides=2, padding="same")
out = conv(img)
assert tuple(out.shape) == (2, 3, 3, 4)
kernel, gate = (v.numpy() for v in conv.weights)
gates = softmax(ops.convert_to_numpy(ops.conv(img, gate, strides=2, padding="same")))
ref = 0.0
for e in range(2):
    per = ops.convert_to_numpy(ops.conv(img, kernel[..., e], strides=2, padding="same"))
    ref = ref + np.maximum(per, 0) * gates[..., e : e + 1]
np.testing.assert_allclose(ops.convert_to_numpy(out), ref, rtol=1e-4, atol=1e-5)

inputs = keras.Input((8, 8, 3))
h = ConvExperts(4, 3, n_experts=2, padding="same")(inputs)
h = layers.BatchNormalization()(h)
h = layers.MaxPooling2D(2)(h)
h = DenseExperts(6, 4, expert_activation="relu")(layers.Flatten()(h))
model = keras.Model(inputs, layers.Dense(3, activation="softmax")(layers.Dropout(0.5)(h)))
assert model.count_params() == (3 * 3 * 3 * 4 * 2 + 3 * 2) + 16 + (64 * 6 * 4 + 24 + 64 * 4) + 21
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
data = rng.random((24, 8, 8, 3)).astype("float32")
labels = rng.integers(0, 3, (24, 1))
history = model.fit(data, labels, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
pred = model.predict(data[:4], verbose=0)
np.testing.assert_allclose(pred.sum(-1), np.ones(4), rtol=1e-5)
print("ok")
