"""Inspecting and rebuilding a model from its config, as Keras 3 writes it: the symbolic
input's shape is a tuple, Sequential lists its InputLayer and build_input_shape, layer configs
hold tuples and the activity_regularizer key, stateless layers are built at creation, weights
report their dtype by name, and to_categorical gives float64 labels."""

import json

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(7)

# The symbolic input: its shape is a plain tuple, so tuple arithmetic works on it.
inputs = keras.Input((6, 6, 1), name="pixels")
assert inputs.shape == (None, 6, 6, 1) and type(inputs.shape) is tuple
assert inputs.shape[1:] + (1,) == (6, 6, 1, 1)
assert tf.TensorShape(inputs.shape).as_list() == [None, 6, 6, 1]

# Stateless layers are built as soon as they are made; layers with weights are not.
drop = keras.layers.Dropout(0.25)
act = keras.layers.Activation("relu")
pool = keras.layers.MaxPooling2D()
assert drop.built and act.built and pool.built
assert not keras.layers.Dense(2).built and not keras.layers.Flatten().built

model = keras.Sequential(
    [
        inputs,
        keras.layers.Conv2D(4, 3, padding="same", name="conv"),
        act,
        pool,
        drop,
        keras.layers.Flatten(),
        keras.layers.Dense(3, activation="softmax", name="head"),
    ],
    name="small_cnn",
)

config = model.get_config()
assert config["name"] == "small_cnn" and config["trainable"] is True
assert tuple(config["build_input_shape"]) == (None, 6, 6, 1)
names = [spec["class_name"] for spec in config["layers"]]
assert names[0] == "InputLayer" and names[1:3] == ["Conv2D", "Activation"]
assert names[3:] == ["MaxPooling2D", "Dropout", "Flatten", "Dense"]
input_entry = config["layers"][0]["config"]
assert tuple(input_entry["batch_shape"]) == (None, 6, 6, 1) and input_entry["name"] == "pixels"
assert input_entry["optional"] is False

conv_config = model.get_layer("conv").get_config()
assert conv_config["kernel_size"] == (3, 3) and conv_config["strides"] == (1, 1)
assert conv_config["dilation_rate"] == (1, 1)
assert "activity_regularizer" in conv_config and conv_config["activity_regularizer"] is None
assert pool.get_config()["pool_size"] == (2, 2)
assert "activity_regularizer" not in model.get_layer("head").get_config()  # Dense omits it
lstm_config = keras.layers.LSTM(4).get_config()
assert "activity_regularizer" in lstm_config and lstm_config["activity_regularizer"] is None

# Weights report their dtype by name, and compare equal to TensorFlow's DType too.
kernel = model.get_layer("conv").kernel
assert kernel.dtype == "float32" and kernel.dtype == tf.float32 and str(kernel.dtype) == "float32"
assert kernel.shape == (3, 3, 1, 4)
assert all(w.dtype == "float32" for w in model.weights)
assert tf.Variable(1.0).dtype == tf.float32 and tf.Variable(1.0).dtype.name == "float32"

# to_categorical: float64 one-hot rows from integer labels (NumPy's float).
x = np.random.default_rng(0).random((32, 6, 6, 1)).astype("float32")
labels = (x.mean(axis=(1, 2, 3)) * 3).astype("int64").clip(0, 2)
y = keras.utils.to_categorical(labels, num_classes=3)
assert y.dtype == np.float64 and y.shape == (32, 3)
np.testing.assert_array_equal(y.argmax(axis=1), labels)

model.compile(optimizer="adam", loss="categorical_crossentropy")
history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
assert np.isfinite(history.history["loss"]).all()

# Rebuild from the config (in memory and through JSON) and copy the weights.
expected = model.predict(x[:4], verbose=0)
for rebuilt in (
    keras.Sequential.from_config(config),
    keras.models.model_from_json(model.to_json()),
):
    assert rebuilt.built and [layer.name for layer in rebuilt.layers] == [
        layer.name for layer in model.layers
    ]
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(x[:4], verbose=0), expected, rtol=1e-5, atol=1e-6)

# A JSON round trip keeps the same layer list (tuples come back as lists).
again = json.loads(model.to_json())["config"]
assert [spec["class_name"] for spec in again["layers"]] == names
assert again["layers"][1]["config"]["kernel_size"] == [3, 3]

# A model built later (no Input) lists no InputLayer until it knows its input shape.
late = keras.Sequential([keras.layers.Dense(2)])
assert "build_input_shape" not in late.get_config() and len(late.get_config()["layers"]) == 1
late.build((None, 5))
late_config = late.get_config()
assert tuple(late_config["build_input_shape"]) == (None, 5)
assert late_config["layers"][0]["class_name"] == "InputLayer"
print("layer configs and rebuild: ok")
