"""Keras guide "Understanding masking & padding": pad_sequences, Embedding(mask_zero=True)
and its compute_mask, the Masking layer, masks reaching LSTM and custom layers
(supports_masking, compute_mask, call(inputs, mask=None)), and padded steps left out of
the loss and metrics."""

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

raw_inputs = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]
padded_inputs = tf.keras.utils.pad_sequences(raw_inputs, padding="post")
np.testing.assert_array_equal(
    padded_inputs,
    [[711, 632, 71, 0, 0, 0], [73, 8, 3215, 55, 927, 0], [83, 91, 1, 645, 1253, 927]],
)
assert padded_inputs.dtype == np.int32
pre = tf.keras.utils.pad_sequences(raw_inputs, maxlen=4, truncating="post", value=-1)
np.testing.assert_array_equal(pre, [[-1, 711, 632, 71], [73, 8, 3215, 55], [83, 91, 1, 645]])
EXPECTED_MASK = padded_inputs != 0

embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
masked_output = embedding(padded_inputs)
np.testing.assert_array_equal(masked_output._keras_mask.numpy(), EXPECTED_MASK)
np.testing.assert_array_equal(embedding.compute_mask(padded_inputs).numpy(), EXPECTED_MASK)

masking_layer = layers.Masking()
unmasked_embedding = tf.cast(
    tf.tile(tf.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), tf.float32
)
masked_embedding = masking_layer(unmasked_embedding)
np.testing.assert_array_equal(masked_embedding._keras_mask.numpy(), EXPECTED_MASK)

# the LSTM skips masked steps: trailing padding changes nothing
model = keras.Sequential(
    [
        keras.Input((None,), dtype="int32"),
        layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True),
        layers.LSTM(8),
    ]
)
out_padded = model(padded_inputs).numpy()
out_short = model(np.array([[711, 632, 71]])).numpy()
np.testing.assert_allclose(out_padded[0], out_short[0], rtol=1e-5, atol=1e-6)


class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
        self.lstm = layers.LSTM(8)

    def call(self, inputs):
        x = self.embedding(inputs)
        mask = self.embedding.compute_mask(inputs)
        return self.lstm(x, mask=mask)


layer = MyLayer()
a = layer(padded_inputs[:1]).numpy()
b = layer(padded_inputs[:1, :3]).numpy()
np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


class TemporalSplit(keras.layers.Layer):
    def call(self, inputs):
        return tf.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return tf.split(mask, 2, axis=1)


first_half, second_half = TemporalSplit()(masked_embedding)
np.testing.assert_array_equal(first_half._keras_mask.numpy(), EXPECTED_MASK[:, :3])
np.testing.assert_array_equal(second_half._keras_mask.numpy(), EXPECTED_MASK[:, 3:])


class CustomEmbedding(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer="random_normal", dtype="float32"
        )

    def call(self, inputs):
        inputs = tf.cast(inputs, "int32")
        return tf.nn.embedding_lookup(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)


layer = CustomEmbedding(10, 32, mask_zero=True)
ids = np.array([[1, 0, 3], [0, 0, 9]], dtype="int32")
y = layer(ids)
assert tuple(y.shape) == (2, 3, 32)
np.testing.assert_array_equal(y._keras_mask.numpy(), ids != 0)
np.testing.assert_array_equal(layer.compute_mask(ids).numpy(), ids != 0)
assert getattr(CustomEmbedding(10, 4)(ids), "_keras_mask", None) is None


class MyActivation(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return tf.nn.relu(inputs)


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
x = MyActivation()(x)
assert x._keras_mask is not None  # the symbolic mask flows through
model = keras.Model(inputs, layers.LSTM(8)(x))
np.testing.assert_allclose(
    model(padded_inputs[:1]).numpy(), model(padded_inputs[:1, :3]).numpy(), rtol=1e-5, atol=1e-6
)


class TemporalSoftmax(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None
        broadcast_float_mask = tf.expand_dims(tf.cast(mask, "float32"), -1)
        inputs_exp = tf.exp(inputs) * broadcast_float_mask
        inputs_sum = tf.reduce_sum(inputs_exp * broadcast_float_mask, axis=1, keepdims=True)
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
x = layers.Dense(1)(x)
outputs = TemporalSoftmax()(x)
model = keras.Model(inputs, outputs)
weights = model(np.array([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0]])).numpy()[..., 0]
np.testing.assert_allclose(weights.sum(axis=1), [1.0, 1.0], rtol=1e-5)
np.testing.assert_array_equal(weights[0, 3:], 0.0)
np.testing.assert_allclose(weights[1], [1.0, 0, 0, 0, 0], rtol=1e-6)

# padded steps count for nothing in the loss and the metrics
x_ids = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]])
targets = np.random.RandomState(0).rand(2, 5, 1).astype("float32")
inputs = keras.Input((5,), dtype="int32")
e = layers.Embedding(10, 4, mask_zero=True, embeddings_initializer="ones")(inputs)
seq_out = layers.Dense(1, kernel_initializer="ones")(e)  # 4.0 at every step
seq_model = keras.Model(inputs, seq_out)
seq_model.compile(loss="mse", optimizer="sgd", metrics=["mae"])
ev = seq_model.evaluate(x_ids, targets, verbose=0, return_dict=True)
keep = x_ids != 0
se, ae = (4.0 - targets[..., 0]) ** 2, np.abs(4.0 - targets[..., 0])
np.testing.assert_allclose(ev["loss"], se[keep].mean(), rtol=1e-5)
np.testing.assert_allclose(ev["mae"], ae[keep].mean(), rtol=1e-5)
assert abs(ev["loss"] - se.mean()) > 1e-3  # the unmasked mean differs

# Masking + GlobalAveragePooling1D average over the kept steps only
series = np.array([[[1.0], [3.0], [0.0]], [[2.0], [0.0], [0.0]]], "float32")
pool = keras.Sequential([keras.Input((3, 1)), layers.Masking(0.0), layers.GlobalAveragePooling1D()])
np.testing.assert_allclose(pool(series).numpy(), [[2.0], [2.0]], rtol=1e-6)
print("guide_keras_masking OK")
