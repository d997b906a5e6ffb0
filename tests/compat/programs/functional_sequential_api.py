"""Sequential: add, summary, get_layer by name and index, pop, layer outputs."""

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(0)
layers = keras.layers

model = keras.Sequential(name="stack")
model.add(keras.Input(shape=(4,)))
model.add(layers.Dense(8, activation="relu", name="first"))
model.add(layers.Dense(6, activation="relu", name="second"))
model.add(layers.Dense(3, name="third"))

assert len(model.layers) == 3  # the Input is not a layer of a Sequential model
assert model.get_layer("second") is model.layers[1]
assert model.get_layer(index=0).name == "first"
assert tuple(model.get_layer("third").output.shape) == (None, 3)
assert tuple(model.output_shape) == (None, 3)
assert model.count_params() == (4 * 8 + 8) + (8 * 6 + 6) + (6 * 3 + 3)

lines = []
model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
text = "\n".join(lines)
for name in ("first", "second", "third"):
    assert name in text
assert "Total params" in text and f"{model.count_params():,}" in text

try:
    model.get_layer("missing")
except ValueError as exc:
    assert "missing" in str(exc)
else:
    raise AssertionError("get_layer found a layer that does not exist")

removed = model.pop()
assert removed.name == "third" and len(model.layers) == 2
assert tuple(model.output_shape) == (None, 6)
x = np.ones((2, 4), dtype="float32")
assert model.predict(x, verbose=0).shape == (2, 6)

model.add(layers.Dense(1, name="new_head"))
assert tuple(model.output_shape) == (None, 1)
assert tuple(model(x).shape) == (2, 1)
assert [layer.name for layer in model.layers] == ["first", "second", "new_head"]
print("ok")
