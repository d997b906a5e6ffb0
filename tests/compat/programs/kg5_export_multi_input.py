"""model.export of a functional model with two inputs: the reloaded `serve` endpoint takes
the list of inputs and the serving_default signature one keyword per named Input."""

import os
import tempfile

import numpy as np
import tensorflow as tf

keras = tf.keras

left = keras.Input((3,), name="left")
right = keras.Input((2,), name="right")
joined = keras.layers.Concatenate()([left, right])
model = keras.Model([left, right], keras.layers.Dense(1, name="score")(joined))
kernel = np.arange(5, dtype="float32").reshape(5, 1) / 10.0
model.get_layer("score").set_weights([kernel, np.array([0.5], "float32")])

a = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]], "float32")
b = np.array([[1.0, 1.0], [2.0, 0.0]], "float32")
expected = np.concatenate([a, b], axis=1) @ kernel + 0.5

path = os.path.join(tempfile.mkdtemp(), "two_inputs")
model.export(path, verbose=False)
restored = tf.saved_model.load(path)

served = restored.serve([tf.constant(a), tf.constant(b)])
np.testing.assert_allclose(served.numpy(), expected, rtol=1e-6)

infer = restored.signatures["serving_default"]
args, kwargs = infer.structured_input_signature
assert args == () and sorted(kwargs) == ["left", "right"]
assert tuple(kwargs["left"].shape) == (None, 3) and kwargs["right"].dtype == tf.float32
outputs = infer(left=tf.constant(a), right=tf.constant(b))
assert list(outputs) == ["output_0"]
np.testing.assert_allclose(outputs["output_0"].numpy(), expected, rtol=1e-6)
print("ok")
