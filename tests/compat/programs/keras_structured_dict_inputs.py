# Structured data with one Input per column (the "load a pandas DataFrame" tutorial's
# model, with plain NumPy columns): Normalization, IntegerLookup and StringLookup one-hot
# encodings, a preprocessing model inside a model, fit on a Dataset of dicts (Keras 3
# takes string columns through tf.data, and wants layers, not tf.* functions, on
# symbolic inputs: Concatenate rather than tf.concat).
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(1)
n = 200
columns = {
    "age": rng.integers(20, 80, (n, 1)).astype("int64"),
    "chol": (rng.random((n, 1)) * 300).astype("float32"),
    "thal": rng.choice(np.array(["fixed", "normal", "reversible"]), (n, 1)),
}
target = (columns["chol"] > 150).astype("float32")

inputs = {
    "age": tf.keras.Input(shape=(1,), name="age", dtype="int64"),
    "chol": tf.keras.Input(shape=(1,), name="chol", dtype="float32"),
    "thal": tf.keras.Input(shape=(1,), name="thal", dtype="string"),
}
norm = tf.keras.layers.Normalization(axis=-1)
norm.adapt(columns["chol"])
numeric = norm(inputs["chol"])
ages = sorted(set(columns["age"].ravel().tolist()))
age_hot = tf.keras.layers.IntegerLookup(vocabulary=ages, output_mode="one_hot")(inputs["age"])
thal_hot = tf.keras.layers.StringLookup(
    vocabulary=["fixed", "normal", "reversible"], output_mode="one_hot"
)(inputs["thal"])
features = tf.keras.layers.Concatenate(axis=-1)([numeric, age_hot, thal_hot])
width = 1 + (len(ages) + 1) + 4
assert tuple(features.shape) == (None, width), features.shape

preprocessor = tf.keras.Model(inputs, features)
one = preprocessor({k: v[:1] for k, v in columns.items()})
assert tuple(one.shape) == (1, width)
assert float(tf.reduce_sum(one[:, 1:])) == 2.0  # one age and one thal set

body = tf.keras.Sequential([tf.keras.layers.Dense(10, activation="relu"), tf.keras.layers.Dense(1)])
model = tf.keras.Model(inputs, body(preprocessor(inputs)))
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.05),
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
ds = tf.data.Dataset.from_tensor_slices((columns, target)).shuffle(200, seed=0).batch(32)
first = model.fit(ds, epochs=1, verbose=0)
second = model.fit(ds, epochs=10, verbose=0)
assert second.history["loss"][-1] < first.history["loss"][0]
assert second.history["accuracy"][-1] > 0.8, second.history["accuracy"]
probabilities = tf.nn.sigmoid(model({k: v[:5] for k, v in columns.items()}))
assert tuple(probabilities.shape) == (5, 1)
print("ok")
