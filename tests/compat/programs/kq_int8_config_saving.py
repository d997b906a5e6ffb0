"""Quantization guide: quantize a trained model with an Int8QuantizationConfig (the
default one, weight-only int8, a custom input quantizer), check it stays close to the
float model, and save / reload it as .keras and .weights.h5."""

import warnings

import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.standard_normal((64, 10)).astype("float32")
y = (x[:, :3].sum(axis=1) > 0).astype("int32")


def build():
    inputs = keras.Input((10,))
    h = keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
    h = keras.layers.EinsumDense("ab,bc->ac", output_shape=8, bias_axes="c", name="mix")(h)
    outputs = keras.layers.Dense(2, name="logits")(h)
    return keras.Model(inputs, outputs)


model = build()
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
model.fit(x, y, epochs=5, batch_size=16, verbose=0)
model.save_weights("float.weights.h5")
float_logits = model.predict(x, verbose=0)
scale = np.abs(float_logits).max()

Q = keras.quantizers
configs = {
    "default": Q.Int8QuantizationConfig(),
    "weight_only": Q.Int8QuantizationConfig(activation_quantizer=None),
    "narrow_inputs": Q.Int8QuantizationConfig(
        activation_quantizer=Q.AbsMaxQuantizer(value_range=(-100, 100))
    ),
}
results = {}
for name, config in configs.items():
    quantized = build()
    quantized.load_weights("float.weights.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the input layer has nothing to quantize
        quantized.quantize(config=config)
    for layer_name in ("hidden", "mix", "logits"):
        layer = quantized.get_layer(layer_name)
        assert layer.quantization_mode == "int8", (name, layer_name)
        assert layer.dtype_policy.name == "int8_from_float32"
    logits = quantized.predict(x, verbose=0)
    results[name] = logits
    assert np.abs(logits - float_logits).max() < 0.05 * scale, name

    quantized.save(f"{name}.keras")
    reloaded = keras.models.load_model(f"{name}.keras")
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), logits, rtol=1e-6, atol=1e-6)
    saved_config = reloaded.get_layer("hidden").get_config()["quantization_config"]
    assert saved_config["class_name"] == "Int8QuantizationConfig"

    quantized.save_weights(f"{name}.weights.h5")
    fresh = build()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fresh.quantize(config=config)
    fresh.load_weights(f"{name}.weights.h5")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), logits, rtol=1e-6, atol=1e-6)

# weight-only int8 keeps the inputs in float: it is the float model with rounded kernels
hidden = build()
hidden.load_weights("float.weights.h5")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    hidden.quantize(config=configs["weight_only"])
layer = hidden.get_layer("hidden")
kernel = np.asarray(layer.kernel, dtype="float32") / layer.kernel_scale.numpy()
assert not np.array_equal(results["weight_only"], results["default"])
assert np.abs(kernel - model.get_layer("hidden").kernel.numpy()).max() < 0.05

try:
    build().quantize("int8", config=Q.Int4QuantizationConfig())
except ValueError as error:
    assert "Contradictory" in str(error)
else:
    raise AssertionError("mode and config that disagree must raise")
print("int8 configs and saving ok")
