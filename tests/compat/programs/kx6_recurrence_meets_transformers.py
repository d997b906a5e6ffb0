# keras.io "When Recurrence meets Transformers" (Temporal Latent Bottleneck), shrunk: patch
# embeddings cut into chunks [batch, chunks, chunk_size, dim] and fed to keras.layers.RNN
# with a custom cell whose step input is a whole chunk (rank 4 in all, as Keras 3 allows);
# the cell keeps its slow stream as a flat int-sized state (Keras 3's rule), runs
# cross-attention between the chunk and that state with layers called with query=/key=/value=
# keywords, and keeps the attention scores of each step when asked; the RNN's outputs and
# final state are checked against the cell run by hand, chunk by chunk; the model trains.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(11)
CHUNKS, CHUNK, DIM = 3, 4, 8


class CrossAttentionFFN(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.norm_q = layers.LayerNormalization(epsilon=1e-5)
        self.norm_kv = layers.LayerNormalization(epsilon=1e-5)
        self.mha = layers.MultiHeadAttention(num_heads=1, key_dim=DIM)
        self.ffn = keras.Sequential([layers.Dense(2 * DIM, activation="gelu"), layers.Dense(DIM)])
        self.scores = None

    def call(self, query, key, value):
        attended, self.scores = self.mha(
            query=self.norm_q(query),
            key=self.norm_kv(key),
            value=self.norm_kv(value),
            return_attention_scores=True,
        )
        x = query + attended
        return x + self.ffn(x)


class BottleneckCell(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.state_size = CHUNK * DIM
        self.output_size = CHUNK * DIM
        self.fast = CrossAttentionFFN(name="fast")
        self.slow = CrossAttentionFFN(name="slow")
        self.keep_scores = False
        self.step_scores = []

    def call(self, inputs, states):
        slow = tf.reshape(states[0], (-1, CHUNK, DIM))
        fast = self.fast(query=inputs, key=slow, value=slow)
        slow = self.slow(query=slow, key=fast, value=fast)
        if self.keep_scores:
            self.step_scores.append(self.slow.scores)
        return fast, [tf.reshape(slow, (-1, CHUNK * DIM))]


class PatchChunks(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.proj = layers.Conv2D(DIM, 2, strides=2)
        self.positions = layers.Embedding(CHUNKS * CHUNK, DIM)

    def call(self, images):
        x = tf.reshape(self.proj(images), (-1, CHUNKS * CHUNK, DIM))
        x = x + self.positions(tf.range(CHUNKS * CHUNK))
        return tf.reshape(x, (-1, CHUNKS, CHUNK, DIM))


cell = BottleneckCell()
rnn = layers.RNN(cell, return_sequences=True, return_state=True)
chunks = np.random.default_rng(2).normal(size=(2, CHUNKS, CHUNK, DIM)).astype("float32")
sequence, state = rnn(chunks)
assert tuple(sequence.shape) == (2, CHUNKS, CHUNK, DIM)
assert tuple(state.shape) == (2, CHUNK * DIM)

# the same recurrence by hand: the RNN gives the cell one chunk per step
slow = tf.zeros((2, CHUNK * DIM))
for t in range(CHUNKS):
    fast, (slow,) = cell(tf.constant(chunks[:, t]), [slow])
    np.testing.assert_allclose(sequence[:, t].numpy(), fast.numpy(), rtol=1e-4, atol=1e-5)
np.testing.assert_allclose(state.numpy(), slow.numpy(), rtol=1e-4, atol=1e-5)

# the scores of the slow stream: one [batch, heads, CHUNK, CHUNK] map per chunk
cell.keep_scores = True
layers.RNN(cell)(chunks)
assert len(cell.step_scores) >= CHUNKS
assert all(tuple(s.shape) == (2, 1, CHUNK, CHUNK) for s in cell.step_scores)
np.testing.assert_allclose(cell.step_scores[-1].numpy().sum(-1), 1.0, rtol=1e-5)
cell.keep_scores = False


class Bottleneck(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.chunker = PatchChunks()
        self.rnn = layers.RNN(BottleneckCell(), name="rnn")
        self.pool = layers.GlobalAveragePooling1D()
        self.head = layers.Dense(4, activation="softmax")

    def call(self, images):
        return self.head(self.pool(self.rnn(self.chunker(images))))


images = np.random.default_rng(3).random((8, 6, 8, 3)).astype("float32")
labels = np.arange(8) % 4
model = Bottleneck()
model.compile(
    optimizer=keras.optimizers.AdamW(1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(images, labels, batch_size=4, epochs=2, verbose=0)
assert sorted(history.history) == ["accuracy", "loss"]
probs = model.predict(images[:2], verbose=0)
assert probs.shape == (2, 4)
np.testing.assert_allclose(probs.sum(-1), 1.0, rtol=1e-5)
print("ok")
