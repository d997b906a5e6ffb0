"""Saving and configs as the keras.io saving guide uses them: a registered custom layer and
activation in a .keras file, a subclassed model that loads only with its class given,
initializer configs with Keras 3.15's fan axes, and weights moved between a functional and
a subclassed model."""

import keras
import numpy as np

keras.utils.set_random_seed(5)


@keras.saving.register_keras_serializable(package="KioLayers")
class Scale(keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="kio", name="cube")
def cube(x):
    return x * x * x


assert keras.saving.get_registered_name(Scale) == "KioLayers>Scale"
assert keras.saving.get_registered_name(cube) == "kio>cube"
inputs = keras.Input(shape=(4,))
outputs = keras.layers.Dense(2, activation=cube)(Scale(0.5)(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="rmsprop", loss="mse")
data = np.random.default_rng(5).uniform(size=(8, 4)).astype("float32")
model.fit(data, np.zeros((8, 2), "float32"), verbose=0)
model.save("registered.keras")
loaded = keras.models.load_model("registered.keras")
np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0), 1e-6)
layer_config = model.get_config()["layers"][1]
assert (layer_config["class_name"], layer_config["registered_name"]) == ("Scale", "KioLayers>Scale")
assert model.get_config()["layers"][2]["config"]["activation"] == {
    "module": "builtins",
    "class_name": "function",
    "config": "kio>cube",
    "registered_name": "function",
}

# initializers write Keras 3.15's fan axes (None unless given)
kernel_init = keras.layers.Dense(3).get_config()["kernel_initializer"]
assert kernel_init == {
    "module": "keras.initializers",
    "class_name": "GlorotUniform",
    "config": {"seed": None, "input_axes": None, "output_axes": None},
    "registered_name": None,
}
he = keras.initializers.HeUniform(seed=2, input_axes=[0], output_axes=[1, 2])
assert keras.initializers.HeUniform.from_config(he.get_config()).get_config() == {
    "seed": 2,
    "input_axes": [0],
    "output_axes": [1, 2],
}
kernel = keras.ops.convert_to_numpy(he((6, 2, 3)))
assert np.abs(kernel).max() <= np.sqrt(6.0 / 6)  # fan_in 6 from axis 0 (not 2 * 6)


class ThreeDense(keras.Model):
    def __init__(self, width, name=None):
        super().__init__(name=name)
        self.width = width
        self.first = keras.layers.Dense(8, activation="relu")
        self.last = keras.layers.Dense(width)

    def call(self, x):
        return self.last(self.first(x))

    def get_config(self):
        return {"width": self.width, "name": self.name}


functional_in = keras.Input(shape=(4,))
functional = keras.Model(
    functional_in, keras.layers.Dense(3)(keras.layers.Dense(8, activation="relu")(functional_in))
)
sub = ThreeDense(3)
sub(np.ones((1, 4), "float32"))
sub.set_weights(functional.get_weights())
np.testing.assert_allclose(sub.predict(data, verbose=0), functional.predict(data, verbose=0), 1e-6)
sub.save("sub.keras")
try:
    keras.models.load_model("sub.keras")
except TypeError as error:  # neither registered nor passed: Keras cannot locate the class
    assert "ThreeDense" in str(error)
else:
    raise AssertionError("loading an unregistered subclassed model should fail")
with keras.saving.custom_object_scope({"ThreeDense": ThreeDense}):
    again = keras.models.load_model("sub.keras")
assert isinstance(again, ThreeDense) and again.width == 3
np.testing.assert_allclose(again.predict(data, verbose=0), sub.predict(data, verbose=0), 1e-6)
print("kio_saving_configs: ok")
