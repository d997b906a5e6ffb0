"""The "Load CSV data" guide's mixed-type part: read a CSV with pandas, build a preprocessing
head from tf.keras.Input dicts (Concatenate + Normalization for numbers, StringLookup +
CategoryEncoding for strings), train a model on a dict of NumPy columns and on a
from_tensor_slices dataset, then save and reload it."""

import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow.keras import layers

rng = np.random.default_rng(0)
n = 120
sex = rng.choice(["male", "female"], n)
klass = rng.choice(["First", "Second", "Third"], n)
age = rng.uniform(1, 70, n).round(1)
fare = rng.uniform(5, 100, n).round(2)
survived = ((sex == "female") | (klass == "First")).astype(int)
pd.DataFrame({"survived": survived, "sex": sex, "age": age, "fare": fare, "class": klass}).to_csv(
    "titanic.csv", index=False
)

titanic = pd.read_csv("titanic.csv")
titanic_features = titanic.copy()
titanic_labels = titanic_features.pop("survived")

inputs = {}
for name, column in titanic_features.items():
    # the guide tests `column.dtype == object`; pandas 3 reads text as its "str" dtype
    dtype = tf.string if pd.api.types.is_string_dtype(column.dtype) else tf.float32
    inputs[name] = tf.keras.Input(shape=(1,), name=name, dtype=dtype)
assert inputs["sex"].dtype == "string" and inputs["age"].dtype == "float32"
assert tuple(inputs["age"].shape) == (None, 1)

numeric_inputs = {name: x for name, x in inputs.items() if x.dtype == "float32"}
assert list(numeric_inputs) == ["age", "fare"]
x = layers.Concatenate()(list(numeric_inputs.values()))
norm = layers.Normalization()
norm.adapt(np.array(titanic[list(numeric_inputs)]))
np.testing.assert_allclose(
    np.asarray(norm.mean).ravel(), titanic[["age", "fare"]].mean().to_numpy(), rtol=1e-4
)
all_numeric_inputs = norm(x)
assert tuple(all_numeric_inputs.shape) == (None, 2)

preprocessed_inputs = [all_numeric_inputs]
for name, x in inputs.items():
    if x.dtype == "float32":
        continue
    lookup = layers.StringLookup(vocabulary=np.unique(titanic_features[name]))
    one_hot = layers.CategoryEncoding(num_tokens=lookup.vocabulary_size())
    preprocessed_inputs.append(one_hot(lookup(x)))

preprocessed_inputs_cat = layers.Concatenate()(preprocessed_inputs)
titanic_preprocessing = tf.keras.Model(inputs, preprocessed_inputs_cat)
assert tuple(titanic_preprocessing.output_shape) == (None, 2 + 3 + 4)

titanic_features_dict = {name: np.array(value) for name, value in titanic_features.items()}
assert titanic_features_dict["sex"].dtype == object
features_dict = {name: values[:1] for name, values in titanic_features_dict.items()}
out = titanic_preprocessing(features_dict).numpy()
assert out.shape == (1, 9)
# StringLookup puts the OOV token first: "female" -> 1, "male" -> 2; classes sorted.
sex_part, class_part = out[0, 2:5], out[0, 5:]
assert sex_part.tolist() == ([0.0, 0.0, 1.0] if sex[0] == "male" else [0.0, 1.0, 0.0])
assert class_part.tolist()[["First", "Second", "Third"].index(klass[0]) + 1] == 1.0
assert class_part.sum() == 1.0


def titanic_model(preprocessing_head, inputs):
    body = tf.keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(1)])
    result = body(preprocessing_head(inputs))
    model = tf.keras.Model(inputs, result)
    model.compile(
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        optimizer=tf.keras.optimizers.Adam(0.01),
        metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    return model


tf.keras.utils.set_random_seed(1)
model = titanic_model(titanic_preprocessing, inputs)
history = model.fit(x=titanic_features_dict, y=titanic_labels, epochs=30, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["binary_accuracy"][-1] > 0.9, history.history["binary_accuracy"][-1]

model.save("test.keras")
reloaded = tf.keras.models.load_model("test.keras")
before = model(features_dict)
after = reloaded(features_dict)
np.testing.assert_allclose(before.numpy(), after.numpy(), rtol=1e-5, atol=1e-6)

# The same data as a tf.data pipeline of (dict, label) pairs.
titanic_ds = tf.data.Dataset.from_tensor_slices((titanic_features_dict, titanic_labels))
example, label = next(iter(titanic_ds))
assert example["sex"].dtype == tf.string and example["age"].dtype == tf.float64
assert label.dtype == tf.int64
titanic_batches = titanic_ds.shuffle(len(titanic_labels), seed=0).batch(32)
loss, acc = model.evaluate(titanic_batches, verbose=0)
history2 = model.fit(titanic_batches, epochs=2, verbose=0)
assert len(history2.history["loss"]) == 2 and acc > 0.9

# Abalone-style: numbers only, a Normalization layer inside a Sequential model.
abalone = pd.DataFrame(rng.uniform(0, 1, (200, 4)), columns=["Length", "Diameter", "Height", "W"])
abalone_labels = (abalone.sum(axis=1) * 3 + 1).to_numpy()
abalone_features = np.array(abalone)
assert abalone_features.dtype == np.float64 and abalone_features.shape == (200, 4)
normalize = layers.Normalization()
normalize.adapt(abalone_features)
np.testing.assert_allclose(np.asarray(normalize.variance).ravel(), abalone.var(ddof=0), rtol=1e-4)
abalone_model = tf.keras.Sequential(
    [normalize, layers.Dense(64, activation="relu"), layers.Dense(1)]
)
abalone_model.compile(
    loss=tf.keras.losses.MeanSquaredError(), optimizer=tf.keras.optimizers.Adam(0.01)
)
hist = abalone_model.fit(abalone_features, abalone_labels, epochs=20, verbose=0)
assert hist.history["loss"][-1] < 0.1 * hist.history["loss"][0], hist.history["loss"]
print("ok")
