# Keras 3's serialization guide: a custom layer whose constructor takes only plain values
# (numbers, strings, lists) saves and reloads without a get_config of its own, because
# Keras records the constructor's arguments; registered with
# register_keras_serializable, it loads without custom_objects.
import os

import keras
import numpy as np
import tensorflow as tf


@keras.saving.register_keras_serializable(package="guide")
class ScaledDense(keras.layers.Layer):
    def __init__(self, units=8, scale=1.0, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.units, self.scale = units, scale
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, x):
        return self.activation(self.scale * (tf.matmul(x, self.w) + self.b))


layer = ScaledDense(4, scale=0.5, name="scaled")
config = layer.get_config()
# every argument of the constructor, defaults included
assert config["units"] == 4 and config["scale"] == 0.5 and config["activation"] == "relu"
assert config["name"] == "scaled"
clone = ScaledDense.from_config(config)
assert clone.units == 4 and clone.scale == 0.5

keras.utils.set_random_seed(3)
inputs = keras.Input((3,))
outputs = keras.layers.Dense(1)(ScaledDense(6, scale=2.0)(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
model.fit(x, y, epochs=2, verbose=0)

path = os.path.join(os.getcwd(), "auto_config.keras")
model.save(path)
restored = keras.models.load_model(path)
assert isinstance(restored.layers[1], ScaledDense)
assert restored.layers[1].units == 6 and restored.layers[1].scale == 2.0
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
print("auto config layer: ok")
