"""The "Load a pandas DataFrame" tutorial: a DataFrame straight into tf.convert_to_tensor,
Normalization.adapt and fit; from_tensor_slices over (df, target) and over dict(df); a
subclassed model on a dict of columns; a functional model over a dict of Inputs with
binary, numeric and categorical (StringLookup / IntegerLookup one-hot) columns."""

import numpy as np
import pandas as pd
import tensorflow as tf

rng = np.random.default_rng(0)
n = 160
df = pd.DataFrame(
    {
        "age": rng.integers(29, 78, n),
        "sex": rng.integers(0, 2, n),
        "cp": rng.integers(0, 5, n),
        "trestbps": rng.integers(94, 200, n),
        "chol": rng.integers(126, 565, n),
        "fbs": rng.integers(0, 2, n),
        "thalach": rng.integers(71, 202, n),
        "oldpeak": rng.uniform(0, 6.2, n).round(1),
        "thal": rng.choice(["normal", "fixed", "reversible"], n),
    }
)
df["target"] = ((df["thalach"] < 140) ^ (df["thal"] == "reversible")).astype(int)
df.to_csv("heart.csv", index=False)
df = pd.read_csv("heart.csv")
assert df.shape == (n, 10)
target = df.pop("target")

numeric_feature_names = ["age", "thalach", "trestbps", "chol", "oldpeak"]
numeric_features = df[numeric_feature_names]
t = tf.convert_to_tensor(numeric_features)
assert t.dtype == tf.float64 and t.shape == (n, 5)  # ints and floats mixed: float64
np.testing.assert_array_equal(t.numpy(), numeric_features.to_numpy())
assert tf.convert_to_tensor(df[["age", "sex"]]).dtype == tf.int64
thal = tf.convert_to_tensor(df[["thal"]])  # a frame of text: a string tensor
assert thal.dtype == tf.string and thal.shape == (n, 1)
assert thal.numpy()[0, 0] == df["thal"][0].encode()
try:
    tf.convert_to_tensor(df)  # numbers and text together
except ValueError:
    pass
else:
    raise AssertionError("a frame of mixed types must not convert")

normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(np.array(numeric_features))
out = normalizer(numeric_features.iloc[:3]).numpy()
expected = (numeric_features.iloc[:3] - numeric_features.mean()) / numeric_features.std(ddof=0)
np.testing.assert_allclose(out, expected.to_numpy(), rtol=1e-4, atol=1e-4)

BATCH_SIZE = 32


