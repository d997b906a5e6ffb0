"""Symbolic tensor names as Keras 3 gives them, and the exported signatures that use them:
a TFLite runner is called with the model's input name, as the image classification
tutorial does (`classify_lite(keras_tensor_15=img_array)`)."""

import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.backend.clear_session()

# Unnamed symbolic tensors count up in the order they are made
first = keras.Input(shape=(6, 6, 3))
assert first.name == "keras_tensor", first.name
assert first._keras_history[0].name == "input_layer"
given = keras.Input(shape=(4,), name="features")
assert given.name == "features"

flip = keras.Sequential(
    [keras.layers.RandomFlip("horizontal", input_shape=(6, 6, 3)), keras.layers.RandomZoom(0.2)]
)
assert flip.inputs[0].name == "keras_tensor_1"
assert flip.outputs[0].name == "keras_tensor_3"

classifier = keras.Sequential(
    [
        flip,
        keras.layers.Rescaling(1.0 / 255),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(3),
    ]
)
input_name = classifier.inputs[0].name
assert input_name == "keras_tensor_4", input_name

images = np.random.default_rng(7).uniform(0, 255, (2, 6, 6, 3)).astype("float32")
reference = classifier.predict(images, verbose=0)

# TFLite: the signature names the input after its symbolic tensor
tflite_bytes = tf.lite.TFLiteConverter.from_keras_model(classifier).convert()
interpreter = tf.lite.Interpreter(model_content=tflite_bytes)
assert interpreter.get_signature_list() == {
    "serving_default": {"inputs": ["keras_tensor_4"], "outputs": ["output_0"]}
}
run = interpreter.get_signature_runner("serving_default")
details = run.get_input_details()
assert list(details) == ["keras_tensor_4"]
assert details["keras_tensor_4"]["name"] == "serving_default_keras_tensor_4:0"
for row in range(2):
    lite_out = run(keras_tensor_4=images[row : row + 1])["output_0"]
    np.testing.assert_allclose(lite_out, reference[row : row + 1], rtol=1e-4, atol=1e-4)
try:
    run(input_layer=images[:1])
    raise AssertionError("a wrong input name was accepted")
except ValueError as err:
    assert "input_layer" in str(err)

# Converting made no symbolic tensors: the next Input takes the next number
after = keras.Input(shape=(1,))
assert after.name == "keras_tensor_10", after.name

# SavedModel export: the serving signature's argument has the same name
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "exported")
    inputs = keras.Input(shape=(3,))
    regressor = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    regressor.export(path, verbose=False)
    restored = tf.saved_model.load(path)
    _, kwargs = restored.signatures["serving_default"].structured_input_signature
    assert list(kwargs) == [inputs.name] == ["keras_tensor_11"], list(kwargs)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    served = restored.signatures["serving_default"](keras_tensor_11=tf.constant(x))
    (values,) = served.values()
    np.testing.assert_allclose(values.numpy(), regressor.predict(x, verbose=0), rtol=1e-5)

print("tt5_keras_tensor_names OK")
