# keras.io "FeatureSpace advanced use cases", small and synthetic: the FeatureSpace presets
# not used elsewhere (float_rescaled with scale and offset, integer_hashed,
# string_categorical with num_oov_indices, float_discretized adapted to num_bins), a
# FeatureSpace.cross of a string and a hashed integer feature, "concat" output checked column
# by column (each feature moves only its own columns), the preprocessors, the encoded
# features used to build a model, get_inputs, and raw dicts encoded and scored by a model
# that beats the majority class by a margin.
import numpy as np
import tensorflow as tf
from keras.utils import FeatureSpace
from tensorflow import keras

keras.utils.set_random_seed(81)
rng = np.random.default_rng(81)
n = 400
data = {
    "age": rng.uniform(18, 90, n).astype("float32"),
    "zip": rng.integers(10000, 10050, n).astype("int64"),
    "color": rng.choice(np.array(["red", "green", "blue"]), n),
    "score": rng.uniform(0, 1, n).astype("float32"),
}
labels = ((data["age"] > 50) ^ (data["color"] == "red")).astype("int64")

feature_space = FeatureSpace(
    features={
        "age": FeatureSpace.float_rescaled(scale=1 / 100, offset=-0.5),
        "zip": FeatureSpace.integer_hashed(num_bins=8),
        "color": FeatureSpace.string_categorical(num_oov_indices=1),
        "score": FeatureSpace.float_discretized(num_bins=3),
    },
    crosses=[FeatureSpace.cross(feature_names=("color", "zip"), crossing_dim=16)],
    output_mode="concat",
)
train_ds = tf.data.Dataset.from_tensor_slices((data, labels))
feature_space.adapt(train_ds.map(lambda x, _: x))

row = {"age": [40.0], "zip": [10007], "color": ["green"], "score": [0.6]}


def encode(values):
    return keras.ops.convert_to_numpy(
        feature_space({k: keras.ops.convert_to_tensor(v) for k, v in values.items()})
    )[0]


base = encode(row)
width = 1 + 8 + (3 + 1) + 3 + 16
assert base.shape == (width,), base.shape
# one-hot blocks: zip, color, score and the cross each set exactly one column
assert np.sum(base == 1.0) == 4 and np.sum((base != 0.0) & (base != 1.0)) == 1
assert np.isclose(base[(base != 0.0) & (base != 1.0)][0], 40 / 100 - 0.5)

older = encode(dict(row, age=[70.0]))
moved = np.flatnonzero(older != base)
assert len(moved) == 1 and abs(older[moved[0]] - (0.7 - 0.5)) < 1e-6
assert abs(base[moved[0]] - (0.4 - 0.5)) < 1e-6

other_score = encode(dict(row, score=[0.1]))
assert len(np.flatnonzero(other_score != base)) == 2  # one bin off, another on

unknown_color = encode(dict(row, color=["purple"]))
changed = np.flatnonzero(unknown_color != base)
assert 2 <= len(changed) <= 4  # the color block moves to OOV; the cross may move too

other_zip = encode(dict(row, zip=[10008]))
assert np.sum(other_zip) == np.sum(base)  # still one hot per block

color_lookup = feature_space.preprocessors["color"]
assert sorted(color_lookup.get_vocabulary()[1:]) == ["blue", "green", "red"]

encoded_ds = train_ds.batch(32).map(lambda x, y: (feature_space(x), y), num_parallel_calls=2)
x_batch, y_batch = next(iter(encoded_ds))
assert x_batch.shape == (32, width) and y_batch.shape == (32,)

encoded_features = feature_space.get_encoded_features()
assert tuple(encoded_features.shape) == (None, width)
x = keras.layers.Dense(32, activation="relu")(encoded_features)
predictions = keras.layers.Dense(1, activation="sigmoid")(x)
training_model = keras.Model(inputs=encoded_features, outputs=predictions)
training_model.compile(
    optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"]
)
history = training_model.fit(encoded_ds, epochs=25, verbose=0)
accuracy = history.history["accuracy"][-1]
majority = max(labels.mean(), 1 - labels.mean())
assert accuracy > 0.9 and accuracy > majority + 0.2, (accuracy, majority)

inputs = feature_space.get_inputs()
assert sorted(inputs) == ["age", "color", "score", "zip"]


def predict_row(values):
    return float(training_model(keras.ops.convert_to_tensor(encode(values)[None]))[0, 0])


assert predict_row(dict(row, age=[20.0], color=["red"])) > 0.5
assert predict_row(dict(row, age=[85.0], color=["red"])) < 0.5
assert predict_row(dict(row, age=[85.0], color=["blue"])) > 0.5
print("feature space presets ok", accuracy)
