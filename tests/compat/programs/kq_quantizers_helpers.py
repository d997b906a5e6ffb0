"""keras.quantizers helpers: abs-max int8 quantization, AbsMaxQuantizer, int4 packing,
float8 fake quantization and scale bookkeeping, and config serialization."""

import keras
import ml_dtypes
import numpy as np

Q = keras.quantizers
rng = np.random.default_rng(0)
w = rng.standard_normal((6, 4)).astype("float32")

# abs-max int8 over the input axis: one scale per output column
q, scale = Q.abs_max_quantize(w, axis=0)
q, scale = np.asarray(q), np.asarray(scale)
assert q.dtype == np.int8 and scale.shape == (1, 4)
np.testing.assert_allclose(scale, 127.0 / (np.abs(w).max(axis=0, keepdims=True) + 1e-7), rtol=1e-6)
assert np.abs(q).max() == 127
np.testing.assert_allclose(q / scale, w, atol=0.5 / scale.min() + 1e-6)

quantizer = Q.AbsMaxQuantizer(value_range=(-8, 7))
q4, scale4 = quantizer(w, axis=-1)
q4 = np.asarray(q4)
assert q4.min() >= -8 and q4.max() <= 7 and np.asarray(scale4).shape == (6, 1)
assert isinstance(quantizer, keras.Quantizer)

# two int4 values per byte, low nibble first
values = np.array([[-3, 7], [2, -8], [1, 0]], dtype="int8")
packed, packed_shape, original_rows = Q.pack_int4(values)
assert packed_shape == (2, 2) and original_rows == 3
np.testing.assert_array_equal(np.asarray(packed), [[45, -121], [1, 0]])
np.testing.assert_array_equal(np.asarray(Q.unpack_int4(packed, original_rows)), values)

# float8 fake quantization equals a round trip through ml_dtypes' float8
x = (rng.standard_normal(512) * 50).astype("float32")
for fmt in ("float8_e4m3fn", "float8_e5m2"):
    largest = float(ml_dtypes.finfo(fmt).max)
    expected = np.clip(x / 0.25, -largest, largest).astype(fmt).astype("float32") * 0.25
    got = np.asarray(Q.quantize_and_dequantize(x, 0.25, fmt, "float32"))
    np.testing.assert_array_equal(got, expected)

# delayed scaling: amax history and the scale it gives
history = Q.compute_float8_amax_history(np.array([[-3.0, 1.5]], "float32"), np.zeros(4, "float32"))
np.testing.assert_array_equal(np.asarray(history), [3.0, 0.0, 0.0, 0.0])
new_scale = Q.compute_float8_scale(np.float32(3.0), np.float32(1.0), 448.0)
np.testing.assert_allclose(float(np.asarray(new_scale)), 3.0 / 448.0, rtol=1e-6)
kept = Q.compute_float8_scale(np.float32(0.0), np.float32(0.5), 448.0)
np.testing.assert_allclose(float(np.asarray(kept)), 0.5)

# configs serialize to Keras' form and come back
config = Q.Int8QuantizationConfig(activation_quantizer=Q.AbsMaxQuantizer(value_range=(-100, 100)))
saved = Q.serialize(config)
assert saved["class_name"] == "Int8QuantizationConfig" and saved["module"] == "keras.quantizers"
again = Q.deserialize(saved)
assert again.mode == "int8" and tuple(again.activation_quantizer.value_range) == (-100, 100)
assert Q.deserialize(Q.serialize(Q.Int4QuantizationConfig(block_size=64))).block_size == 64
assert Q.get("abs_max_quantizer").value_range == (-127, 127)
print("keras.quantizers helpers ok")