def get_basic_model():
    model = tf.keras.Sequential(
        [
            normalizer,
            tf.keras.layers.Dense(10, activation="relu"),
            tf.keras.layers.Dense(10, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


tf.keras.utils.set_random_seed(0)
model = get_basic_model()
history = model.fit(numeric_features, target, epochs=3, batch_size=BATCH_SIZE, verbose=0)
assert sorted(history.history) == ["accuracy", "loss"]

numeric_dataset = tf.data.Dataset.from_tensor_slices((numeric_features, target))
row, label = next(iter(numeric_dataset))
assert row.dtype == tf.float64 and row.shape == (5,) and label.dtype == tf.int64
np.testing.assert_array_equal(row.numpy(), numeric_features.iloc[0].to_numpy())
numeric_batches = numeric_dataset.shuffle(1000, seed=0).batch(BATCH_SIZE)
model = get_basic_model()
history = model.fit(numeric_batches, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2

values_ds = tf.data.Dataset.from_tensor_slices((numeric_features.values, target.values))
assert values_ds.element_spec == (
    tf.TensorSpec((5,), tf.float64),
    tf.TensorSpec((), tf.int64),
)

numeric_dict_ds = tf.data.Dataset.from_tensor_slices((dict(numeric_features), target))
row, label = next(iter(numeric_dict_ds))
assert sorted(row) == sorted(numeric_feature_names)
assert row["age"].dtype == tf.int64 and row["oldpeak"].dtype == tf.float64
assert int(row["chol"]) == int(df["chol"][0])


def stack_dict(inputs, fun=tf.stack):
    values = []
    for key in sorted(inputs.keys()):
        values.append(tf.cast(inputs[key], tf.float32))
    return fun(values, axis=-1)


class MyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.normalizer = tf.keras.layers.Normalization(axis=-1)
        self.seq = tf.keras.Sequential(
            [
                self.normalizer,
                tf.keras.layers.Dense(10, activation="relu"),
                tf.keras.layers.Dense(10, activation="relu"),
                tf.keras.layers.Dense(1),
            ]
        )

    def adapt(self, inputs):
        self.normalizer.adapt(stack_dict(inputs))

    def call(self, inputs):
        return self.seq(stack_dict(inputs))


model = MyModel()
model.adapt(dict(numeric_features))
mean = np.asarray(model.normalizer.mean).ravel()
np.testing.assert_allclose(mean, numeric_features[sorted(numeric_feature_names)].mean(), rtol=1e-4)


def compile_model(model):
    model.compile(
        optimizer="adam",
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


# Keras 3 takes each pandas Series in fit/predict as a column of shape (n, 1), so the
# stacked features are (batch, 1, 5) and the predictions (n, 1, 1).
compile_model(model).fit(dict(numeric_features), target, epochs=2, batch_size=32, verbose=0)
pred = model.predict(dict(numeric_features.iloc[:3]), verbose=0)
assert pred.shape == (3, 1, 1), pred.shape
direct = model({k: v.to_numpy()[:, None] for k, v in numeric_features.iloc[:3].items()})
np.testing.assert_allclose(pred, direct.numpy(), rtol=1e-5, atol=1e-6)

# A dataset of dict(df) rows batches to (batch,) columns: a model of its own.
model = MyModel()
model.adapt(dict(numeric_features))
numeric_dict_batches = numeric_dict_ds.shuffle(1000, seed=0).batch(BATCH_SIZE)
history = compile_model(model).fit(numeric_dict_batches, epochs=2, verbose=0)
assert len(history.history["accuracy"]) == 2
pred = model.predict(numeric_dict_batches, verbose=0)
assert pred.shape == (n, 1), pred.shape

# The functional way: one Input per column, shape () each.
binary_feature_names = ["sex", "fbs"]
categorical_feature_names = ["cp", "thal"]
inputs = {}
for name, column in df.items():
    if type(column[0]) is str:
        dtype = tf.string
    elif name in categorical_feature_names or name in binary_feature_names:
        dtype = tf.int64
    else:
        dtype = tf.float32
    inputs[name] = tf.keras.Input(shape=(), name=name, dtype=dtype)
assert inputs["thal"].dtype == "string" and inputs["cp"].dtype == "int64"

preprocessed = []
for name in binary_feature_names:
    inp = tf.keras.ops.expand_dims(inputs[name], -1)
    preprocessed.append(tf.keras.ops.cast(inp, "float32"))

normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(stack_dict(dict(numeric_features)))
# stack_dict with keras.ops: TensorFlow functions do not take Keras 3's symbolic inputs
numeric_inputs = {name: inputs[name] for name in numeric_feature_names}
numeric_inputs = tf.keras.ops.stack(
    [tf.keras.ops.cast(numeric_inputs[k], "float32") for k in sorted(numeric_inputs)], axis=-1
)
preprocessed.append(normalizer(numeric_inputs))

for name in categorical_feature_names:
    vocab = sorted(set(df[name]))
    if type(vocab[0]) is str:
        lookup = tf.keras.layers.StringLookup(vocabulary=vocab, output_mode="one_hot")
    else:
        lookup = tf.keras.layers.IntegerLookup(vocabulary=vocab, output_mode="one_hot")
    x = tf.keras.ops.expand_dims(inputs[name], -1)
    preprocessed.append(lookup(x))

preprocessed_result = tf.keras.layers.Concatenate(axis=-1)(preprocessed)
assert tuple(preprocessed_result.shape) == (None, 2 + 5 + 6 + 4)
preprocessor = tf.keras.Model(inputs, preprocessed_result)
first = preprocessor(dict(df.iloc[:1])).numpy()
assert first.shape == (1, 17)
assert first[0, :2].tolist() == [float(df["sex"][0]), float(df["fbs"][0])]
cp_one_hot = first[0, 7:13]  # OOV first, then 0..4
assert cp_one_hot.tolist() == [float(i == df["cp"][0] + 1) for i in range(6)]
thal_one_hot = first[0, 13:]
assert thal_one_hot.tolist() == [
    float(i == ["fixed", "normal", "reversible"].index(df["thal"][0]) + 1) for i in range(4)
]

body = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(10, activation="relu"),
        tf.keras.layers.Dense(10, activation="relu"),
        tf.keras.layers.Dense(1),
    ]
)
result = body(preprocessor(inputs))
model = tf.keras.Model(inputs, result)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.02),
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
# Keras 3.15's fit refuses a Series of text ("Invalid dtype: object"): columns as arrays
df_arrays = {name: np.array(column) for name, column in df.items()}
history = model.fit(df_arrays, target, epochs=25, batch_size=BATCH_SIZE, verbose=0)
assert history.history["accuracy"][-1] > 0.85, history.history["accuracy"]
ds = tf.data.Dataset.from_tensor_slices((dict(df), target)).batch(BATCH_SIZE)
element = ds.element_spec[0]
assert element["thal"].dtype == tf.string and element["oldpeak"].dtype == tf.float64
history = model.fit(ds, epochs=2, verbose=0)
loss, acc = model.evaluate(ds, verbose=0)
assert acc > 0.85
print("ok")
