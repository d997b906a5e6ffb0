# Keras 3 quantization guide topic: Model.quantize("int8") reaches the projections inside
# MultiHeadAttention (EinsumDense sublayers), so a small transformer block shrinks to int8.
import numpy as np
import tensorflow as tf

keras = tf.keras

inputs = keras.Input((6, 16))
attended = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)(inputs, inputs)
x = keras.layers.LayerNormalization()(inputs + attended)
x = keras.layers.GlobalAveragePooling1D()(x)
outputs = keras.layers.Dense(4)(x)
model = keras.Model(inputs, outputs)

mha = model.layers[1]
assert isinstance(mha.query_dense, keras.layers.EinsumDense)
assert mha.query_dense.equation == "abc,cde->abde"
assert mha.output_dense.equation == "abcd,cde->abe"
assert tuple(mha.query_dense.kernel.shape) == (16, 2, 8)
assert tuple(mha.output_dense.kernel.shape) == (2, 8, 16)

data = np.random.default_rng(7).normal(size=(3, 6, 16)).astype("float32")
reference = model.predict(data, verbose=0)
model.quantize("int8")

for projection in (mha.query_dense, mha.key_dense, mha.value_dense, mha.output_dense):
    assert projection.quantization_mode == "int8"
    assert projection._kernel.dtype == "int8"
    assert "kernel_scale" in [w.name for w in projection.weights]
quantized = model.predict(data, verbose=0)
assert quantized.shape == (3, 4)
gap = np.abs(quantized - reference).max()
assert 0 < gap < 0.05, gap
print("int8 attention block, largest change", round(float(gap), 4))
