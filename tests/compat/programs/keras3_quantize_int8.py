"""Keras 3 int8 quantization (the quantization guide): model.quantize("int8") stores int8
kernels with per-unit scales, runs close to the float model, saves and reloads quantized."""

import warnings

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.random((32, 12)).astype("float32")
y = rng.integers(0, 3, 32)

inputs = keras.Input((12,))
h = keras.layers.Dense(24, activation="relu", name="hidden")(inputs)
outputs = keras.layers.Dense(3, name="logits")(h)
model = keras.Model(inputs, outputs)
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(x, y, epochs=5, batch_size=8, verbose=0)
float_logits = model.predict(x, verbose=0)
float_kernel = model.get_layer("hidden").kernel.numpy()

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # layers without weights to quantize are skipped
    model.quantize("int8")

hidden = model.get_layer("hidden")
assert hidden.quantization_mode == "int8"
assert hidden.dtype_policy.name == "int8_from_float32"
assert tf.as_dtype(hidden.kernel.dtype) == tf.int8
scale = hidden.kernel_scale.numpy()
np.testing.assert_allclose(scale, 127.0 / (np.abs(float_kernel).max(axis=0) + 1e-7), rtol=1e-5)
dequantized = np.asarray(hidden.kernel, dtype="float32") / scale
np.testing.assert_allclose(dequantized, float_kernel, atol=0.02)

int8_logits = model.predict(x, verbose=0)
assert np.abs(int8_logits - float_logits).max() < 0.1
assert (int8_logits.argmax(-1) == float_logits.argmax(-1)).mean() > 0.9
assert len(model.trainable_weights) == 2  # the biases

model.save("int8.keras")
restored = keras.models.load_model("int8.keras")
assert restored.get_layer("hidden").quantization_mode == "int8"
np.testing.assert_allclose(restored.predict(x, verbose=0), int8_logits, rtol=1e-5, atol=1e-5)

try:
    model.quantize("int8")
except ValueError as error:
    assert "already quantized" in str(error)
else:
    raise AssertionError("quantizing twice must fail")
print("int8 quantization ok")
