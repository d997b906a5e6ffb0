"""The functional API: Input, layers called on tensors, Model(inputs, outputs), fit and predict."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 8)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int64")

inputs = keras.Input(shape=(8,), name="features")
assert tuple(inputs.shape) == (None, 8)
hidden = keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
assert tuple(hidden.shape) == (None, 16)
outputs = keras.layers.Dense(2, activation="softmax", name="probs")(hidden)
model = keras.Model(inputs=inputs, outputs=outputs, name="basics")

assert model.name == "basics"
assert [layer.name for layer in model.layers] == ["features", "hidden", "probs"]
assert isinstance(model.layers[0], keras.layers.InputLayer)
assert model.count_params() == 8 * 16 + 16 + 16 * 2 + 2
assert model.output_names == ["probs"]

lines = []
model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
text = "\n".join(lines)
assert "hidden" in text and "probs" in text and "Total params" in text

model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
assert history.history["accuracy"][-1] > 0.9, history.history["accuracy"][-1]

probs = model.predict(x[:5], verbose=0)
assert probs.shape == (5, 2)
np.testing.assert_allclose(probs.sum(axis=1), np.ones(5), rtol=1e-5)
np.testing.assert_allclose(model(x[:5]).numpy(), probs, rtol=1e-5, atol=1e-6)

# The same layers, called by hand, give the model's result.
manual = model.get_layer("probs")(model.get_layer("hidden")(tf.constant(x[:5])))
np.testing.assert_allclose(manual.numpy(), probs, rtol=1e-5, atol=1e-6)
print("ok")
