# keras.io "Classification with Gated Residual and Variable Selection Networks", small and
# synthetic: per-feature encodings (StringLookup + Embedding for categories, Dense for
# numbers), GatedLinearUnit, GatedResidualNetwork (ELU Dense, Dropout, projection when the
# width differs, LayerNormalization) and a VariableSelection layer holding a list of GRNs
# that calls layers.concatenate inside call and weights the features with a softmax
# (ops.expand_dims / stack / transpose / matmul / squeeze); binary classification.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(41)
rng = np.random.default_rng(41)

n = 800
colour = rng.choice(["red", "green", "blue"], n)
size = rng.normal(size=n).astype("float32")
noise_a = rng.normal(size=n).astype("float32")
noise_b = rng.normal(size=n).astype("float32")
# only colour and size matter; the two noise columns do not
label = ((colour == "red") ^ (size > 0.3)).astype("float32")
x = {"colour": colour, "size": size, "noise_a": noise_a, "noise_b": noise_b}
NUMERIC = ["size", "noise_a", "noise_b"]
encoding_size = 16
dropout_rate = 0.1


class GatedLinearUnit(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.linear = layers.Dense(units)
        self.sigmoid = layers.Dense(units, activation="sigmoid")

    def call(self, inputs):
        return self.linear(inputs) * self.sigmoid(inputs)


class GatedResidualNetwork(layers.Layer):
    def __init__(self, units, dropout_rate):
        super().__init__()
        self.units = units
        self.elu_dense = layers.Dense(units, activation="elu")
        self.linear_dense = layers.Dense(units)
        self.dropout = layers.Dropout(dropout_rate)
        self.gated_linear_unit = GatedLinearUnit(units)
        self.layer_norm = layers.LayerNormalization()
        self.project = layers.Dense(units)

    def call(self, inputs):
        x = self.elu_dense(inputs)
        x = self.linear_dense(x)
        x = self.dropout(x)
        if inputs.shape[-1] != self.units:
            inputs = self.project(inputs)
        x = inputs + self.gated_linear_unit(x)
        x = self.layer_norm(x)
        return x


class VariableSelection(layers.Layer):
    def __init__(self, num_features, units, dropout_rate):
        super().__init__()
        self.grns = list()
        for idx in range(num_features):
            grn = GatedResidualNetwork(units, dropout_rate)
            self.grns.append(grn)
        self.grn_concat = GatedResidualNetwork(units, dropout_rate)
        self.softmax = layers.Dense(units=num_features, activation="softmax")

    def call(self, inputs):
        v = layers.concatenate(inputs)
        v = self.grn_concat(v)
        v = ops.expand_dims(self.softmax(v), axis=-1)
        x = []
        for idx, input in enumerate(inputs):
            x.append(self.grns[idx](input))
        x = ops.stack(x, axis=1)
        outputs = ops.squeeze(ops.matmul(ops.transpose(v, axes=[0, 2, 1]), x), axis=1)
        return outputs


def create_model_inputs():
    inputs = {"colour": layers.Input(name="colour", shape=(), dtype="string")}
    for name in NUMERIC:
        inputs[name] = layers.Input(name=name, shape=(), dtype="float32")
    return inputs


def encode_inputs(inputs, encoding_size):
    encoded_features = []
    for feature_name in inputs:
        if feature_name == "colour":
            index = layers.StringLookup(
                vocabulary=["red", "green", "blue"], mask_token=None, num_oov_indices=0
            )
            value_index = index(inputs[feature_name])
            embedding_encoder = layers.Embedding(input_dim=3, output_dim=encoding_size)
            encoded_feature = embedding_encoder(value_index)
        else:
            encoded_feature = ops.expand_dims(inputs[feature_name], -1)
            encoded_feature = layers.Dense(units=encoding_size)(encoded_feature)
        encoded_features.append(encoded_feature)
    return encoded_features


def create_model(encoding_size):
    inputs = create_model_inputs()
    feature_list = encode_inputs(inputs, encoding_size)
    num_features = len(feature_list)
    features = VariableSelection(num_features, encoding_size, dropout_rate)(feature_list)
    outputs = layers.Dense(units=1, activation="sigmoid")(features)
    return keras.Model(inputs=inputs, outputs=outputs)


# a GRN projects the input when its width differs, and keeps it otherwise
grn = GatedResidualNetwork(8, 0.0)
assert tuple(grn(np.ones((2, 3), "float32")).shape) == (2, 8)
assert grn.project.built
grn_same = GatedResidualNetwork(3, 0.0)
assert tuple(grn_same(np.ones((2, 3), "float32")).shape) == (2, 3)
assert not grn_same.project.built

model = create_model(encoding_size)
vsn = [layer for layer in model.layers if isinstance(layer, VariableSelection)][0]
assert len(vsn.grns) == 4
assert model.output_shape == (None, 1)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss=keras.losses.BinaryCrossentropy(),
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
)
train_ds = tf.data.Dataset.from_tensor_slices(
    ({k: v[:600] for k, v in x.items()}, label[:600])
).batch(64)
valid_ds = tf.data.Dataset.from_tensor_slices(
    ({k: v[600:] for k, v in x.items()}, label[600:])
).batch(200)
early_stopping = keras.callbacks.EarlyStopping(
    monitor="val_loss", patience=3, restore_best_weights=True
)
history = model.fit(
    train_ds, epochs=15, validation_data=valid_ds, callbacks=[early_stopping], verbose=0
)
_, accuracy = model.evaluate(valid_ds, verbose=0)
assert accuracy > 0.85, accuracy  # a coin flip scores 0.5

# the selection weights of each row sum to one; colour and size take most of the weight
# (layers called inside call() record no node: compute them eagerly from the VSN's inputs)
encoder = keras.Model(model.inputs, vsn.input)
features = encoder.predict(valid_ds, verbose=0)
assert [f.shape for f in features] == [(200, encoding_size)] * 4
weights = vsn.softmax(vsn.grn_concat(np.concatenate(features, axis=-1)))
weights = keras.ops.convert_to_numpy(weights)
np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)
mean_w = weights.mean(axis=0)
assert mean_w[0] + mean_w[1] > 0.6, mean_w
print("grn vsn ok", accuracy, mean_w.round(3))
