# keras.io "Structured data learning with TabTransformer", small and synthetic: categorical
# columns through StringLookup + Embedding stacked with ops.stack, a column Embedding applied
# to a constant ops.arange and added to the symbolic tensor, MultiHeadAttention transformer
# blocks with named Add / LayerNormalization layers, feed-forward and final MLPs built by a
# create_mlp helper (keras.Sequential of normalization / Dense / Dropout, functools.partial
# for the normalization), numeric columns LayerNormalized and concatenated, AdamW; then the
# baseline MLP of the example on the same encodings.
from functools import partial

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(71)
rng = np.random.default_rng(71)

CATEGORICAL = {
    "workclass": ["private", "public", "self"],
    "education": ["school", "college", "masters", "phd"],
    "region": ["north", "south"],
}
NUMERIC = ["age", "hours"]
n = 1000
data = {name: rng.choice(vocab, n) for name, vocab in CATEGORICAL.items()}
data["age"] = rng.normal(size=n).astype("float32")
data["hours"] = rng.normal(size=n).astype("float32")
# income: an interaction of education and workclass, helped by hours
score = (
    np.isin(data["education"], ["masters", "phd"]).astype(float)
    + (data["workclass"] == "self")
    - 0.5 * (data["region"] == "south")
    + 0.8 * data["hours"]
)
labels = (score > 0.9).astype("float32")

embedding_dims = 8
num_transformer_blocks = 2
num_heads = 2
dropout_rate = 0.1
mlp_hidden_units_factors = [2, 1]


def create_model_inputs():
    inputs = {}
    for name in list(CATEGORICAL) + NUMERIC:
        dtype = "string" if name in CATEGORICAL else "float32"
        inputs[name] = layers.Input(name=name, shape=(), dtype=dtype)
    return inputs


def encode_inputs(inputs, embedding_dims):
    encoded_categorical_feature_list = []
    numerical_feature_list = []
    for feature_name in inputs:
        if feature_name in CATEGORICAL:
            vocabulary = CATEGORICAL[feature_name]
            lookup = layers.StringLookup(
                vocabulary=vocabulary, mask_token=None, num_oov_indices=0, output_mode="int"
            )
            encoded_feature = lookup(inputs[feature_name])
            embedding = layers.Embedding(input_dim=len(vocabulary), output_dim=embedding_dims)
            encoded_categorical_feature_list.append(embedding(encoded_feature))
        else:
            numerical_feature_list.append(ops.expand_dims(inputs[feature_name], -1))
    return encoded_categorical_feature_list, numerical_feature_list


def create_mlp(hidden_units, dropout_rate, activation, normalization_layer, name=None):
    mlp_layers = []
    for units in hidden_units:
        mlp_layers.append(normalization_layer())
        mlp_layers.append(layers.Dense(units, activation=activation))
        mlp_layers.append(layers.Dropout(dropout_rate))
    return keras.Sequential(mlp_layers, name=name)


