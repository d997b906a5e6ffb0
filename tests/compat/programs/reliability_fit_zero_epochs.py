"""fit(epochs=0) trains nothing and returns an empty History, as Keras does."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(8, activation="relu"),
        tf.keras.layers.Dropout(0.5),
        tf.keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
before = [w.copy() for w in model.get_weights()]

history = model.fit(x, y, epochs=0, verbose=0)
assert isinstance(history, tf.keras.callbacks.History)
assert history.history == {}, history.history
for a, b in zip(before, model.get_weights()):
    np.testing.assert_array_equal(a, b)

history = model.fit(x, y, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2
print("ok")
