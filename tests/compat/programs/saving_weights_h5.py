"""save_weights / load_weights with Keras' .weights.h5 file, between two functional models."""

import numpy as np
import tensorflow as tf
from tensorflow import keras


def build():
    a = keras.Input(shape=(5,), name="a")
    b = keras.Input(shape=(3,), name="b")
    h = keras.layers.Concatenate()([keras.layers.Dense(4, activation="tanh")(a), b])
    return keras.Model([a, b], keras.layers.Dense(2)(h))


tf.random.set_seed(1)
rng = np.random.default_rng(1)
xa, xb = rng.random((6, 5)).astype("float32"), rng.random((6, 3)).astype("float32")
source = build()
source.save_weights("source.weights.h5")

target = build()
before = target([xa, xb]).numpy()
target.load_weights("source.weights.h5")
after = target([xa, xb]).numpy()
np.testing.assert_allclose(after, source([xa, xb]).numpy(), rtol=1e-6, atol=1e-6)
assert not np.allclose(before, after)

# A model of another shape refuses the file.
other = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(7)])
try:
    other.load_weights("source.weights.h5")
except ValueError:
    pass
else:
    raise AssertionError("loading weights of another architecture must fail")
print("ok")
