"""Architecture as JSON (to_json / model_from_json), get_config / from_config, clone_model."""

import json

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(0)
layers = keras.layers

inputs = keras.Input(shape=(6,), name="in")
a = layers.Dense(4, activation="relu", name="branch_a")(inputs)
b = layers.Dense(4, activation="tanh", name="branch_b")(inputs)
merged = layers.Concatenate(name="merge")([a, b])
outputs = layers.Dense(2, name="out")(merged)
model = keras.Model(inputs, outputs, name="two_branches")

text = model.to_json()
spec = json.loads(text)
assert spec["class_name"] == "Functional"
assert [layer["name"] for layer in spec["config"]["layers"]] == [
    "in",
    "branch_a",
    "branch_b",
    "merge",
    "out",
]

rebuilt = keras.models.model_from_json(text)
assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]
assert rebuilt.count_params() == model.count_params()
rebuilt.set_weights(model.get_weights())
x = np.random.default_rng(0).normal(size=(3, 6)).astype("float32")
np.testing.assert_allclose(
    rebuilt.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6
)

from_config = keras.Model.from_config(model.get_config())
assert from_config.name == "two_branches" and len(from_config.layers) == 5

# clone_model: same architecture, new weights.
clone = keras.models.clone_model(model)
assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
assert not np.allclose(clone.get_layer("out").kernel.numpy(), model.get_layer("out").kernel.numpy())
clone.set_weights(model.get_weights())
np.testing.assert_allclose(
    clone.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6
)

sequential = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3), layers.Dense(1)])
seq_clone = keras.models.model_from_json(sequential.to_json())
assert isinstance(seq_clone, keras.Sequential) and len(seq_clone.layers) == 2
assert tuple(seq_clone.output_shape) == (None, 1)
print("ok")
