"""Keras 3 float8 training of Dense layers: the added scale and amax-history variables,
their in-place updates during fit, inference values, files and errors."""

import os
import tempfile
import warnings

import numpy as np
import tensorflow as tf

keras = tf.keras
warnings.simplefilter("ignore")

rng = np.random.default_rng(11)
x = rng.normal(size=(16, 12)).astype("float32") * 2.0
y = rng.normal(size=(16, 2)).astype("float32")

model = keras.Sequential(
    [
        keras.Input((12,)),
        keras.layers.Dense(8, activation="relu", name="first"),
        keras.layers.Dense(2, name="second"),
    ]
)
model.set_weights([rng.normal(size=w.shape).astype("float32") * 0.3 for w in model.weights])
before = model.predict(x, verbose=0)
model.quantize("float8")
second = model.get_layer("second")
assert second.quantization_mode == "float8"
assert second.dtype_policy.name == "float8_from_float32"
assert second.dtype_policy.amax_history_length == 1024
names = [w.name for w in second.weights]
assert names == [
    "kernel",
    "bias",
    "inputs_scale",
    "inputs_amax_history",
    "kernel_scale",
    "kernel_amax_history",
    "outputs_grad_scale",
    "outputs_grad_amax_history",
], names
assert second.inputs_amax_history.shape == (1024,) and second.inputs_scale.shape == ()
assert second.kernel_scale.overwrite_with_gradient and not second.kernel.overwrite_with_gradient
assert len(model.trainable_weights) == 16

# inference: inputs and kernel rounded to float8_e4m3fn (3 mantissa bits) at scale 1
after = model.predict(x, verbose=0)
assert not np.array_equal(after, before)
assert np.abs(after - before).max() < 0.1 * np.abs(before).max() + 0.1

# training: the optimizer writes the new scales and histories, it does not step them
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
history = model.fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
first = model.get_layer("first")
np.testing.assert_allclose(first.inputs_amax_history.numpy()[-4:].max(), np.abs(x).max(), rtol=1e-6)
assert np.count_nonzero(first.inputs_amax_history.numpy()) == 4
np.testing.assert_allclose(first.inputs_scale.numpy(), np.abs(x).max() / 448.0, rtol=1e-6)
assert 0 < second.outputs_grad_scale.numpy() < 1e-3

# files
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "f8.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    assert restored.get_layer("second").dtype_policy.name == "float8_from_float32"
    np.testing.assert_allclose(
        restored.get_layer("first").inputs_scale.numpy(), first.inputs_scale.numpy()
    )
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))

# EinsumDense takes float8 too: same variables, inputs and kernel rounded to e4m3
einsum = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d")
seq = rng.normal(size=(2, 4, 5)).astype("float32")
float_seq = einsum(seq).numpy()
einsum.quantize("float8")
assert einsum.dtype_policy.name == "float8_from_float32"
assert [w.name for w in einsum.weights][2:] == names[2:]
assert float(einsum.kernel_scale.numpy()) == 1.0
quant_seq = einsum(seq).numpy()
assert quant_seq.shape == (2, 4, 3) and not np.array_equal(quant_seq, float_seq)
assert np.abs(quant_seq - float_seq).max() < 0.1 * np.abs(float_seq).max()

try:
    second.quantize("float8")
except ValueError:
    pass
else:
    raise AssertionError("quantizing twice must fail")
print("ok")
