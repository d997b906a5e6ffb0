"""A registered custom layer in a functional model, saved to .keras and loaded back."""

import numpy as np
import tensorflow as tf
from tensorflow import keras


@keras.utils.register_keras_serializable(package="compat")
class ScaledDense(keras.layers.Layer):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer="glorot_uniform"
        )

    def call(self, inputs):
        return self.scale * tf.matmul(inputs, self.kernel)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "scale": self.scale}


assert keras.utils.get_registered_name(ScaledDense) == "compat>ScaledDense"
assert keras.utils.get_custom_objects()["compat>ScaledDense"] is ScaledDense

keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(5,))
x = ScaledDense(8, scale=0.5)(inputs)
x = keras.layers.Activation("relu")(x)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")

rng = np.random.default_rng(0)
data = rng.normal(size=(64, 5)).astype("float32")
target = data.sum(axis=1, keepdims=True)
model.fit(data, target, epochs=3, batch_size=16, verbose=0)

model.save("custom.keras")
restored = keras.models.load_model("custom.keras")
assert isinstance(restored.layers[1], ScaledDense) and restored.layers[1].scale == 0.5
np.testing.assert_allclose(
    restored.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6, atol=1e-6
)
assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 12

# custom_objects works too, and weights alone round-trip under Keras' file name.
again = keras.models.load_model(
    "custom.keras", custom_objects={"ScaledDense": ScaledDense}, compile=False
)
np.testing.assert_allclose(
    again.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6, atol=1e-6
)
model.save_weights("model.weights.h5")
fresh = keras.Model.from_config(model.get_config())
fresh.load_weights("model.weights.h5")
np.testing.assert_allclose(
    fresh.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6, atol=1e-6
)
print("ok")
