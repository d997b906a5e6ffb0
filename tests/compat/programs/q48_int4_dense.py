"""Keras 3 int4 weight quantization of Dense layers: layouts, values, training the biases
after quantizing, files, and the errors."""

import os
import tempfile
import warnings

import numpy as np
import tensorflow as tf

keras = tf.keras
warnings.simplefilter("ignore")

rng = np.random.default_rng(7)
features = rng.normal(size=(32, 20)).astype("float32")
targets = rng.normal(size=(32, 3)).astype("float32")


def make():
    inputs = keras.Input((20,))
    hidden = keras.layers.Dense(8, activation="relu", name="hidden")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3, name="head")(hidden))
    model.set_weights([rng.normal(size=w.shape).astype("float32") * 0.4 for w in model.weights])
    return model


# the default config: groups of 128 input rows with a zero point
model = make()
float_out = model.predict(features, verbose=0)
model.quantize("int4")
head = model.get_layer("head")
assert head.quantization_mode == "int4"
assert head.dtype_policy.name == "int4/128_from_float32", head.dtype_policy.name
assert [w.name for w in head.weights] == ["bias", "kernel", "kernel_scale", "kernel_zero", "g_idx"]
assert tuple(head.weights[1].shape) == (8, 2) and head.weights[1].dtype == "int8"
assert tuple(head.kernel_scale.shape) == (1, 3) and tuple(head.kernel_zero.shape) == (1, 3)
assert not head.weights[1].trainable and head.bias.trainable
unpacked = np.asarray(head.kernel)
assert unpacked.shape == (8, 3) and unpacked.min() >= -8 and unpacked.max() <= 7
out = model.predict(features, verbose=0)
assert np.abs(out - float_out).max() < 0.3 * np.abs(float_out).max()

# per channel: one scale per output unit, kernel ~= q / scale
per_channel = make()
kernel = per_channel.get_layer("head").kernel.numpy()
bias = per_channel.get_layer("head").bias.numpy()
per_channel.quantize("int4", config=keras.quantizers.Int4QuantizationConfig(block_size=None))
layer = per_channel.get_layer("head")
assert layer.dtype_policy.name == "int4/-1_from_float32"
assert [w.name for w in layer.weights] == ["bias", "kernel", "kernel_scale"]
scale = 7.0 / (np.abs(kernel).max(axis=0) + keras.config.epsilon())
np.testing.assert_allclose(layer.kernel_scale.numpy(), scale, rtol=1e-6)
q = np.clip(np.round(kernel * scale), -8, 7)
np.testing.assert_array_equal(np.asarray(layer.kernel), q)
hidden_out = keras.Model(per_channel.input, per_channel.get_layer("hidden").output)(features)
np.testing.assert_allclose(
    per_channel(features).numpy(), np.asarray(hidden_out) @ q / scale + bias, rtol=1e-4, atol=1e-4
)

# training after quantizing moves only the biases
model.compile(optimizer="adam", loss="mse")
assert len(model.trainable_weights) == 2
packed = head.weights[1].numpy().copy()
history = model.fit(features, targets, epochs=3, batch_size=16, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
np.testing.assert_array_equal(head.weights[1].numpy(), packed)

# files keep the int4 weights and the policy
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "int4.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    assert restored.get_layer("head").dtype_policy.name == "int4/128_from_float32"
    np.testing.assert_allclose(
        restored.predict(features, verbose=0), model.predict(features, verbose=0), atol=1e-6
    )
    weights = os.path.join(folder, "int4.weights.h5")
    per_channel.save_weights(weights)
    again = keras.Model.from_config(per_channel.get_config())
    again.load_weights(weights)
    np.testing.assert_allclose(again(features).numpy(), per_channel(features).numpy(), atol=1e-6)

# Embedding: one scale per row in per-channel mode
embedding = keras.layers.Embedding(6, 5)
embedding.build()
table = rng.normal(size=(6, 5)).astype("float32")
embedding.embeddings.assign(table)
embedding.quantize("int4", config=keras.quantizers.Int4QuantizationConfig(block_size=-1))
assert embedding.dtype_policy.name == "int4/-1_from_float32"
assert [w.name for w in embedding.weights] == ["embeddings", "embeddings_scale"]
assert tuple(embedding.weights[0].shape) == (6, 3)
row_scale = 7.0 / (np.abs(table).max(axis=1) + keras.config.epsilon())
np.testing.assert_allclose(embedding.embeddings_scale.numpy(), row_scale, rtol=1e-6)
tokens = np.array([[4, 0, 4]], "int32")
rows = np.clip(np.round(table * row_scale[:, None]), -8, 7) / row_scale[:, None]
np.testing.assert_allclose(embedding(tokens).numpy(), rows[tokens], rtol=1e-5, atol=1e-6)

# errors
for call, kind in [
    (lambda: head.quantize("int4"), ValueError),
    (lambda: make().quantize("int3"), ValueError),
    (lambda: make().quantize("int4", config=keras.quantizers.Int8QuantizationConfig()), ValueError),
    (lambda: keras.quantizers.Int4QuantizationConfig(block_size=0), ValueError),
]:
    try:
        call()
    except kind:
        pass
    else:
        raise AssertionError(f"expected {kind.__name__}")
print("ok")
