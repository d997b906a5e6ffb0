"""The Sequential model guide: add/pop, deferred build, feature extraction, freezing."""

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(1)

# A Sequential model with no Input is not built and has no weights.
model = keras.Sequential(name="my_sequential")
model.add(layers.Dense(2, activation="relu", name="layer1"))
model.add(layers.Dense(3, activation="relu", name="layer2"))
model.add(layers.Dense(4, name="layer3"))
assert not model.built
assert model.weights == []
assert len(model.layers) == 3

# pop() removes the last layer.
model.pop()
assert len(model.layers) == 2
assert [lyr.name for lyr in model.layers] == ["layer1", "layer2"]

# Calling it on data builds it: weights appear.
x = tf.ones((3, 3))
y = model(x)
assert y.shape == (3, 3)
assert len(model.weights) == 4
assert model.layers[0].kernel.shape == (3, 2)

# A Dense layer alone creates its weights on first call.
layer = layers.Dense(3)
assert layer.weights == []
layer(tf.ones((1, 4)))
assert len(layer.weights) == 2

# With an Input, the model is built right away and has a summary.
model2 = keras.Sequential()
model2.add(keras.Input(shape=(4,)))
model2.add(layers.Dense(2, activation="relu"))
assert model2.built
assert len(model2.weights) == 2
assert [lyr.__class__.__name__ for lyr in model2.layers] == ["Dense"]  # Input is not a layer here
lines = []
model2.summary(print_fn=lambda s, **kw: lines.append(s))
text = "\n".join(lines)
assert "Total params: 10" in text, text

# Adding layers after the model is built keeps it working.
model2.add(layers.Dense(5))
assert model2(np.ones((2, 4), "float32")).shape == (2, 5)
assert model2.output_shape == (None, 5)

# A common debugging workflow: add + summary; output shapes known as we go.
m = keras.Sequential([keras.Input(shape=(32, 32, 3))])
m.add(layers.Conv2D(4, 5, strides=2, activation="relu"))
m.add(layers.Conv2D(4, 3, activation="relu"))
m.add(layers.MaxPooling2D(3))
assert m.output_shape == (None, 4, 4, 4), m.output_shape
m.add(layers.GlobalMaxPooling2D())
m.add(layers.Dense(10))
assert m.output_shape == (None, 10)

# Feature extraction with a Sequential model: every intermediate output.
extractor = keras.Model(inputs=m.inputs, outputs=[layer.output for layer in m.layers])
images = np.random.RandomState(0).rand(2, 32, 32, 3).astype("float32")
features = extractor(images)
assert len(features) == 5
assert tuple(features[0].shape) == (2, 14, 14, 4)
np.testing.assert_allclose(features[-1], m(images), rtol=1e-5, atol=1e-6)

# Only one intermediate layer's output, found by name.
m2 = keras.Sequential(
    [
        keras.Input(shape=(8,)),
        layers.Dense(6, activation="relu"),
        layers.Dense(5, activation="relu", name="my_intermediate_layer"),
        layers.Dense(2),
    ]
)
feat = keras.Model(inputs=m2.inputs, outputs=m2.get_layer(name="my_intermediate_layer").output)
v = np.ones((3, 8), "float32")
mid = feat(v)
assert tuple(mid.shape) == (3, 5)
expected = m2.layers[1](m2.layers[0](v))
np.testing.assert_allclose(mid, expected, rtol=1e-6)
assert m2.get_layer(index=2) is m2.layers[2]

# Transfer learning: freeze all layers except the last.
tl = keras.Sequential(
    [
        keras.Input(shape=(8,)),
        layers.Dense(6, activation="relu"),
        layers.Dense(6, activation="relu"),
        layers.Dense(1),
    ]
)
for layer in tl.layers[:-1]:
    layer.trainable = False
assert len(tl.trainable_weights) == 2
assert len(tl.non_trainable_weights) == 4
frozen = [w.numpy().copy() for w in tl.layers[0].weights]
last = tl.layers[-1].kernel.numpy().copy()
tl.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
data = np.random.RandomState(2).rand(16, 8).astype("float32")
tl.fit(data, data.sum(1, keepdims=True), epochs=2, batch_size=8, verbose=0)
for before, after in zip(frozen, tl.layers[0].weights):
    np.testing.assert_array_equal(before, after.numpy())
assert not np.allclose(last, tl.layers[-1].kernel.numpy())

# Freezing the base model as a whole.
base = keras.Sequential([keras.Input((8,)), layers.Dense(4)], name="base")
base.trainable = False
head = keras.Sequential([base, layers.Dense(1)])
assert len(head.trainable_weights) == 2
assert all(not lyr.trainable for lyr in base.layers)
head(np.ones((1, 8)))
assert len(head.weights) == 4

print("guide_sequential_model_details: OK")
