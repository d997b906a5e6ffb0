# keras.io "Reproducibility in Keras models": keras.utils.set_random_seed seeds Python,
# NumPy and the backend; tf.config.experimental.enable_op_determinism asks for
# deterministic kernels. Two identical runs (build, train with dropout and shuffling)
# give identical weights and losses; a different seed gives different ones; layers with an
# explicit seed initialize the same whatever the global seed.
import random

import keras
import numpy as np
import tensorflow as tf

tf.config.experimental.enable_op_determinism()


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 8)).astype("float32")
    y = (x[:, :1] * 2.0 - x[:, 1:2] + 0.1 * rng.normal(size=(128, 1))).astype("float32")
    return x, y


def run(seed):
    keras.utils.set_random_seed(seed)
    draws = (random.random(), float(np.random.rand()), float(tf.random.uniform(()).numpy()))
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x, y = data()
    hist = model.fit(x, y, epochs=3, batch_size=16, shuffle=True, verbose=0)
    return draws, model.get_weights(), hist.history["loss"]


d1, w1, l1 = run(42)
d2, w2, l2 = run(42)
d3, w3, l3 = run(43)

assert d1 == d2, (d1, d2)  # Python, NumPy and TF generators were all reseeded
assert d1[0] != d3[0] and d1[1] != d3[1]
for a, b in zip(w1, w2):
    np.testing.assert_array_equal(a, b)
assert l1 == l2, (l1, l2)
assert any(not np.array_equal(a, b) for a, b in zip(w1, w3))
assert l1 != l3

# the model learned something in each run
assert l1[-1] < l1[0]

# an initializer with an explicit seed gives the same values under any global seed
keras.utils.set_random_seed(1)
a = keras.initializers.GlorotUniform(seed=5)((4, 3))
keras.utils.set_random_seed(2)
b = keras.initializers.GlorotUniform(seed=5)((4, 3))
np.testing.assert_array_equal(np.asarray(a), np.asarray(b))

# a seeded Dropout layer drops the same units for the same seed
x = np.ones((4, 10), "float32")
m1 = keras.layers.Dropout(0.5, seed=3)(x, training=True)
m2 = keras.layers.Dropout(0.5, seed=3)(x, training=True)
np.testing.assert_array_equal(np.asarray(m1), np.asarray(m2))
vals = set(np.unique(np.asarray(m1)).tolist())
assert vals <= {0.0, 2.0} and len(vals) == 2, vals
print("losses", l1)
