"""Save a trained model as a .keras archive, load it back, and go on training."""

import zipfile

import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(0)
rng = np.random.default_rng(0)
x = rng.random((64, 8)).astype("float32")
y = (x.sum(axis=1) > 4).astype("int32")

model = keras.Sequential(
    [
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(2, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
model.save("model.keras")

with zipfile.ZipFile("model.keras") as archive:
    names = set(archive.namelist())
assert {"config.json", "metadata.json", "model.weights.h5"} <= names, names

restored = keras.models.load_model("model.keras")
np.testing.assert_allclose(
    restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6
)
assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 8
assert [type(layer).__name__ for layer in restored.layers] == [
    "Dense",
    "BatchNormalization",
    "Dense",
]

# The optimizer state came along: one more epoch on each gives the same weights.
model.fit(x, y, epochs=1, batch_size=16, verbose=0, shuffle=False)
restored.fit(x, y, epochs=1, batch_size=16, verbose=0, shuffle=False)
for a, b in zip(model.get_weights(), restored.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)

plain = keras.models.load_model("model.keras", compile=False)
assert getattr(plain, "optimizer", None) is None
print("ok")
