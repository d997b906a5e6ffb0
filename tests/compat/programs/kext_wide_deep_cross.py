# keras.io "Structured data learning with Wide, Deep, and Cross networks", small and
# synthetic: one scalar keras.Input (shape=()) per column, string columns through StringLookup
# (one_hot for the wide part, int + Embedding for the deep part), numeric columns through
# keras.ops.expand_dims, a Wide & Deep model (BatchNormalization, ReLU, Dropout) and a Deep &
# Cross model (cross = x0 * Dense(x) + cross), both fit on a tf.data Dataset of dicts.
import math

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(31)
rng = np.random.default_rng(31)

CATEGORICAL_FEATURES_WITH_VOCABULARY = {
    "soil": ["clay", "loam", "sand", "silt"],
    "slope": ["flat", "gentle", "steep"],
}
CATEGORICAL_FEATURE_NAMES = list(CATEGORICAL_FEATURES_WITH_VOCABULARY)
NUMERIC_FEATURE_NAMES = ["elevation", "rain"]
FEATURE_NAMES = NUMERIC_FEATURE_NAMES + CATEGORICAL_FEATURE_NAMES
NUM_CLASSES = 3

n = 1200
soil = rng.choice(CATEGORICAL_FEATURES_WITH_VOCABULARY["soil"], n)
slope = rng.choice(CATEGORICAL_FEATURES_WITH_VOCABULARY["slope"], n)
elevation = rng.normal(size=n).astype("float32")
rain = rng.normal(size=n).astype("float32")
# the cover type: an interaction of soil and slope, shifted by the elevation
base = (np.isin(soil, ["clay", "silt"]).astype(int) + (slope == "steep")) % 2
target = np.where(elevation > 0.8, 2, base).astype("int64")
features = {"soil": soil, "slope": slope, "elevation": elevation, "rain": rain}


def get_dataset(start, stop, batch_size, shuffle=False):
    ds = tf.data.Dataset.from_tensor_slices(
        ({k: v[start:stop] for k, v in features.items()}, target[start:stop])
    )
    if shuffle:
        ds = ds.shuffle(1000, seed=0)
    return ds.batch(batch_size)


train_dataset = get_dataset(0, 1000, 64, shuffle=True)
test_dataset = get_dataset(1000, n, 200)


def create_model_inputs():
    inputs = {}
    for feature_name in FEATURE_NAMES:
        if feature_name in NUMERIC_FEATURE_NAMES:
            inputs[feature_name] = layers.Input(name=feature_name, shape=(), dtype="float32")
        else:
            inputs[feature_name] = layers.Input(name=feature_name, shape=(), dtype="string")
    return inputs


def encode_inputs(inputs, use_embedding=False):
    encoded_features = []
    for feature_name in inputs:
        if feature_name in CATEGORICAL_FEATURE_NAMES:
            vocabulary = CATEGORICAL_FEATURES_WITH_VOCABULARY[feature_name]
            lookup = layers.StringLookup(
                vocabulary=vocabulary,
                mask_token=None,
                num_oov_indices=0,
                output_mode="int" if use_embedding else "one_hot",
            )
            if use_embedding:
                encoded_feature = lookup(inputs[feature_name])
                embedding_dims = int(math.sqrt(len(vocabulary)))
                embedding = layers.Embedding(input_dim=len(vocabulary), output_dim=embedding_dims)
                encoded_feature = embedding(encoded_feature)
            else:
                encoded_feature = lookup(inputs[feature_name])
        else:
            encoded_feature = keras.ops.expand_dims(inputs[feature_name], -1)
        encoded_features.append(encoded_feature)
    return layers.concatenate(encoded_features)


hidden_units = [32, 32]
dropout_rate = 0.1


def create_wide_and_deep_model():
    inputs = create_model_inputs()
    wide = encode_inputs(inputs)
    wide = layers.BatchNormalization()(wide)
    deep = encode_inputs(inputs, use_embedding=True)
    for units in hidden_units:
        deep = layers.Dense(units)(deep)
        deep = layers.BatchNormalization()(deep)
        deep = layers.ReLU()(deep)
        deep = layers.Dropout(dropout_rate)(deep)
    merged = layers.concatenate([wide, deep])
    outputs = layers.Dense(units=NUM_CLASSES, activation="softmax")(merged)
    return keras.Model(inputs=inputs, outputs=outputs)


def create_deep_and_cross_model():
    inputs = create_model_inputs()
    x0 = encode_inputs(inputs, use_embedding=True)
    cross = x0
    for _ in hidden_units:
        units = cross.shape[-1]
        x = layers.Dense(units)(cross)
        cross = x0 * x + cross
    cross = layers.BatchNormalization()(cross)
    deep = x0
    for units in hidden_units:
        deep = layers.Dense(units)(deep)
        deep = layers.BatchNormalization()(deep)
        deep = layers.ReLU()(deep)
        deep = layers.Dropout(dropout_rate)(deep)
    merged = layers.concatenate([cross, deep])
    outputs = layers.Dense(units=NUM_CLASSES, activation="softmax")(merged)
    return keras.Model(inputs=inputs, outputs=outputs)


def run_experiment(model):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    history = model.fit(train_dataset, epochs=12, verbose=0)
    _, accuracy = model.evaluate(test_dataset, verbose=0)
    return history, accuracy


wide_and_deep_model = create_wide_and_deep_model()
# wide: 2 numeric + 4 + 3 one-hot columns; deep: 2 numeric + 2 + 1 embedding dims
concat_shapes = sorted(
    tuple(layer.output.shape)
    for layer in wide_and_deep_model.layers
    if isinstance(layer, layers.Concatenate)
)
assert concat_shapes == [(None, 5), (None, 9), (None, 41)], concat_shapes
assert [i.shape for i in wide_and_deep_model.inputs] == [(None,)] * 4
history, wd_accuracy = run_experiment(wide_and_deep_model)
assert sorted(history.history) == ["loss", "sparse_categorical_accuracy"]
assert wd_accuracy > 0.8, wd_accuracy  # the majority class holds about 0.4

deep_and_cross_model = create_deep_and_cross_model()
assert deep_and_cross_model.output_shape == (None, NUM_CLASSES)
history, dc_accuracy = run_experiment(deep_and_cross_model)
assert dc_accuracy > 0.8, dc_accuracy

# predict on a dict of raw columns, one row (Keras 3 takes strings as tensors, not NumPy)
row = {
    "soil": tf.constant(["clay"]),
    "slope": tf.constant(["flat"]),
    "elevation": tf.constant([2.0]),
    "rain": tf.constant([0.0]),
}
probs = deep_and_cross_model.predict(row, verbose=0)
assert probs.shape == (1, NUM_CLASSES) and int(np.argmax(probs)) == 2, probs
print("wide deep cross ok", wd_accuracy, dc_accuracy)
