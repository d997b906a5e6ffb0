"""Keras 3 fidelity: what users print about models and layers (model.summary(), layers,
input/output, count_params, get_build_config, get_layer(index=), path)."""

import numpy as np
import tensorflow as tf

tf.keras.backend.clear_session()
layers = tf.keras.layers
a = tf.keras.Input((4,), name="a")
b = tf.keras.Input((3,), name="b")
h = layers.Dense(5, name="ha")(a)
cat = layers.Concatenate(name="cat")([h, b])
model = tf.keras.Model([a, b], [layers.Dense(1, name="o1")(cat), layers.Dense(2, name="o2")(cat)])

# model.layers: Keras' order (input layers by depth, with the layers they feed)
assert [layer.name for layer in model.layers] == ["a", "ha", "b", "cat", "o1", "o2"]
assert model.get_layer(index=1).name == "ha" and model.get_layer("cat") is model.layers[3]
for bad in (lambda: model.get_layer(index=9), lambda: model.get_layer("nope")):
    try:
        bad()
    except ValueError as error:
        assert "9" in str(error) or "nope" in str(error), error
    else:
        raise AssertionError("get_layer accepted a bad argument")

# summary: the table's rows and columns, the counts and their sizes, in one print_fn call
lines = []
model.summary(line_length=74, print_fn=lines.append)
assert len(lines) == 1
text = lines[0]
rows = [r for r in text.splitlines() if r.startswith("│")]
assert len(rows) == 6 and rows[0].split("│")[1].strip() == "a (InputLayer)"
header = [c.strip() for c in text.splitlines()[2].split("┃")[1:-1]]
assert header == ["Layer (type)", "Output Shape", "Param #", "Connected to"], header
cells = [c.strip() for c in rows[3].split("│")[1:-1]]
assert cells == ["cat (Concatenate)", "(None, 8)", "0", "ha[0][0], b[0][0]"], cells
assert [c.strip() for c in rows[1].split("│")[1:-1]][:3] == ["ha (Dense)", "(None, 5)", "25"]
assert " Total params: 52 (208.00 B)" in text and " Non-trainable params: 0 (0.00 B)" in text
assert all(len(line) == 74 for line in text.splitlines()[1:-4])  # the table's width

chain = tf.keras.Sequential(
    [tf.keras.Input((6,)), layers.Dense(8), layers.BatchNormalization(), layers.Dense(2)],
    name="chain",
)
lines = []
chain.summary(line_length=70, print_fn=lines.append)
text = lines[0]
assert text.startswith('Model: "chain"\n') and "Connected to" not in text
assert " Total params: 106 (424.00 B)" in text, text  # 56 + 32 + 18
assert " Trainable params: 90 (360.00 B)" in text and " Non-trainable params: 16 (64.00 B)" in text
chain.compile(tf.keras.optimizers.SGD(momentum=0.9), "mse")
chain.fit(np.ones((4, 6)), np.ones((4, 2)), verbose=0)
lines = []
chain.summary(print_fn=lines.append)
assert " Optimizer params: 92 (372.00 B)" in lines[0], lines[0]  # iteration, rate, 90 slots

lazy = tf.keras.Sequential([layers.Dense(3, name="d3")], name="lazy")
lines = []
lazy.summary(line_length=70, print_fn=lines.append)
row = next(r for r in lines[0].splitlines() if "d3" in r)
assert [c.strip() for c in row.split("│")[1:-1]] == ["d3 (Dense)", "?", "0 (unbuilt)"], row

# layer attributes
ha = model.get_layer("ha")
assert ha.input is a and tuple(ha.output.shape) == (None, 5)
assert ha.count_params() == 25 and model.count_params() == 52
assert ha.get_build_config() == {"input_shape": (None, 4)}
assert chain.layers[0].get_build_config() == {"input_shape": (None, 6)}
assert ha.path == "ha" and ha.kernel.path == "ha/kernel"
try:
    layers.Dense(2).count_params()
except ValueError:
    pass
else:
    raise AssertionError("count_params of an unbuilt layer")
print("ok")
