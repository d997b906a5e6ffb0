# keras.io "Float8 Quantization-Aware Training and Inference with a simple Transformer model"
# (its model built from plain Keras layers instead of keras_hub's): a global "mixed_bfloat16"
# policy, a small
# attention classifier fed a dict keyed by the Input's name, model.quantize("float8"), the
# query projection's scale / amax_history variables found by a regex on v.path (scales 1.0,
# histories of 1024 zeros that fill one slot per training step), the float8 policies listed
# by walking model._flatten_layers(recursive=True) (a nested layer's sub-layers last first,
# as Keras walks them), and, in the same walk order, model.losses of nested add_loss layers.
import re

import keras
import numpy as np
import tensorflow as tf

keras.config.set_dtype_policy("mixed_bfloat16")


def classifier():
    ids = keras.layers.Input(shape=(None,), dtype="int32", name="input_ids")
    x = keras.layers.Embedding(40, 8)(ids)
    x = keras.layers.Dropout(0.1)(x)
    x = x + keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(x, x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    x = keras.layers.Dense(8, activation="relu", name="hidden")(x)
    out = keras.layers.Dense(1, activation="sigmoid", name="head")(x)
    return keras.Model(inputs=ids, outputs=out)


rng = np.random.default_rng(4)
tokens = rng.integers(0, 40, (12, 6)).astype("int32")
targets = rng.integers(0, 2, (12, 1))
data = tf.data.Dataset.from_tensor_slices(({"input_ids": tokens}, targets)).batch(4)

plain = classifier()
assert plain.get_layer("hidden").dtype_policy.name == "mixed_bfloat16"
assert plain.get_layer("hidden").compute_dtype == "bfloat16"
assert plain.get_layer("hidden").variable_dtype == "float32"
plain.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
plain.fit(data, epochs=1, verbose=0)
assert str(plain.predict(tokens[:2], verbose=0).dtype) == "bfloat16"

model = classifier()
model.quantize("float8")
query_state = r"(mha).+(query).+(scale|amax_history)"
found = {v.path: v for v in model.trainable_variables if re.findall(query_state, v.path)}
assert sorted(found) == sorted(
    f"mha/query/{kind}_{part}"
    for kind in ("inputs", "kernel", "outputs_grad")
    for part in ("scale", "amax_history")
)
for path, v in found.items():
    value = keras.ops.convert_to_numpy(v.value)
    assert value.dtype == np.float32
    if path.endswith("scale"):
        assert value.shape == () and float(value) == 1.0
    else:
        assert value.shape == (1024,) and not value.any()

float8 = [
    layer.name
    for layer in model._flatten_layers(recursive=True)
    if "float8" in str(layer.dtype_policy)
]
assert float8 == ["attention_output", "value", "key", "query", "hidden", "head"], float8
assert model.get_layer("hidden").dtype_policy.name == "float8_from_mixed_bfloat16"

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(data, epochs=1, verbose=0)  # three steps
for path, v in found.items():
    if path.endswith("amax_history"):
        history = keras.ops.convert_to_numpy(v.value)
        assert np.count_nonzero(history) == 3, (path, np.count_nonzero(history))
        assert (history >= 0).all()
keras.config.set_dtype_policy("float32")


class Penalty(keras.layers.Layer):
    def __init__(self, amount, **kwargs):
        super().__init__(**kwargs)
        self.amount = amount

    def call(self, x):
        self.add_loss(self.amount + 0.0 * keras.ops.sum(x))
        return x


class Stack(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.one, self.two, self.three = Penalty(1.0), Penalty(2.0), Penalty(3.0)

    def call(self, x):
        return self.three(self.two(self.one(x)))


outer = keras.Sequential([Penalty(10.0), Stack(name="stack"), Penalty(20.0)])
outer(np.ones((2, 3), "float32"))
assert [float(v) for v in outer.get_layer("stack").losses] == [1.0, 2.0, 3.0]
assert [float(v) for v in outer.losses] == [10.0, 3.0, 2.0, 1.0, 20.0]
print("ok")
