# Keras' "Structured data classification with FeatureSpace" example on a synthetic
# heart-disease-like table (a dict of NumPy columns, as dict(DataFrame) gives): integer,
# string and discretized categorical features, normalized floats, two feature crosses,
# adapt on a Dataset, preprocessing in Dataset.map, a model on the encoded features and an
# inference model on the raw inputs, save/load of the FeatureSpace and of the model.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.utils import FeatureSpace

rng = np.random.default_rng(0)
n = 240
thal = rng.choice(np.array(["fixed", "normal", "reversible"]), n)
columns = {
    "sex": rng.integers(0, 2, n).astype("int64"),
    "cp": rng.integers(0, 5, n).astype("int64"),
    "age": rng.integers(29, 78, n).astype("int64"),
    "chol": rng.normal(240.0, 50.0, n),
    "oldpeak": rng.random(n) * 4.0,
    "thal": thal,
    "ca": rng.integers(0, 4, n).astype("int64"),
}
target = ((thal == "reversible") | (columns["oldpeak"] > 3.0)).astype("int64")


def to_dataset(cols, labels):
    return tf.data.Dataset.from_tensor_slices((dict(cols), labels)).shuffle(len(labels), seed=1)


train_ds = to_dataset({k: v[:200] for k, v in columns.items()}, target[:200]).batch(32)
val_ds = to_dataset({k: v[200:] for k, v in columns.items()}, target[200:]).batch(32)

feature_space = FeatureSpace(
    features={
        "sex": FeatureSpace.integer_categorical(),
        "cp": FeatureSpace.integer_categorical(),
        "ca": FeatureSpace.integer_categorical(),
        "thal": FeatureSpace.string_categorical(),
        "age": FeatureSpace.float_discretized(num_bins=10),
        "chol": FeatureSpace.float_normalized(),
        "oldpeak": FeatureSpace.float_normalized(),
    },
    crosses=[
        FeatureSpace.cross(feature_names=("sex", "age"), crossing_dim=16),
        FeatureSpace.cross(feature_names=("thal", "ca"), crossing_dim=8),
    ],
    output_mode="concat",
)
feature_space.adapt(train_ds.map(lambda x, _: x))
assert feature_space.preprocessors["thal"].vocabulary_size() == 4  # 3 values + OOV
assert feature_space.crossers["sex_X_age"].num_bins == 16
# sorted feature names, then sorted crosses: age 10, ca 5, chol 1, cp 6, oldpeak 1, sex 3,
# thal 4, sex_X_age 16, thal_X_ca 8
width = 10 + 5 + 1 + 6 + 1 + 3 + 4 + 16 + 8
for x, _ in train_ds.take(1):
    pre = feature_space(x)
    assert tuple(pre.shape) == (32, width), pre.shape
    assert pre.dtype == tf.float32
    block = pre.numpy()
    # each one-hot block and each cross holds exactly one 1 per row
    assert np.all(block[:, :10].sum(axis=1) == 1.0) and np.all(block[:, -8:].sum(axis=1) == 1.0)
    chol = (np.asarray(x["chol"]) - columns["chol"][:200].mean()) / columns["chol"][:200].std()
    np.testing.assert_allclose(block[:, 15], chol, rtol=1e-4, atol=1e-4)

pre_train = train_ds.map(
    lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE
).prefetch(tf.data.AUTOTUNE)
pre_val = val_ds.map(
    lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE
).prefetch(tf.data.AUTOTUNE)

dict_inputs = feature_space.get_inputs()
encoded = feature_space.get_encoded_features()
assert sorted(dict_inputs) == sorted(columns)
assert tuple(encoded.shape) == (None, width)
keras.utils.set_random_seed(0)
x = keras.layers.Dense(32, activation="relu")(encoded)
x = keras.layers.Dropout(0.5)(x)
predictions = keras.layers.Dense(1, activation="sigmoid")(x)
training_model = keras.Model(inputs=encoded, outputs=predictions)
training_model.compile(
    optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
)
inference_model = keras.Model(inputs=dict_inputs, outputs=predictions)
history = training_model.fit(pre_train, epochs=15, validation_data=pre_val, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["accuracy"][-1] > 0.85, history.history["accuracy"]

sample = {
    "sex": 1,
    "cp": 1,
    "age": 60,
    "chol": 286.0,
    "oldpeak": 3.5,
    "thal": "reversible",
    "ca": 1,
}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
p = inference_model.predict(input_dict, verbose=0)
assert p.shape == (1, 1) and p[0, 0] > 0.5, p  # reversible thal: the positive class

one = feature_space(sample)  # a single sample gives an unbatched vector
assert tuple(one.shape) == (width,)
feature_space.save("feature_space.keras")
reloaded = keras.models.load_model("feature_space.keras")
assert isinstance(reloaded, FeatureSpace)
np.testing.assert_allclose(np.asarray(reloaded(sample)), np.asarray(one), atol=1e-6)

inference_model.save("inference.keras")
loaded = keras.models.load_model("inference.keras")
np.testing.assert_allclose(loaded.predict(input_dict, verbose=0), p, rtol=1e-5)
batch = next(iter(val_ds))[0]
np.testing.assert_allclose(
    loaded.predict(batch, verbose=0), inference_model.predict(batch, verbose=0), rtol=1e-5
)
print("ok")
