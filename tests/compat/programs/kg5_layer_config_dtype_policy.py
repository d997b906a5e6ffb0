"""get_config()["dtype"] is a serialized DTypePolicy in Keras 3 (Dense, Conv2D, a user layer,
a Sequential model), while InputLayer keeps a plain dtype name; from_config takes either."""

import json

import tensorflow as tf

keras = tf.keras


def policy(name):
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": name},
        "registered_name": None,
    }


assert keras.layers.Dense(4).get_config()["dtype"] == policy("float32")
assert keras.layers.Conv2D(2, 3, dtype="float64").get_config()["dtype"] == policy("float64")
mixed = keras.layers.Dense(3, dtype="mixed_float16")
assert mixed.get_config()["dtype"] == policy("mixed_float16")


class Doubler(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


assert Doubler(name="twice").get_config()["dtype"] == policy("float32")

# from_config: the serialized policy or a plain name (configs written by older versions)
again = keras.layers.Dense.from_config(mixed.get_config())
assert again.compute_dtype == "float16" and again.variable_dtype == "float32"
old_style = dict(keras.layers.Dense(3).get_config(), dtype="float64")
assert keras.layers.Dense.from_config(old_style).dtype == "float64"

model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, name="head")])
config = model.get_config()
assert config["dtype"] == policy("float32")
assert config["layers"][0]["class_name"] == "InputLayer"
assert config["layers"][0]["config"]["dtype"] == "float32"
assert config["layers"][1]["config"]["dtype"] == policy("float32")
json.dumps(config)  # still plain JSON
rebuilt = keras.Sequential.from_config(config)
assert rebuilt.layers[0].dtype == "float32" and rebuilt.output_shape == (None, 2)

inp = keras.Input((5,))
functional = keras.Model(inp, keras.layers.Dense(2)(inp))
fconfig = functional.get_config()
assert fconfig["layers"][1]["config"]["dtype"] == policy("float32")
assert keras.Model.from_config(fconfig).count_params() == 12
print("ok")
