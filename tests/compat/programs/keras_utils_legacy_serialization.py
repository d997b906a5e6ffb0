"""keras.utils.legacy: tf.keras 2 style serialize_keras_object / deserialize_keras_object
({"class_name", "config"}, classes found through module_objects)."""

from tensorflow import keras

legacy = keras.utils.legacy
d = legacy.serialize_keras_object(keras.layers.Dense(3, name="d"))
assert d["class_name"] == "Dense" and d["config"]["units"] == 3 and "module" not in d
layer = legacy.deserialize_keras_object(d, module_objects={"Dense": keras.layers.Dense})
assert isinstance(layer, keras.layers.Dense) and layer.units == 3
init = legacy.deserialize_keras_object(
    legacy.serialize_keras_object(keras.initializers.Constant(2.0)),
    module_objects=vars(keras.initializers),
)
assert float(init((1,))[0]) == 2.0
try:
    legacy.deserialize_keras_object(d)
except ValueError as e:
    assert "Unknown object: 'Dense'" in str(e), e
else:
    raise AssertionError
assert legacy.serialize_keras_object(None) is None
print("legacy ok")
