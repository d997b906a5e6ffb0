# FeatureSpace in "dict" mode: integer-encoded features for Embedding layers, a custom
# TextVectorization (tf-idf) feature, a hashed string feature, adapt on an unbatched Dataset,
# per-sample calls inside Dataset.map, and a model on the encoded dict, saved and reloaded.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.utils import FeatureSpace

rng = np.random.default_rng(0)
n = 160
city = rng.choice(np.array(["paris", "rome", "oslo", "lima"]), n)
rooms = rng.integers(1, 6, n).astype("int64")
notes = rng.choice(np.array(["big garden", "small flat", "big flat", "garden view"]), n)
data = {"city": city, "rooms": rooms, "notes": notes, "tag": rng.choice(np.array(["a", "b"]), n)}
label = ((city == "oslo") | (rooms >= 4)).astype("float32")

feature_space = FeatureSpace(
    features={
        "city": FeatureSpace.string_categorical(output_mode="int"),
        "rooms": FeatureSpace.integer_categorical(output_mode="int"),
        "notes": FeatureSpace.feature(
            preprocessor=keras.layers.TextVectorization(output_mode="tf_idf"),
            dtype="string",
            output_mode="float",
        ),
        "tag": FeatureSpace.string_hashed(num_bins=4),
    },
    output_mode="dict",
)
feature_space.adapt(tf.data.Dataset.from_tensor_slices(data))  # unbatched: batched by 32
assert feature_space.preprocessors["city"].vocabulary_size() == 5
assert feature_space.preprocessors["rooms"].vocabulary_size() == 6
vocabulary = feature_space.preprocessors["notes"].get_vocabulary()
assert sorted(vocabulary[1:]) == ["big", "flat", "garden", "small", "view"], vocabulary

one = feature_space({"city": "oslo", "rooms": 2, "notes": "big garden", "tag": "a"})
assert tuple(one["city"].shape) == (1,) and one["city"].dtype == tf.int64  # unbatched
assert tuple(one["notes"].shape) == (6,) and tuple(one["tag"].shape) == (4,)
assert float(tf.reduce_sum(one["tag"])) == 1.0

encoded = feature_space.get_encoded_features()
assert sorted(encoded) == ["city", "notes", "rooms", "tag"]
city_vec = keras.layers.Flatten()(keras.layers.Embedding(5, 3)(encoded["city"]))
rooms_vec = keras.layers.Flatten()(keras.layers.Embedding(6, 3)(encoded["rooms"]))
# (Keras gives the tf-idf of a (None, 1) string Input the symbolic shape (None, 1, 6) though
# its values are (batch, 6): Flatten fits both)
notes_vec = keras.layers.Flatten()(encoded["notes"])
merged = keras.layers.concatenate([city_vec, rooms_vec, notes_vec, encoded["tag"]])
keras.utils.set_random_seed(0)
hidden = keras.layers.Dense(16, activation="relu")(merged)
body = keras.Model(encoded, keras.layers.Dense(1, activation="sigmoid")(hidden))
body.compile(keras.optimizers.Adam(0.02), "binary_crossentropy", metrics=["accuracy"])
rows = tf.data.Dataset.from_tensor_slices((data, label))
train = rows.map(lambda x, y: (feature_space(x), y)).batch(32)  # per sample, then batched
first, _ = next(iter(train))
assert tuple(first["city"].shape) == (32, 1) and first["notes"].shape[0] == 32
assert np.asarray(first["notes"]).reshape(32, -1).shape == (32, 6)  # (32, 1, 6) in Keras' graph
history = body.fit(train, epochs=15, verbose=0)
assert history.history["accuracy"][-1] > 0.9, history.history["accuracy"]

probe = {
    "city": np.array(["oslo", "rome"]),
    "rooms": np.array([1, 1]),
    "notes": np.array(["small flat", "small flat"]),
    "tag": np.array(["b", "b"]),
}
one_row = tf.data.Dataset.from_tensor_slices(probe).map(feature_space)  # as in training
p_oslo, p_rome = body.predict(one_row.batch(2), verbose=0)[:, 0]
assert p_oslo > 0.5 > p_rome, (p_oslo, p_rome)  # oslo is a positive city, 1 room is not
batch = {k: tf.constant(v[:8]) for k, v in data.items()}
feature_space.save("space.keras")
reloaded = keras.models.load_model("space.keras")
again = reloaded(batch)
for name in ("city", "rooms", "notes", "tag"):
    np.testing.assert_allclose(np.asarray(again[name]), np.asarray(feature_space(batch)[name]))
print("ok")
