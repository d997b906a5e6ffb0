"""What Keras 3 prints and serializes, as its docstrings show: keras.<kind>.serialize gives
{module, class_name, config, registered_name}, schedules keep their default names, a
KerasTensor's shape is a tuple, a Keras variable prints its path."""

import numpy as np
import tensorflow as tf

keras = tf.keras

# keras.optimizers.schedules.serialize (its docstring)
lr_schedule = keras.optimizers.schedules.ExponentialDecay(
    0.1, decay_steps=100000, decay_rate=0.96, staircase=True
)
assert keras.optimizers.schedules.serialize(lr_schedule) == {
    "module": "keras.optimizers.schedules",
    "class_name": "ExponentialDecay",
    "config": {
        "initial_learning_rate": 0.1,
        "decay_steps": 100000,
        "decay_rate": 0.96,
        "staircase": True,
        "name": "ExponentialDecay",
    },
    "registered_name": None,
}
again = keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(lr_schedule))
assert again.get_config() == lr_schedule.get_config()
np.testing.assert_allclose(float(again(200000)), 0.1 * 0.96**2, rtol=1e-6)
assert keras.optimizers.schedules.PiecewiseConstantDecay([1], [0.1, 0.01]).name == (
    "PiecewiseConstant"
)
assert keras.optimizers.schedules.InverseTimeDecay(0.1, 10, 0.5).name == "InverseTimeDecay"

# every kind's serialize writes the same four keys
for config, module, name in [
    (keras.regularizers.serialize(keras.regularizers.L2(0.1)), "keras.regularizers", "L2"),
    (keras.initializers.serialize(keras.initializers.Ones()), "keras.initializers", "Ones"),
    (keras.constraints.serialize(keras.constraints.NonNeg()), "keras.constraints", "NonNeg"),
    (keras.losses.serialize(keras.losses.Huber()), "keras.losses", "Huber"),
    (keras.metrics.serialize(keras.metrics.AUC()), "keras.metrics", "AUC"),
    (keras.optimizers.serialize(keras.optimizers.Adam()), "keras.optimizers", "Adam"),
    (keras.layers.serialize(keras.layers.Dense(3)), "keras.layers", "Dense"),
]:
    assert sorted(config) == ["class_name", "config", "module", "registered_name"], config
    assert (config["module"], config["class_name"], config["registered_name"]) == (
        module,
        name,
        None,
    )
assert keras.regularizers.serialize(keras.regularizers.L2(0.1))["config"] == {"l2": 0.1}
# the nested configs in a layer's config take the same form, and load back
dense = keras.layers.Dense(3, kernel_regularizer=keras.regularizers.L1(0.01))
nested = dense.get_config()["kernel_regularizer"]
assert nested["module"] == "keras.regularizers" and nested["class_name"] == "L1", nested
clone = keras.layers.Dense.from_config(dense.get_config())
np.testing.assert_allclose(clone.kernel_regularizer.l1, 0.01, rtol=1e-6)

# a KerasTensor's shape prints as a tuple (keras.layers.Flatten / Reshape docstrings)
x = keras.Input(shape=(10, 64))
y = keras.layers.Flatten()(x)
assert repr(y.shape) == "(None, 640)", repr(y.shape)
y = keras.layers.Reshape((3, 4))(keras.Input(shape=(12,)))
assert repr(y.shape) == "(None, 3, 4)" and y.shape == (None, 3, 4)
assert repr(keras.layers.Permute((2, 1))(x).shape) == "(None, 64, 10)"
assert "sparse=False, ragged=False" in repr(y)

# a Keras variable prints its path, shape, dtype and value
v = keras.Variable([[1.0, 2.0]], name="w")
assert repr(v) == "<Variable path=w, shape=(1, 2), dtype=float32, value=[[1. 2.]]>", repr(v)
layer = keras.layers.Dense(2, bias_initializer="ones", name="head")
layer.build((None, 3))
assert repr(layer.bias) == (
    "<Variable path=head/bias, shape=(2,), dtype=float32, value=[1. 1.]>"
), repr(layer.bias)
print("ok")
