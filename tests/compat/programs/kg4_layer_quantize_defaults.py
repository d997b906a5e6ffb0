"""layer.quantize(mode) on a single layer runs with the mode's default config, so it gives
the same layout, variables and outputs as model.quantize(mode): int4 in groups of 128 input
rows (kernel_zero, g_idx), int8 with an abs-max activation quantizer."""

import keras
import numpy as np

rng = np.random.default_rng(4)
kernel = rng.normal(size=(12, 5)).astype("float32")
bias = np.linspace(-1, 1, 5).astype("float32")
x = rng.normal(size=(3, 12)).astype("float32")


def dense_model():
    model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(5, name="proj")])
    model.set_weights([kernel, bias])
    return model


for mode in ("int4", "int8"):
    whole = dense_model()
    whole.quantize(mode)
    single = dense_model()
    single.get_layer("proj").quantize(mode)
    a, b = whole.get_layer("proj"), single.get_layer("proj")
    assert a.dtype_policy.name == b.dtype_policy.name, (a.dtype_policy.name, b.dtype_policy.name)
    assert [(w.name, tuple(w.shape), w.dtype) for w in a.weights] == [
        (w.name, tuple(w.shape), w.dtype) for w in b.weights
    ]
    assert type(b.quantization_config).__name__ == type(a.quantization_config).__name__
    np.testing.assert_array_equal(single.predict(x, verbose=0), whole.predict(x, verbose=0))
    exact = x @ kernel + bias
    error = np.abs(single.predict(x, verbose=0) - exact).max()
    assert error < (0.1 if mode == "int4" else 0.01) * np.abs(exact).max(), (mode, error)

layer = keras.layers.Dense(5)
layer.build((None, 12))
layer.quantize("int4")
assert layer.dtype_policy.name == "int4/128_from_float32"
assert layer.quantization_config.block_size == 128
assert [w.name for w in layer.weights] == ["bias", "kernel", "kernel_scale", "kernel_zero", "g_idx"]
assert tuple(layer.kernel_scale.shape) == (1, 5)
config = layer.get_config()["quantization_config"]
assert config["class_name"] == "Int4QuantizationConfig"
assert config["config"]["block_size"] == 128

table = keras.layers.Embedding(30, 6)
table.build()
table.quantize("int4")
assert table.dtype_policy.name == "int4/128_from_float32"
assert [w.name for w in table.weights][-2:] == ["embeddings_zero", "g_idx"]

per_channel = keras.layers.Dense(5)
per_channel.build((None, 12))
per_channel.quantize("int4", config=keras.quantizers.Int4QuantizationConfig(block_size=None))
assert per_channel.dtype_policy.name == "int4/-1_from_float32"

print("kg4_layer_quantize_defaults OK")
