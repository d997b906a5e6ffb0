# Keras' "Structured data classification from scratch" example (one Input per column,
# Normalization adapted on a mapped Dataset, StringLookup / IntegerLookup with
# output_mode="binary", fit, predict on a dict of one-element tensors), then a
# wide-and-deep head on the same inputs: a StringLookup without OOV index feeding both an
# Embedding and a CategoryEncoding.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(0)
n = 240
thal = rng.choice(np.array(["fixed", "normal", "reversible"]), n)
columns = {
    "sex": rng.integers(0, 2, n),
    "cp": rng.integers(0, 5, n),
    "age": rng.integers(29, 78, n),
    "thalach": rng.normal(150.0, 20.0, n),
    "thal": thal,
}
target = ((thal == "reversible") | (columns["cp"] == 4)).astype("int64")


def dataframe_to_dataset(cols, labels):
    ds = tf.data.Dataset.from_tensor_slices((dict(cols), labels))
    return ds.shuffle(buffer_size=len(labels), seed=0)


train_ds = dataframe_to_dataset({k: v[:200] for k, v in columns.items()}, target[:200]).batch(32)
val_ds = dataframe_to_dataset({k: v[200:] for k, v in columns.items()}, target[200:]).batch(32)
for x, y in train_ds.take(1):
    assert sorted(x) == sorted(columns) and tuple(x["thal"].shape) == (32,)
    assert x["thal"].dtype == tf.string and tuple(y.shape) == (32,)


def encode_numerical_feature(feature, name, dataset):
    normalizer = layers.Normalization()
    feature_ds = dataset.map(lambda x, y: x[name])
    feature_ds = feature_ds.map(lambda x: tf.expand_dims(x, -1))
    normalizer.adapt(feature_ds)
    return normalizer(feature)


def encode_categorical_feature(feature, name, dataset, is_string):
    lookup_class = layers.StringLookup if is_string else layers.IntegerLookup
    lookup = lookup_class(output_mode="binary")
    feature_ds = dataset.map(lambda x, y: x[name])
    feature_ds = feature_ds.map(lambda x: tf.expand_dims(x, -1))
    lookup.adapt(feature_ds)
    return lookup(feature)


sex = keras.Input(shape=(1,), name="sex", dtype="int64")
cp = keras.Input(shape=(1,), name="cp", dtype="int64")
thal_input = keras.Input(shape=(1,), name="thal", dtype="string")
age = keras.Input(shape=(1,), name="age")
thalach = keras.Input(shape=(1,), name="thalach")
all_inputs = [sex, cp, thal_input, age, thalach]
encoded = [
    encode_categorical_feature(sex, "sex", train_ds, False),
    encode_categorical_feature(cp, "cp", train_ds, False),
    encode_categorical_feature(thal_input, "thal", train_ds, True),
    encode_numerical_feature(age, "age", train_ds),
    encode_numerical_feature(thalach, "thalach", train_ds),
]
assert [tuple(e.shape) for e in encoded] == [(None, 3), (None, 6), (None, 4), (None, 1), (None, 1)]
all_features = layers.concatenate(encoded)
keras.utils.set_random_seed(0)
x = layers.Dense(32, activation="relu")(all_features)
x = layers.Dropout(0.5)(x)
output = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(all_inputs, output)
model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
history = model.fit(train_ds, epochs=15, validation_data=val_ds, verbose=0)
assert history.history["accuracy"][-1] > 0.85, history.history["accuracy"]
sample = {"age": 60, "sex": 1, "cp": 4, "thalach": 150.0, "thal": "fixed"}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
predictions = model.predict(input_dict, verbose=0)
assert predictions.shape == (1, 1) and predictions[0][0] > 0.5, predictions  # cp 4: positive

# Wide and deep: ids without an OOV index feed an Embedding and a multi-hot encoding.
lookup = layers.StringLookup(
    vocabulary=["fixed", "normal", "reversible"], mask_token=None, num_oov_indices=0
)
ids = lookup(thal_input)
assert lookup.vocabulary_size() == 3
deep = layers.Flatten()(layers.Embedding(input_dim=lookup.vocabulary_size(), output_dim=4)(ids))
wide = layers.CategoryEncoding(num_tokens=3, output_mode="binary")(ids)
merged = layers.concatenate([deep, wide, encoded[3]])
wide_deep = keras.Model([thal_input, age], layers.Dense(1, activation="sigmoid")(merged))
wide_deep.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
pairs = train_ds.map(
    lambda x, y: ({"thal": x["thal"], "age": x["age"]}, tf.cast(x["thal"] == "fixed", "float32"))
)
assert wide_deep.fit(pairs, epochs=5, verbose=0).history["accuracy"][-1] == 1.0
probe = {"thal": tf.constant([["fixed"], ["reversible"]]), "age": tf.constant([[50.0], [60.0]])}
fixed, reversible = wide_deep.predict(probe, verbose=0)[:, 0]
assert fixed > 0.5 > reversible, (fixed, reversible)
print("ok")
