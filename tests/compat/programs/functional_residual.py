"""A residual block: two convolutions whose output is added to the block's input (layers.Add)."""

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(0)
layers = keras.layers


def residual_block(x, filters):
    shortcut = x
    y = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    y = layers.Add()([shortcut, y])
    return layers.Activation("relu")(y)


inputs = keras.Input(shape=(8, 8, 1))
x = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
x = residual_block(x, 4)
x = residual_block(x, 4)
x = layers.Flatten()(layers.AveragePooling2D(2)(x))
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)

add_layers = [layer for layer in model.layers if isinstance(layer, layers.Add)]
assert len(add_layers) == 2
assert tuple(add_layers[0].output.shape) == (None, 8, 8, 4)

rng = np.random.default_rng(0)
images = rng.normal(size=(128, 8, 8, 1)).astype("float32")
labels = (images.mean(axis=(1, 2, 3)) > 0).astype("float32")
model.compile(
    optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
)
history = model.fit(images, labels, epochs=15, batch_size=32, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["accuracy"][-1] > 0.8, history.history["accuracy"]

# A mismatched shortcut is refused when the model is defined, naming both shapes.
features = layers.Conv2D(4, 3, padding="same")(inputs)
try:
    layers.Add()([features, layers.Conv2D(3, 3, padding="same")(inputs)])
except ValueError as exc:
    assert "8, 8, 4)" in str(exc) and "8, 8, 3)" in str(exc), str(exc)
else:
    raise AssertionError("Add accepted incompatible shapes")
print("ok")
