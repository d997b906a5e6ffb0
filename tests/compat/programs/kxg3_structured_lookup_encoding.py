# keras.io "Structured data classification from scratch" and "Structured data classification
# with FeatureSpace": IntegerLookup / StringLookup with output_mode="binary" inside
# dataset.map (one (depth,) vector per scalar), multi-hot / count encodings of rank-0 and
# rank-1 inputs, int64 Inputs concatenated with normalized floats, Discretization of int
# data against float boundaries, and a FeatureSpace model that equals calling it directly.
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np
import tensorflow as tf
from keras import layers
from keras.utils import FeatureSpace

rng = np.random.default_rng(5)
n = 40
table = {
    "age": rng.integers(30, 70, n),
    "sex": rng.integers(0, 2, n),
    "cp": rng.integers(0, 4, n),
    "chol": rng.integers(150, 300, n),
    "thal": rng.choice(["normal", "fixed", "reversible"], n),
}
target = rng.integers(0, 2, n)
vocab = {"sex": [0, 1], "cp": [0, 1, 2, 3], "thal": ["fixed", "normal", "reversible"]}

# --- encodings by rank, as Keras 3 on TensorFlow
sex_lookup = layers.IntegerLookup(
    vocabulary=vocab["sex"], mask_token=None, num_oov_indices=0, output_mode="binary"
)
one = sex_lookup(tf.constant(1, tf.int64))
assert one.shape == (2,) and one.dtype == tf.int64 and one.numpy().tolist() == [0, 1]
assert sex_lookup(tf.constant([0, 1], tf.int64)).numpy().tolist() == [1, 1]  # one sample
assert sex_lookup(tf.constant([[0], [1]], tf.int64)).numpy().tolist() == [[1, 0], [0, 1]]
enc = layers.CategoryEncoding(num_tokens=4, output_mode="count")
assert enc(tf.constant([1, 3, 3])).numpy().tolist() == [0.0, 1.0, 0.0, 2.0]
assert enc.compute_output_shape((None,)) == (4,)
onehot = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
assert onehot(tf.constant([1, 3])).shape == (2, 4)
bins = layers.Discretization(bin_boundaries=[44.5, 60.5])
assert bins(tf.constant([44, 45, 60, 61])).numpy().tolist() == [0, 1, 1, 2]


def encode(features, label):
    features = dict(features)
    for name, values in vocab.items():
        kind = layers.StringLookup if features[name].dtype == tf.string else layers.IntegerLookup
        lookup = kind(vocabulary=values, mask_token=None, num_oov_indices=0, output_mode="binary")
        features[name] = lookup(features[name])
    return features, label


ds = tf.data.Dataset.from_tensor_slices((table, target)).map(encode)
sample, _ = next(iter(ds))
assert {k: tuple(v.shape) for k, v in sample.items()} == {
    "age": (),
    "sex": (2,),
    "cp": (4,),
    "chol": (),
    "thal": (3,),
}
assert sample["thal"].dtype == tf.int64 and int(tf.reduce_sum(sample["thal"])) == 1
ds = ds.batch(8)

inputs, encoded = {}, []
for name in ["age", "chol"]:
    inputs[name] = keras.Input(shape=(1,), name=name, dtype="float32")
    norm = layers.Normalization()
    norm.adapt(ds.map(lambda x, y, name=name: tf.expand_dims(x[name], -1)))
    encoded.append(norm(inputs[name]))
for name, values in vocab.items():
    inputs[name] = keras.Input(shape=(len(values),), name=name, dtype="int64")
    encoded.append(inputs[name])
x = layers.concatenate(encoded)
assert tuple(x.shape) == (None, 11)
x = layers.Dense(8, activation="relu")(x)
model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
history = model.fit(ds, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2
one_row = {
    "age": [61.0],
    "chol": [233.0],
    "sex": [[0, 1]],
    "cp": [[0, 1, 0, 0]],
    "thal": [[1, 0, 0]],
}
pred = model.predict({k: tf.convert_to_tensor(v) for k, v in one_row.items()}, verbose=0)
assert pred.shape == (1, 1) and 0.0 <= float(pred[0, 0]) <= 1.0

# --- FeatureSpace: its model on raw int64 columns equals calling it on them
space = FeatureSpace(
    features={
        "sex": FeatureSpace.integer_categorical(num_oov_indices=0),
        "thal": FeatureSpace.string_categorical(num_oov_indices=0),
        "age": FeatureSpace.float_discretized(num_bins=5),
        "chol": FeatureSpace.float_normalized(),
    },
    crosses=[FeatureSpace.cross(feature_names=("sex", "age"), crossing_dim=8)],
    output_mode="concat",
)
raw = tf.data.Dataset.from_tensor_slices(
    {k: table[k] for k in ["sex", "thal", "age", "chol"]}
).batch(8)
space.adapt(raw)
columns = {k: tf.convert_to_tensor(table[k]) for k in ["sex", "thal", "age", "chol"]}
direct = space(columns)
assert tuple(direct.shape) == (n, 2 + 3 + 5 + 1 + 8) and direct.dtype == tf.float32
through_model = keras.Model(space.get_inputs(), space.get_encoded_features())
np.testing.assert_allclose(through_model.predict(columns, verbose=0), direct.numpy(), atol=1e-6)
print("ok")
