"""What the image/regression tutorials do with tensors and small models: NumPy reductions of a
tensor, a model whose outputs are a one-item list, a fixed-batch Input fed other batch sizes."""

import numpy as np
import tensorflow as tf

# images/classification: print(np.min(first_image), np.max(first_image)) on a rescaled batch.
images = tf.constant(np.arange(2 * 4 * 4 * 3, dtype="float32").reshape(2, 4, 4, 3))
scaled = tf.keras.layers.Rescaling(1.0 / 255)(images)
first = scaled[0]
low, high = np.min(first), np.max(first)
assert type(low) is np.float32 and type(high) is np.float32, (type(low), type(high))
assert low == 0.0 and abs(high - 47 / 255) < 1e-6
assert type(np.mean(first)) is np.float32 and type(np.sum(first)) is np.float32
per_channel = np.max(scaled, axis=(0, 1, 2))
assert type(per_channel) is np.ndarray and per_channel.shape == (3,)
assert np.argmax(tf.constant([0.1, 0.7, 0.2])) == 1
assert f"{np.max(tf.constant([0.25, 0.5])):.2f}" == "0.50"

# A functional model with outputs=[...] of one item returns that tensor, not a list.
inputs = tf.keras.Input(shape=(3,))
hidden = tf.keras.layers.Dense(4, activation="relu")(inputs)
outputs = tf.keras.layers.Dense(2)(hidden)
model = tf.keras.Model(inputs=[inputs], outputs=[outputs])
x = np.random.RandomState(0).rand(5, 3).astype("float32")
y = model(x)
assert not isinstance(y, (list, tuple)) and tuple(y.shape) == (5, 2)
assert model.output_shape == (None, 2)
assert isinstance(model.outputs, list) and len(model.outputs) == 1
pred = model.predict(x, verbose=0)
assert isinstance(pred, np.ndarray) and pred.shape == (5, 2)
np.testing.assert_allclose(pred, y.numpy(), rtol=1e-5, atol=1e-6)
model.compile(optimizer="adam", loss="mse")
history = model.fit(x, np.zeros((5, 2), "float32"), epochs=2, verbose=0)
assert len(history.history["loss"]) == 2
pair = tf.keras.Model(inputs, [hidden, outputs])
assert isinstance(pair(x), list) and pair.output_shape == [(None, 4), (None, 2)]

# Input(batch_shape=...) fixes the batch size of the graph, not of the data it takes.
fixed = tf.keras.Input(batch_shape=(8, 3))
fixed_model = tf.keras.Model(fixed, tf.keras.layers.Dense(1)(fixed))
assert fixed_model.input_shape == (8, 3)
assert tuple(fixed_model(x).shape) == (5, 1)
try:
    fixed_model(np.zeros((2, 4), "float32"))
    raise AssertionError("a wrong feature size was accepted")
except ValueError:
    pass

# A Sequential built from its first batch takes an input-layer and a model name, as the
# transfer-learning summaries show (the base model's input is then input_layer_1).
tf.keras.backend.clear_session()
augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal")])
augment(np.zeros((1, 4, 4, 3), "float32"))
image_in = tf.keras.Input(shape=(4, 4, 3))
head = tf.keras.Model(image_in, tf.keras.layers.GlobalAveragePooling2D()(image_in))
assert head.name == "functional_1", head.name
assert head.layers[0].name == "input_layer_1", head.layers[0].name
print("ok")
