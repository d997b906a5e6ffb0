"""The "Save and load models" tutorial's HDF5 format: model.save("my_model.h5") writes the
whole model (architecture, weights, compile settings) and load_model reads it back."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x = np.random.default_rng(0).random((32, 6)).astype("float32")
y = (x.sum(axis=1) > 3).astype("int32")

model = tf.keras.Sequential(
    [
        tf.keras.Input((6,)),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["sparse_categorical_accuracy"],
)
model.fit(x, y, epochs=3, verbose=0)
expected = model.predict(x, verbose=0)

model.save("my_model.h5")
new_model = tf.keras.models.load_model("my_model.h5")
np.testing.assert_allclose(new_model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
assert [type(layer).__name__ for layer in new_model.layers] == ["Dense", "Dropout", "Dense"]
assert new_model.optimizer is not None
loss, accuracy = new_model.evaluate(x, y, verbose=0)  # compiled from the file
np.testing.assert_allclose([loss, accuracy], model.evaluate(x, y, verbose=0), rtol=1e-5)
print("legacy h5 ok")
