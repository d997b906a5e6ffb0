# keras.io "Semantic Similarity with BERT" / sentence-embedding examples, small and with a
# BERT-like encoder of our own: a PositionalEmbedding layer whose compute_mask marks the
# padding, one MultiHeadAttention block (Add + LayerNormalization + feed-forward), masked
# GlobalAveragePooling1D, one encoder Model shared by the two sides of a siamese model, scored
# by Dot(normalize=True) (cosine similarity) and by a classifier on [u, v, |u - v|]; padded
# positions change no sentence embedding.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(91)
rng = np.random.default_rng(91)

MAX_LEN = 12
VOCAB = 32  # 0 pad; 2-21: four topics of five words; 22-31: filler
EMBED_DIM = 24
topics = [list(range(2 + 5 * t, 7 + 5 * t)) for t in range(4)]
filler = list(range(22, 32))


def sentence(topic, max_len=MAX_LEN):
    length = int(rng.integers(5, 10))
    words = [
        int(rng.choice(topics[topic])) if rng.random() < 0.6 else int(rng.choice(filler))
        for _ in range(length)
    ]
    return words + [0] * (max_len - length)


n = 600
topic_a = rng.integers(0, 4, n)
same = rng.random(n) < 0.5
topic_b = np.where(same, topic_a, (topic_a + rng.integers(1, 4, n)) % 4)
sent_a = np.array([sentence(t) for t in topic_a])
sent_b = np.array([sentence(t) for t in topic_b])
labels = same.astype("float32")


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)

    def call(self, inputs):
        length = ops.shape(inputs)[-1]
        positions = ops.arange(0, length, 1)
        return self.token_embeddings(inputs) + self.position_embeddings(positions)

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)


def create_encoder(max_positions=16):
    token_ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")
    x = PositionalEmbedding(max_positions, VOCAB, EMBED_DIM)(token_ids)
    attention = layers.MultiHeadAttention(num_heads=2, key_dim=EMBED_DIM // 2)(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, attention]))
    ffn = layers.Dense(EMBED_DIM, activation="gelu")(x)
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, ffn]))
    pooled = layers.GlobalAveragePooling1D()(x)
    return keras.Model(token_ids, pooled, name="encoder")


encoder = create_encoder()
input_a = keras.Input(shape=(MAX_LEN,), dtype="int32", name="sentence_a")
input_b = keras.Input(shape=(MAX_LEN,), dtype="int32", name="sentence_b")
u = encoder(input_a)
v = encoder(input_b)
cosine = layers.Dot(axes=1, normalize=True, name="cosine")([u, v])
similarity_model = keras.Model([input_a, input_b], cosine)
assert similarity_model.output_shape == (None, 1)
assert len(similarity_model.trainable_weights) == len(encoder.trainable_weights)

similarity_model.compile(optimizer=keras.optimizers.Adam(0.003), loss="mse")
history = similarity_model.fit(
    [sent_a[:500], sent_b[:500]], labels[:500], batch_size=50, epochs=10, verbose=0
)
losses = history.history["loss"]
assert losses[-1] < 0.5 * losses[0], losses
cos = similarity_model.predict([sent_a[500:], sent_b[500:]], verbose=0)[:, 0]
assert np.all(np.abs(cos) <= 1 + 1e-5)
auc = keras.metrics.AUC()
auc.update_state(labels[500:], (cos + 1) / 2)
assert float(auc.result()) > 0.9, float(auc.result())

# the pooled sentence embedding ignores padding: 12 or 16 positions give the same vector
longer = np.concatenate([sent_a[500:510], np.zeros((10, 4), "int64")], axis=1)
np.testing.assert_allclose(
    encoder.predict(sent_a[500:510], verbose=0),
    encoder.predict(longer, verbose=0),
    rtol=1e-4,
    atol=1e-5,
)

# a classification head on the same (now pretrained) encoder, SNLI-style features
features = layers.Concatenate()([u, v, ops.abs(u - v)])
hidden = layers.Dense(16, activation="relu")(features)
probability = layers.Dense(1, activation="sigmoid")(hidden)
classifier = keras.Model([input_a, input_b], probability)
encoder.trainable = False
classifier.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
assert len(classifier.trainable_weights) == 4
classifier.fit([sent_a[:500], sent_b[:500]], labels[:500], batch_size=50, epochs=8, verbose=0)
_, accuracy = classifier.evaluate([sent_a[500:], sent_b[500:]], labels[500:], verbose=0)
assert accuracy > 0.8, accuracy
print("siamese ok", round(losses[0], 3), round(losses[-1], 3), float(auc.result()), accuracy)
