# A small Transformer encoder (MultiHeadAttention + LayerNormalization + feed-forward, as in
# the Keras text-classification-with-Transformer example) in a subclassed model learns
# whether a sequence ends with the token it starts with.
import numpy as np
import tensorflow as tf
from tensorflow import keras


class TransformerBlock(keras.layers.Layer):
    def __init__(self, dim, heads, hidden, **kwargs):
        super().__init__(**kwargs)
        self.attention = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.ffn1 = keras.layers.Dense(hidden, activation="relu")
        self.ffn2 = keras.layers.Dense(dim)
        self.norm1 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, training=False):
        x = self.norm1(x + self.attention(x, x, training=training))
        return self.norm2(x + self.ffn2(self.ffn1(x)))


class Classifier(keras.Model):
    def __init__(self, vocab, length, dim=16):
        super().__init__()
        self.tokens = keras.layers.Embedding(vocab, dim)
        self.positions = keras.layers.Embedding(length, dim)
        self.block = TransformerBlock(dim, 2, 32)
        self.pool = keras.layers.GlobalAveragePooling1D()
        self.out = keras.layers.Dense(1, activation="sigmoid")
        self.length = length

    def call(self, ids, training=False):
        x = self.tokens(ids) + self.positions(tf.range(self.length)[None])
        return self.out(self.pool(self.block(x, training=training)))


keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
ids = rng.integers(0, 4, size=(320, 6))
ids[:160, -1] = ids[:160, 0]
labels = (ids[:, 0] == ids[:, -1]).astype("float32")
model = Classifier(4, 6)
model.compile(
    optimizer=keras.optimizers.Adam(0.005), loss="binary_crossentropy", metrics=["accuracy"]
)
model.fit(ids, labels, epochs=50, batch_size=32, verbose=0)
assert model.evaluate(ids, labels, verbose=0)[1] > 0.9

mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4)
query = rng.standard_normal((2, 5, 6)).astype("float32")
value = rng.standard_normal((2, 7, 6)).astype("float32")
causal_out, scores = mha(query, query, return_attention_scores=True, use_causal_mask=True)
assert causal_out.shape == (2, 5, 6) and scores.shape == (2, 2, 5, 5)
np.testing.assert_allclose(np.triu(scores.numpy(), 1), 0, atol=1e-7)  # no peeking ahead
np.testing.assert_allclose(scores.numpy().sum(-1), 1, rtol=1e-5)
shapes = [w.shape for w in mha.get_weights()]
assert shapes == [(6, 2, 3), (2, 3), (6, 2, 3), (2, 3), (6, 2, 4), (2, 4), (2, 4, 6), (6,)]
mask = np.ones((2, 5, 7), bool)
mask[:, :, 4:] = False
_, masked_scores = mha(query, value, attention_mask=mask, return_attention_scores=True)
np.testing.assert_allclose(masked_scores.numpy()[..., 4:], 0, atol=1e-7)
