"""Reusing parts of a functional graph (Functional API guide, "feature extraction"): a
keras.Function over intermediate KerasTensors, the same values from a feature-extraction
Model, Layer.compute_output_spec / compute_output_shape without building, metrics_names,
and the trained weights reloaded into a same-structured model with other layer names."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(2)
rng = np.random.RandomState(2)
x_a = rng.normal(size=(80, 4)).astype("float32")
x_b = rng.normal(size=(80, 4)).astype("float32")
target = (x_a.sum(1, keepdims=True) - x_b[:, :1]).astype("float32")

a = keras.Input((4,), name="a")
b = keras.Input((4,), name="b")
merged = layers.Concatenate(name="merge")([a, b])
hidden = layers.Dense(16, activation="tanh", name="hidden")(merged)
normed = layers.UnitNormalization(name="unit")(hidden)
out = layers.Dense(1, name="out")(layers.Concatenate(name="skip")([normed, merged]))
model = keras.Model([a, b], out, name="two_tower")
model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse", metrics=["mae"])
assert model.metrics_names == ["loss", "compile_metrics"]
model.fit([x_a, x_b], target, epochs=60, batch_size=16, verbose=0)
loss, mae = model.evaluate([x_a, x_b], target, verbose=0)
assert loss < 0.05, loss

# keras.Function: the same graph, re-applied to new inputs, returning intermediate values.
features = keras.Function([a, b], {"hidden": hidden, "normed": normed}, name="features")
assert [op.name for op in features.operations] == ["a", "b", "merge", "hidden", "unit"]
values = features([x_a[:5], x_b[:5]])
np.testing.assert_allclose(np.linalg.norm(np.asarray(values["normed"]), axis=-1), 1.0, rtol=1e-5)
# The same as a feature-extraction Model sharing the layers.
extractor = keras.Model(model.inputs, model.get_layer("hidden").output)
np.testing.assert_allclose(
    np.asarray(values["hidden"]), extractor.predict([x_a[:5], x_b[:5]], verbose=0), rtol=1e-5
)
shapes = features.compute_output_shape([(7, 4), (7, 4)])
assert shapes == {"hidden": (7, 16), "normed": (7, 16)}, shapes

# Output specs of single layers, without building them.
dense = layers.Dense(5)
spec = dense.compute_output_spec(keras.KerasTensor((None, 3)))
assert tuple(spec.shape) == (None, 5) and spec.dtype == "float32" and not dense.built
concat = layers.Concatenate().compute_output_spec(
    [keras.KerasTensor((None, 2)), keras.KerasTensor((None, 6))]
)
assert tuple(concat.shape) == (None, 8)

# Segment reductions in keras.ops, as a pooling of the hidden features per group.
groups = np.array([0, 0, 1, 2, 2])
pooled = ops.segment_sum(np.asarray(values["hidden"]), groups, num_segments=3)
np.testing.assert_allclose(
    np.asarray(pooled)[0], np.asarray(values["hidden"])[:2].sum(0), rtol=1e-5, atol=1e-6
)
assert np.asarray(
    ops.segment_max(np.array([1.0, 5.0, 3.0, 4.0]), np.array([0, 0, 1, 1]))
).tolist() == [
    5.0,
    4.0,
]

# Weights are saved by structure: a model built the same way with other names loads them.
model.save_weights("two_tower.weights.h5")
a2, b2 = keras.Input((4,)), keras.Input((4,))
m2 = layers.Concatenate()([a2, b2])
h2 = layers.UnitNormalization()(layers.Dense(16, activation="tanh")(m2))
twin = keras.Model([a2, b2], layers.Dense(1)(layers.Concatenate()([h2, m2])))
twin.load_weights("two_tower.weights.h5")
np.testing.assert_allclose(
    twin.predict([x_a, x_b], verbose=0), model.predict([x_a, x_b], verbose=0), rtol=1e-5
)
print("ok", round(float(loss), 5), round(float(mae), 5))
