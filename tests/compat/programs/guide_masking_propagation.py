"""Understanding masking & padding: pad_sequences, mask generation by Embedding/Masking,
mask propagation through layers, compute_mask, supports_masking and masks in custom layers."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(9)

raw_inputs = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]
padded = keras.utils.pad_sequences(raw_inputs, padding="post")
assert padded.shape == (3, 6)
np.testing.assert_array_equal(padded[0], [711, 632, 71, 0, 0, 0])
pre = keras.utils.pad_sequences(raw_inputs, maxlen=4, truncating="pre", value=-1)
np.testing.assert_array_equal(pre[0], [-1, 711, 632, 71])
np.testing.assert_array_equal(pre[2], [1, 645, 1253, 927])

# Embedding(mask_zero=True) and Masking generate masks.
embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
masked_output = embedding(padded)
expected_mask = padded != 0
np.testing.assert_array_equal(ops.convert_to_numpy(masked_output._keras_mask), expected_mask)
np.testing.assert_array_equal(ops.convert_to_numpy(embedding.compute_mask(padded)), expected_mask)

masking_layer = layers.Masking()
unmasked_embedding = ops.cast(ops.tile(ops.expand_dims(padded, axis=-1), [1, 1, 10]), "float32")
masked_embedding = masking_layer(unmasked_embedding)
np.testing.assert_array_equal(ops.convert_to_numpy(masked_embedding._keras_mask), expected_mask)

# Masks propagate in the functional API and the Sequential API: an LSTM ignores padding.
model = keras.Sequential(
    [layers.Embedding(input_dim=50, output_dim=4, mask_zero=True), layers.LSTM(3)]
)
short = np.array([[5, 7, 0, 0]])
trimmed = np.array([[5, 7]])
np.testing.assert_allclose(model(short), model(trimmed), rtol=1e-5, atol=1e-6)

inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)(inputs)
outputs = layers.LSTM(3)(x)
fmodel = keras.Model(inputs, outputs)
np.testing.assert_allclose(fmodel(short), fmodel(trimmed), rtol=1e-5, atol=1e-6)


# Passing a mask explicitly to a layer that takes one.
class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)
        self.lstm = layers.LSTM(3)

    def call(self, inputs):
        x = self.embedding(inputs)
        mask = self.embedding.compute_mask(inputs)
        return self.lstm(x, mask=mask)


layer = MyLayer()
np.testing.assert_allclose(layer(short), layer(trimmed), rtol=1e-5, atol=1e-6)


# A layer that changes the time dimension computes its own mask.
class TemporalSplit(keras.layers.Layer):
    """Split the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


first_half, second_half = TemporalSplit()(masked_embedding)
np.testing.assert_array_equal(ops.convert_to_numpy(first_half._keras_mask), expected_mask[:, :3])
np.testing.assert_array_equal(ops.convert_to_numpy(second_half._keras_mask), expected_mask[:, 3:])


# A layer that generates a mask from its input.
class CustomEmbedding(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim, self.mask_zero = input_dim, output_dim, mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer="random_normal"
        )

    def call(self, inputs):
        inputs = ops.cast(inputs, "int32")
        return ops.take(self.embeddings, inputs, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)


layer = CustomEmbedding(10, 32, mask_zero=True)
x = np.random.RandomState(0).randint(0, 10, size=(3, 10))
y = layer(x)
np.testing.assert_array_equal(ops.convert_to_numpy(layer.compute_mask(x)), x != 0)
np.testing.assert_array_equal(ops.convert_to_numpy(y._keras_mask), x != 0)


# supports_masking = True passes the mask through a layer that does not change it.
class MyActivation(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return ops.relu(inputs)


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
x = MyActivation()(x)
out = MyActivation()(x)
probe = keras.Model(inputs, out)
result = probe(padded)
np.testing.assert_array_equal(ops.convert_to_numpy(result._keras_mask), expected_mask)


# A layer that consumes the mask: a masked softmax over time.
class TemporalSoftmax(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None
        broadcast_float_mask = ops.expand_dims(ops.cast(mask, "float32"), -1)
        inputs_exp = ops.exp(inputs) * broadcast_float_mask
        inputs_sum = ops.sum(inputs_exp * broadcast_float_mask, axis=-1, keepdims=True)
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=32, mask_zero=True)(inputs)
x = layers.Dense(1)(x)
outputs = TemporalSoftmax()(x)
model = keras.Model(inputs, outputs)
y = ops.convert_to_numpy(model(padded))
np.testing.assert_allclose(y[expected_mask], 1.0, rtol=1e-6)
assert np.isnan(y[~expected_mask]).all()  # 0 / 0 where the mask is off

# A Dense layer keeps the mask (it supports masking); a pooling layer consumes it.
inputs = keras.Input(shape=(None,), dtype="int32")
emb = layers.Embedding(input_dim=10, output_dim=2, mask_zero=True, embeddings_initializer="ones")
pooled = layers.GlobalAveragePooling1D()(emb(inputs))
pool_model = keras.Model(inputs, pooled)
np.testing.assert_allclose(pool_model(np.array([[1, 2, 0, 0]])), [[1.0, 1.0]])
assert getattr(pool_model(np.array([[1, 2, 0, 0]])), "_keras_mask", None) is None

print("guide_masking_propagation: OK")
