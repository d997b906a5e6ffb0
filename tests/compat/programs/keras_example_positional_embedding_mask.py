# keras.io "English-to-Spanish translation with a sequence-to-sequence Transformer" /
# "Text classification with Transformer": a PositionalEmbedding layer (token + position
# Embeddings) whose compute_mask marks padding (id 0); the mask reaches a
# MultiHeadAttention-based encoder layer (supports_masking, mask argument in call) and a
# masked GlobalAveragePooling1D; padded positions must not change the result.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(9)
rng = np.random.default_rng(9)
vocab_size, sequence_length, embed_dim = 20, 12, 16


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)
        self.sequence_length = sequence_length
        self.vocab_size = vocab_size
        self.embed_dim = embed_dim

    def call(self, inputs):
        length = tf.shape(inputs)[-1]
        positions = tf.range(start=0, limit=length, delta=1)
        embedded_tokens = self.token_embeddings(inputs)
        embedded_positions = self.position_embeddings(positions)
        return embedded_tokens + embedded_positions

    def compute_mask(self, inputs, mask=None):
        return keras.ops.not_equal(inputs, 0)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "sequence_length": self.sequence_length,
                "vocab_size": self.vocab_size,
                "embed_dim": self.embed_dim,
            }
        )
        return config


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim = embed_dim
        self.dense_dim = dense_dim
        self.num_heads = num_heads
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential(
            [layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            padding_mask = tf.cast(mask[:, None, :], dtype="int32")
        else:
            padding_mask = None
        attention_output = self.attention(
            query=inputs, value=inputs, key=inputs, attention_mask=padding_mask
        )
        proj_input = self.layernorm_1(inputs + attention_output)
        proj_output = self.dense_proj(proj_input)
        return self.layernorm_2(proj_input + proj_output)


seen_masks = []


class MaskProbe(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        seen_masks.append(mask)
        return inputs


# direct use: the layer's mask and the embedding shapes
pos = PositionalEmbedding(sequence_length, vocab_size, embed_dim)
tokens = np.array([[3, 5, 7, 0, 0, 0], [1, 2, 3, 4, 5, 6]], "int64")
emb = pos(tokens)
assert emb.shape == (2, 6, embed_dim)
mask = pos.compute_mask(tokens)
np.testing.assert_array_equal(mask.numpy(), tokens != 0)
np.testing.assert_allclose(
    emb.numpy()[1, 2],
    pos.token_embeddings.embeddings.numpy()[3] + pos.position_embeddings.embeddings.numpy()[2],
    rtol=1e-6,
)

inputs = keras.Input(shape=(None,), dtype="int64")
x = PositionalEmbedding(sequence_length, vocab_size, embed_dim)(inputs)
x = MaskProbe()(x)
x = TransformerEncoder(embed_dim, 32, 2)(x)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
seen_masks.clear()

# task: does token 7 occur among the real tokens; sequences padded with 0 at the end
n = 512
lengths = rng.integers(3, sequence_length + 1, n)
data = np.zeros((n, sequence_length), "int64")
for i, length in enumerate(lengths):
    data[i, :length] = rng.integers(1, vocab_size, length)
labels = (data == 7).any(axis=1).astype("float32")
model.compile(
    optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", metrics=["accuracy"]
)
history = model.fit(data[:400], labels[:400], batch_size=32, epochs=8, verbose=0)
_, acc = model.evaluate(data[400:], labels[400:], verbose=0)
assert acc > 0.85, (acc, history.history)

# the mask reached the layer after the embedding
probe_model = keras.Model(inputs, model.layers[2].output)
seen_masks.clear()
probe_model(data[:4])
assert seen_masks and seen_masks[-1] is not None
np.testing.assert_array_equal(np.asarray(seen_masks[-1]), data[:4] != 0)

# padding does not change predictions: the same sequences with 6 or 12 columns (the extra
# ones all padding) give the same outputs; a real token in place of the padding does not
rows = data[lengths <= 6][:8]
assert len(rows) == 8 and not rows[:, 6:].any()
p6 = model.predict(rows[:, :6], verbose=0)
p12 = model.predict(rows, verbose=0)
np.testing.assert_allclose(p6, p12, rtol=1e-4, atol=1e-5)
filled = np.where(rows == 0, 7, rows)
assert np.abs(model.predict(filled, verbose=0) - p12).max() > 1e-3

# the layer round-trips through its config
clone = PositionalEmbedding.from_config(pos.get_config())
assert clone.sequence_length == sequence_length and clone.embed_dim == embed_dim
print("accuracy", acc)
