"""Write the Keras-3 files of a bfloat16 layer that tests/saving/test_bfloat16_weights.py
loads without TensorFlow. Run once with real Keras 3, from the repository root:

    /path/to/tf-venv/bin/python tests/saving/reference/make_bfloat16_files.py

``bfloat16_dense.weights.h5`` and ``bfloat16_dense.keras``: Input(3) -> Dense(2,
dtype="bfloat16") with a fixed kernel (Keras stores bfloat16 as an opaque 2-byte HDF5 type
marked with the attribute dtype="bfloat16").
"""

from __future__ import annotations

from pathlib import Path

import tensorflow as tf
from tensorflow import keras

OUT = Path(__file__).parent

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, dtype="bfloat16")])
model.layers[0].kernel.assign(tf.cast([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], tf.bfloat16))
model.layers[0].bias.assign(tf.cast([0.25, -1.5], tf.bfloat16))
model.save_weights(OUT / "bfloat16_dense.weights.h5")
model.save(OUT / "bfloat16_dense.keras")
