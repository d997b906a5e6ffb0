"""The end of the image classification tutorial: a small CNN (augmentation, Rescaling,
Conv2D, MaxPooling2D, Dropout, Flatten, Dense) trained a few steps, converted to TensorFlow
Lite, written to a file and run with the signature runner and with set_tensor / invoke."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(7)
height = width = 24
num_classes = 3

# synthetic "flowers": each class is brightest in its own colour channel
rng = np.random.RandomState(0)
labels = rng.randint(0, num_classes, 96)
images = rng.uniform(0, 120, (96, height, width, 3)).astype("float32")
images[np.arange(96), :, :, labels] += 120.0

data_augmentation = keras.Sequential([
    keras.layers.RandomFlip("horizontal"),
    keras.layers.RandomRotation(0.1),
    keras.layers.RandomZoom(0.1),
])  # fmt: skip
model = keras.Sequential([
    keras.Input((height, width, 3)),
    data_augmentation,
    keras.layers.Rescaling(1.0 / 255),
    keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Dropout(0.2),
    keras.layers.Flatten(),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(num_classes, name="outputs"),
])  # fmt: skip
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(images, labels, epochs=2, batch_size=32, verbose=0)

converter = tf.lite.TFLiteConverter.from_keras_model(model)
tflite_model = converter.convert()
assert isinstance(tflite_model, bytes) and tflite_model[4:8] == b"TFL3"
with open("model.tflite", "wb") as f:
    f.write(tflite_model)

interpreter = tf.lite.Interpreter(model_path="model.tflite")
signatures = interpreter.get_signature_list()
assert list(signatures) == ["serving_default"], signatures
assert signatures["serving_default"]["outputs"] == ["output_0"], signatures
(input_name,) = signatures["serving_default"]["inputs"]

classify_lite = interpreter.get_signature_runner("serving_default")
img_array = images[:1]
predictions_lite = classify_lite(**{input_name: img_array})["output_0"]
predictions = model.predict(img_array, verbose=0)
assert predictions_lite.shape == (1, num_classes)
np.testing.assert_allclose(predictions_lite, predictions, rtol=1e-5, atol=1e-5)
score_lite = tf.nn.softmax(predictions_lite)
score = tf.nn.softmax(predictions)
assert np.argmax(score_lite) == np.argmax(score)
np.testing.assert_allclose(np.sum(score_lite), 1.0, rtol=1e-5)

# the classic API: allocate_tensors / set_tensor / invoke / get_tensor, on a batch of 5
interpreter = tf.lite.Interpreter(model_content=tflite_model)
input_details = interpreter.get_input_details()
output_details = interpreter.get_output_details()
assert input_details[0]["dtype"] == np.float32
assert list(input_details[0]["shape"]) == [1, height, width, 3]
assert list(input_details[0]["shape_signature"]) == [-1, height, width, 3]
assert input_details[0]["quantization"] == (0.0, 0)
interpreter.resize_tensor_input(input_details[0]["index"], [5, height, width, 3])
interpreter.allocate_tensors()
interpreter.set_tensor(input_details[0]["index"], images[:5])
interpreter.invoke()
output = interpreter.get_tensor(output_details[0]["index"])
np.testing.assert_allclose(output, model.predict(images[:5], verbose=0), rtol=1e-5, atol=1e-5)
print("ok")
