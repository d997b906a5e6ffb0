# keras.io "Feature Engineering using Keras Functional API and custom Feature layer" (and
# its Lambda-layer twin), small and synthetic: a heart-disease-like CSV read with
# make_csv_dataset, one Input per column (floats and a string column), a custom layer that
# builds crossed / ratio / string-equality features and concatenates feature groups (one
# group holds a single column: a one-input concatenate), BatchNormalization + sigmoid Dense
# compiled with BinaryAccuracy and AUC; saved to .keras and loaded back (BinaryAccuracy's
# threshold in the file), Lambda layers over def'd functions reloaded with custom_objects in
# safe mode, and the merge layers on a list of one input.
import os
import tempfile

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(12)
rng = np.random.default_rng(12)
work = tempfile.mkdtemp()
csv_path = os.path.join(work, "heart.csv")
n = 96
columns = ["age", "sex", "trestbps", "chol", "thalach", "oldpeak", "thal", "target"]
with open(csv_path, "w") as handle:
    handle.write(",".join(columns) + "\n")
    for _ in range(n):
        age, sex = rng.integers(30, 80), rng.integers(0, 2)
        thal = ["fixed", "normal", "reversible"][rng.integers(0, 3)]
        target = int(thal == "reversible" or (age > 60 and sex == 1))
        row = [age, sex, rng.integers(95, 180), rng.integers(150, 400), rng.integers(90, 200)]
        row += [round(float(rng.random()) * 4, 1), thal, target]
        handle.write(",".join(str(v) for v in row) + "\n")

# make_csv_dataset yields OrderedDicts; a plain dict matches the model's dict of Inputs
raw = tf.data.experimental.make_csv_dataset(
    csv_path, batch_size=32, label_name="target", num_epochs=1, shuffle=False
)
dataset = raw.map(lambda features, label: (dict(features), label))
features, label = next(iter(dataset))
assert features["age"].dtype == tf.int32 and features["oldpeak"].dtype == tf.float32
assert features["thal"].dtype == tf.string and tuple(features["thal"].shape) == (32,)
assert label.dtype == tf.int32 and tuple(label.shape) == (32,)

numeric = ["trestbps", "chol", "thalach", "oldpeak"]
binary = ["sex"]  # a group of one column
inputs = {
    name: tf.keras.Input(shape=(1,), name=name, dtype=tf.string if name == "thal" else tf.float32)
    for name in columns[:-1]
}


class FeatureLayer(tf.keras.layers.Layer):
    def call(self, inputs):
        older_men = tf.cast(
            tf.math.logical_and(inputs["age"] > 50, inputs["sex"] == 1), dtype=tf.float32
        )
        reversible = tf.cast(inputs["thal"] == "reversible", dtype=tf.float32)
        fixed = tf.cast(inputs["thal"] == "fixed", dtype=tf.float32)
        ratio = inputs["trestbps"] / inputs["chol"]
        crossed = inputs["trestbps"] * inputs["thalach"] / 1e4
        made = tf.keras.layers.concatenate([older_men, reversible, fixed, ratio, crossed])
        numbers = tf.keras.layers.concatenate([inputs[name] for name in numeric])
        flags = tf.keras.layers.concatenate([inputs[name] for name in binary])
        return tf.keras.layers.concatenate([made, numbers, flags])


engineered = FeatureLayer(name="feature_layer")(inputs)
assert engineered.shape == (None, 10) and engineered.dtype == "float32"
x = tf.keras.layers.BatchNormalization(name="batch_norm")(engineered)
output = tf.keras.layers.Dense(1, activation="sigmoid", name="target")(x)
model = tf.keras.Model(inputs=inputs, outputs=output)
model.compile(
    loss=tf.keras.losses.BinaryCrossentropy(),
    optimizer=tf.keras.optimizers.Adam(learning_rate=0.05),
    metrics=[
        tf.keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.4),
        tf.keras.metrics.AUC(name="auc"),
    ],
)
history = model.fit(dataset.repeat(), steps_per_epoch=6, epochs=4, verbose=0)
assert sorted(history.history) == ["accuracy", "auc", "loss"]
assert history.history["loss"][-1] < history.history["loss"][0]

# the engineered features, checked against NumPy on one batch
probe = tf.keras.Model(inputs, engineered)
values = probe(features).numpy()
batch = {name: np.asarray(features[name]) for name in columns[:-1]}
np.testing.assert_allclose(values[:, 1], batch["thal"] == b"reversible")
np.testing.assert_allclose(values[:, 0], (batch["age"] > 50) & (batch["sex"] == 1))
np.testing.assert_allclose(values[:, 3], batch["trestbps"] / batch["chol"], rtol=1e-5)
np.testing.assert_allclose(values[:, -1], batch["sex"])

# saved and reloaded: the compiled metrics (threshold included) come back
path = os.path.join(work, "heart.keras")
model.save(path)
try:
    tf.keras.models.load_model(path)
    raise AssertionError("an unregistered custom layer must need custom_objects")
except TypeError:
    pass
loaded = tf.keras.models.load_model(path, custom_objects={"FeatureLayer": FeatureLayer})
metric_config = loaded.get_compile_config()["metrics"][0]
assert metric_config["class_name"] == "BinaryAccuracy"
assert metric_config["config"]["threshold"] == 0.4
scores = loaded.evaluate(dataset, verbose=0, return_dict=True)
assert sorted(scores) == ["accuracy", "auc", "loss"]
np.testing.assert_allclose(
    loaded.predict(dataset, verbose=0), model.predict(dataset, verbose=0), atol=1e-5
)


# the Lambda version: layers over def'd functions (no bytecode in the file)
def pressure_ratio(pair):
    return pair[0] / pair[1]


def is_normal(thal):
    return tf.cast(thal == "normal", dtype=tf.float32)


ratio = tf.keras.layers.Lambda(pressure_ratio, name="ratio")((inputs["trestbps"], inputs["chol"]))
normal = tf.keras.layers.Lambda(is_normal, name="is_normal", output_shape=(1,))(inputs["thal"])
joined = tf.keras.layers.concatenate([ratio, normal])
lambda_model = tf.keras.Model(inputs, tf.keras.layers.Dense(1, activation="sigmoid")(joined))
lambda_path = os.path.join(work, "lambda.keras")
lambda_model.save(lambda_path)
try:
    tf.keras.models.load_model(lambda_path)
    raise AssertionError("a Lambda naming an unknown function must not load")
except TypeError:
    pass
functions = {"pressure_ratio": pressure_ratio, "is_normal": is_normal}
reloaded = tf.keras.models.load_model(lambda_path, custom_objects=functions)
np.testing.assert_allclose(
    reloaded.predict(dataset, verbose=0), lambda_model.predict(dataset, verbose=0), atol=1e-6
)

# merge layers accept a list of one input and return its values
single = np.arange(6, dtype="float32").reshape(2, 3)
for merge in (tf.keras.layers.Concatenate(), tf.keras.layers.Add(), tf.keras.layers.Average()):
    np.testing.assert_array_equal(np.asarray(merge([single])), single)
assert tf.keras.layers.concatenate([tf.keras.Input((4,))]).shape == (None, 4)
try:
    tf.keras.layers.Subtract()([tf.keras.Input((4,))])
    raise AssertionError("Subtract needs exactly two inputs")
except ValueError:
    pass
print("ok")
