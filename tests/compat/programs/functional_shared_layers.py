"""Shared layers (one layer applied to two inputs) and feature extraction from layer outputs."""

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(0)
layers = keras.layers

# A siamese model: the same encoder (same weights) embeds both inputs.
encoder = layers.Dense(4, activation="tanh", name="encoder")
left = keras.Input(shape=(6,), name="left")
right = keras.Input(shape=(6,), name="right")
distance = layers.Subtract(name="diff")([encoder(left), encoder(right)])
score = layers.Dense(1, name="score")(distance)
siamese = keras.Model(inputs=[left, right], outputs=score)

assert [layer.name for layer in siamese.layers].count("encoder") == 1
assert len(siamese.trainable_weights) == 4  # encoder kernel+bias, score kernel+bias
a = np.random.default_rng(0).normal(size=(3, 6)).astype("float32")
# The same sample on both sides: the encoder's outputs cancel, leaving the score's bias.
same = siamese([a, a]).numpy()
np.testing.assert_allclose(
    same, np.zeros((3, 1)) + siamese.get_layer("score").bias.numpy(), atol=1e-6
)

# Feature extraction: a model returning every intermediate activation of another.
base = keras.Sequential(
    [
        keras.Input(shape=(6,)),
        layers.Dense(8, activation="relu", name="block1"),
        layers.Dense(5, activation="relu", name="block2"),
        layers.Dense(2, name="head"),
    ]
)
extractor = keras.Model(inputs=base.inputs, outputs=[layer.output for layer in base.layers])
features = extractor(a)
assert [tuple(f.shape) for f in features] == [(3, 8), (3, 5), (3, 2)]
np.testing.assert_allclose(features[-1].numpy(), base(a).numpy(), rtol=1e-5, atol=1e-6)

# One intermediate layer by name, as in the Keras guide.
block2 = keras.Model(inputs=base.inputs, outputs=base.get_layer(name="block2").output)
np.testing.assert_allclose(block2(a).numpy(), features[1].numpy(), rtol=1e-5, atol=1e-6)
print("ok")
