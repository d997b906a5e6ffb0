# keras.io "Neural Eikonal Solver", its model plumbing on a small scale: one Input per
# coordinate, concatenated and rescaled, a Dense body with a custom activation function
# wrapped in an inner Model that is called twice on permuted input lists (source/receiver
# swapped) and averaged by a Lambda so that T(s, r) == T(r, s), a distance factor from
# Subtract + tf.norm that makes T(s, s) == 0, a Lambda that receives a nested list
# [traveltime, [receiver inputs]], and a dict of named NumPy columns fed to fit / predict.
# (The example's tf.gradients inside a Lambda is not exercised here.)
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(5)
v_min, v_max = 1.0, 3.0


def bump(z):
    return tf.math.exp(-(z**2))


sources = [layers.Input(shape=(1,), name=f"source_coord_{i}") for i in range(2)]
receivers = [layers.Input(shape=(1,), name=f"receiver_coord_{i}") for i in range(2)]
source_xy = layers.Concatenate(name="source_coords")(sources)
receiver_xy = layers.Concatenate(name="receiver_coords")(receivers)
both = layers.Concatenate(name="both")([source_xy, receiver_xy])
hidden = layers.Rescaling(0.5, name="scaled")(both)
for _ in range(2):
    hidden = layers.Dense(8, activation=bump, kernel_initializer="he_normal")(hidden)
raw = layers.Dense(1, activation="sigmoid")(hidden)
one_way = keras.Model(sources + receivers, raw, name="one_way")

forward = one_way(sources + receivers)
backward = one_way(receivers + sources)
symmetric = layers.Lambda(lambda pair: 0.5 * (pair[0] + pair[1]), name="reciprocity")(
    [forward, backward]
)
bounded = layers.Lambda(lambda t: (1 / v_min - 1 / v_max) * t + 1 / v_max, name="bounds")(symmetric)
offset = layers.Subtract(name="offset")([receiver_xy, source_xy])
distance = layers.Lambda(lambda d: tf.norm(d, axis=-1, keepdims=True), name="distance")(offset)
traveltime = layers.Multiply(name="traveltime")([bounded, distance])
# a nested list reaches the Lambda as [tensor, [tensor, tensor]]
weighted = layers.Lambda(lambda parts: parts[0] * (1.0 + parts[1][0] - parts[1][1]), name="mix")(
    [traveltime, receivers]
)
assert traveltime.shape == (None, 1) and weighted.shape == (None, 1)

time_model = keras.Model(sources + receivers, traveltime, name="traveltime_model")
train_model = keras.Model(sources + receivers, weighted, name="train_model")
assert [layer.name for layer in time_model.layers].count("one_way") == 1
assert len(one_way.trainable_weights) == 6 and len(train_model.trainable_weights) == 6

rng = np.random.default_rng(5)
n = 48
columns = {
    name: rng.uniform(0.0, 1.0, n)
    for name in ["source_coord_0", "source_coord_1", "receiver_coord_0", "receiver_coord_1"]
}
straight = (
    np.hypot(
        columns["receiver_coord_0"] - columns["source_coord_0"],
        columns["receiver_coord_1"] - columns["source_coord_1"],
    )
    / 2.0
)
train_model.compile(optimizer=keras.optimizers.Adam(learning_rate=5e-3), loss="mae")
history = train_model.fit(columns, straight, batch_size=16, epochs=3, verbose=0)
assert len(history.history["loss"]) == 3

times = time_model.predict(columns, batch_size=32, verbose=0)
assert times.shape == (n, 1) and (times >= 0).all()
# the distance factor bounds the time between distance / v_max and distance / v_min
dist = np.hypot(
    columns["receiver_coord_0"] - columns["source_coord_0"],
    columns["receiver_coord_1"] - columns["source_coord_1"],
)[:, None]
assert (times <= dist / v_min + 1e-5).all() and (times >= dist / v_max - 1e-5).all()
# reciprocity: swapping source and receiver gives the same time
swapped = {
    "source_coord_0": columns["receiver_coord_0"],
    "source_coord_1": columns["receiver_coord_1"],
    "receiver_coord_0": columns["source_coord_0"],
    "receiver_coord_1": columns["source_coord_1"],
}
np.testing.assert_allclose(time_model.predict(swapped, verbose=0), times, atol=1e-6)
# the boundary condition: zero time from a point to itself
here = dict(columns, receiver_coord_0=columns["source_coord_0"])
here["receiver_coord_1"] = columns["source_coord_1"]
np.testing.assert_allclose(time_model.predict(here, verbose=0), 0.0, atol=1e-7)
# the nested-list Lambda on eager values
order = ["source_coord_0", "source_coord_1", "receiver_coord_0", "receiver_coord_1"]
mixed = train_model([tf.constant(columns[name][:4, None], tf.float32) for name in order])
assert tuple(mixed.shape) == (4, 1)
print("ok")
