"""A custom layer: add_weight in build, call, get_config / from_config, compute_output_shape."""

import numpy as np
import tensorflow as tf
from tensorflow import keras


class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            name="w",
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros", trainable=True)
        self.total = self.add_weight(name="total", shape=(), initializer="zeros", trainable=False)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


keras.utils.set_random_seed(0)
layer = Linear(4, name="linear")
assert not layer.built
x = tf.ones((2, 3))
y = layer(x)
assert layer.built and tuple(y.shape) == (2, 4)
assert len(layer.weights) == 3 and len(layer.trainable_weights) == 2
assert len(layer.non_trainable_weights) == 1
np.testing.assert_allclose(
    y.numpy(), np.ones((2, 3)) @ layer.w.numpy() + layer.b.numpy(), rtol=1e-5, atol=1e-6
)
assert layer.compute_output_shape((None, 3)) == (None, 4)

config = layer.get_config()
assert config["units"] == 4 and config["name"] == "linear"
clone = Linear.from_config(config)
assert clone.units == 4 and not clone.built

# Inside a functional model, and trained by fit.
inputs = keras.Input(shape=(3,))
outputs = Linear(1)(keras.layers.Dense(8, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
assert tuple(model.output_shape) == (None, 1)
rng = np.random.default_rng(0)
data = rng.normal(size=(128, 3)).astype("float32")
target = data @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")
model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
history = model.fit(data, target, epochs=30, batch_size=32, verbose=0)
assert history.history["loss"][-1] < 0.2 * history.history["loss"][0], history.history["loss"]
print("ok")
