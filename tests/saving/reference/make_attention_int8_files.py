"""Write the Keras-3 reference files of an attention model and of an int8-quantized model,
loaded by tests/saving/test_keras_attention_int8_files.py without TensorFlow.

Run once with real Keras 3 (TensorFlow 2.16+), from the repository root:

    /path/to/tf-venv/bin/python tests/saving/reference/make_attention_int8_files.py

- ``attention.keras``: Embedding -> MultiHeadAttention (self-attention) -> LayerNormalization
  -> GlobalAveragePooling1D -> Dense, trained one step with Adam.
- ``int8.keras``: Embedding -> EinsumDense -> Dense(relu) -> Dense, quantized with
  ``model.quantize("int8")`` (Keras' default int8 config in each layer's config).

``attention_int8_expected.npz`` holds the inputs and Keras' predictions.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

HERE = Path(__file__).resolve().parent
rng = np.random.default_rng(0)
keras.utils.set_random_seed(0)
L = keras.layers
expected = {}

ids = rng.integers(0, 20, (4, 6))
inputs = keras.Input((6,), dtype="int32")
h = L.Embedding(20, 8)(inputs)
h = L.MultiHeadAttention(num_heads=2, key_dim=4)(h, h)
h = L.LayerNormalization()(h)
h = L.GlobalAveragePooling1D()(h)
outputs = L.Dense(3)(h)
attention = keras.Model(inputs, outputs, name="attention")
attention.compile(optimizer="adam", loss="mse")
attention.fit(ids, rng.random((4, 3)), epochs=1, verbose=0)
attention.save(HERE / "attention.keras")
expected["attention_x"] = ids
expected["attention_y"] = attention.predict(ids, verbose=0)

inputs = keras.Input((6,), dtype="int32")
h = L.Embedding(20, 8)(inputs)
h = L.EinsumDense("abc,cde->abde", output_shape=(6, 2, 4), bias_axes="de")(h)
h = L.Reshape((6, 8))(h)
h = L.Dense(16, activation="relu")(h)
outputs = L.Dense(3)(h)
int8 = keras.Model(inputs, outputs, name="int8")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    int8.quantize("int8")
int8.save(HERE / "int8.keras")
expected["int8_x"] = ids
expected["int8_y"] = int8.predict(ids, verbose=0)

np.savez(HERE / "attention_int8_expected.npz", **expected)
print("wrote attention.keras, int8.keras, attention_int8_expected.npz")