def create_tabtransformer_classifier(use_column_embedding=True):
    inputs = create_model_inputs()
    encoded_categorical_feature_list, numerical_feature_list = encode_inputs(inputs, embedding_dims)
    encoded_categorical_features = ops.stack(encoded_categorical_feature_list, axis=1)
    numerical_features = layers.concatenate(numerical_feature_list)
    if use_column_embedding:
        num_columns = encoded_categorical_features.shape[1]
        column_embedding = layers.Embedding(input_dim=num_columns, output_dim=embedding_dims)
        column_indices = ops.arange(start=0, stop=num_columns, step=1)
        encoded_categorical_features = encoded_categorical_features + column_embedding(
            column_indices
        )
    for block_idx in range(num_transformer_blocks):
        attention_output = layers.MultiHeadAttention(
            num_heads=num_heads,
            key_dim=embedding_dims,
            dropout=dropout_rate,
            name=f"multihead_attention_{block_idx}",
        )(encoded_categorical_features, encoded_categorical_features)
        x = layers.Add(name=f"skip_connection1_{block_idx}")(
            [attention_output, encoded_categorical_features]
        )
        x = layers.LayerNormalization(name=f"layer_norm1_{block_idx}", epsilon=1e-6)(x)
        feedforward_output = create_mlp(
            hidden_units=[embedding_dims],
            dropout_rate=dropout_rate,
            activation=keras.activations.gelu,
            normalization_layer=partial(layers.LayerNormalization, epsilon=1e-6),
            name=f"feedforward_{block_idx}",
        )(x)
        x = layers.Add(name=f"skip_connection2_{block_idx}")([feedforward_output, x])
        encoded_categorical_features = layers.LayerNormalization(
            name=f"layer_norm2_{block_idx}", epsilon=1e-6
        )(x)
    categorical_features = layers.Flatten()(encoded_categorical_features)
    numerical_features = layers.LayerNormalization(epsilon=1e-6)(numerical_features)
    features = layers.concatenate([categorical_features, numerical_features])
    mlp_hidden_units = [factor * features.shape[-1] for factor in mlp_hidden_units_factors]
    features = create_mlp(
        hidden_units=mlp_hidden_units,
        dropout_rate=dropout_rate,
        activation=keras.activations.selu,
        normalization_layer=layers.BatchNormalization,
        name="MLP",
    )(features)
    outputs = layers.Dense(units=1, activation="sigmoid", name="sigmoid")(features)
    return keras.Model(inputs=inputs, outputs=outputs)


def create_baseline_model():
    inputs = create_model_inputs()
    encoded_categorical_feature_list, numerical_feature_list = encode_inputs(inputs, embedding_dims)
    features = layers.concatenate(encoded_categorical_feature_list + numerical_feature_list)
    features = create_mlp(
        hidden_units=[32, 16],
        dropout_rate=dropout_rate,
        activation=keras.activations.selu,
        normalization_layer=layers.BatchNormalization,
    )(features)
    outputs = layers.Dense(units=1, activation="sigmoid", name="sigmoid")(features)
    return keras.Model(inputs=inputs, outputs=outputs)


train_ds = tf.data.Dataset.from_tensor_slices(
    ({k: v[:800] for k, v in data.items()}, labels[:800])
).batch(64)
test_ds = tf.data.Dataset.from_tensor_slices(
    ({k: v[800:] for k, v in data.items()}, labels[800:])
).batch(200)


def run_experiment(model):
    model.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=0.005, weight_decay=0.0001),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
    )
    history = model.fit(train_ds, epochs=10, verbose=0)
    _, accuracy = model.evaluate(test_ds, verbose=0)
    return history, accuracy


tabtransformer_model = create_tabtransformer_classifier()
names = [layer.name for layer in tabtransformer_model.layers]
assert "skip_connection2_1" in names and "feedforward_0" in names and "MLP" in names, names
ffn = tabtransformer_model.get_layer("feedforward_0")
assert isinstance(ffn.layers[0], layers.LayerNormalization) and ffn.layers[0].epsilon == 1e-6
assert tabtransformer_model.get_layer("MLP").layers[1].units == 2 * (3 * embedding_dims + 2)
assert tabtransformer_model.get_layer("layer_norm2_1").output.shape == (None, 3, embedding_dims)
history, accuracy = run_experiment(tabtransformer_model)
assert history.history["loss"][-1] < 0.8 * history.history["loss"][0], history.history["loss"]
majority = max(labels[800:].mean(), 1 - labels[800:].mean())
assert accuracy > majority + 0.1, (accuracy, majority)

baseline_model = create_baseline_model()
_, baseline_accuracy = run_experiment(baseline_model)
assert baseline_accuracy > majority + 0.1, (baseline_accuracy, majority)
print("tabtransformer ok", accuracy, baseline_accuracy, majority)
