"""keras.legacy.saving: tf.keras 2's {"class_name", "config"} serialization, which Keras 3
still exports for old code, next to Keras 3's own keras.saving form."""

import keras

legacy = keras.legacy.saving

l2 = keras.regularizers.L2(0.25)
old_style = legacy.serialize_keras_object(l2)
assert set(old_style) == {"class_name", "config"}, old_style
assert old_style["class_name"] == "L2"
assert abs(old_style["config"]["l2"] - 0.25) < 1e-7
new_style = keras.saving.serialize_keras_object(l2)
assert new_style["module"] == "keras.regularizers" and "registered_name" in new_style

rebuilt = legacy.deserialize_keras_object(
    {"class_name": "L2", "config": {"l2": 0.5}},
    module_objects={"L2": keras.regularizers.L2},
)
assert isinstance(rebuilt, keras.regularizers.L2) and abs(rebuilt.l2 - 0.5) < 1e-7

layer_config = legacy.serialize_keras_object(keras.layers.Dense(3, activation="relu", name="d"))
assert layer_config["class_name"] == "Dense"
assert layer_config["config"]["units"] == 3 and layer_config["config"]["activation"] == "relu"


@keras.saving.register_keras_serializable(package="kq")
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


saved = legacy.serialize_keras_object(Scale(3.0, name="scale"))
assert saved["class_name"] == "kq>Scale", saved["class_name"]
again = legacy.deserialize_keras_object(saved)
assert isinstance(again, Scale) and again.factor == 3.0 and again.name == "scale"
with keras.saving.custom_object_scope({"Scale": Scale}):
    plain = legacy.deserialize_keras_object({"class_name": "Scale", "config": {"factor": 4.0}})
assert plain.factor == 4.0
assert legacy.serialize_keras_object(None) is None

try:
    legacy.deserialize_keras_object({"class_name": "NoSuchThing", "config": {}})
except ValueError as error:
    assert "NoSuchThing" in str(error)
else:
    raise AssertionError("an unknown class must raise ValueError")
print("keras.legacy.saving ok")
