# keras.io "Text Generation using FNet", small and synthetic: question/answer strings through
# a TextVectorization with a custom standardize (lower, regex spacing of punctuation,
# "[start] ... [end]" joined on), an FNetEncoder whose token mixing is
# real(fft2d(cast(x, complex64))) and which trains (gradients pass back through the FFT and
# the casts: N * ifft2d of the upstream gradient), a decoder layer called with two tensors
# (Keras 3 then hands it no `mask`, but fills `<name>_mask` parameters), an encoder model and
# a decoder model joined into one, and greedy decoding with predict.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)
VOCAB_SIZE, MAX_LENGTH, EMBED_DIM, LATENT_DIM, NUM_HEADS = 40, 10, 8, 16, 2

# --- the FFT mixing and its gradient, against NumPy ---
x = tf.Variable(rng.normal(size=(2, 3, 4)).astype("float32"))
weights = rng.normal(size=(2, 3, 4)).astype("float32")
with tf.GradientTape() as tape:
    mixed = tf.math.real(tf.signal.fft2d(tf.cast(x, tf.complex64)))
    loss = tf.reduce_sum(mixed * weights)
np.testing.assert_allclose(mixed.numpy(), np.fft.fft2(x.numpy()).real, rtol=1e-4, atol=1e-4)
# d/dx sum(w * Re(F x)) = Re(F^H w) = 12 * Re(ifft2(w)) for real w
expected = 12 * np.fft.ifft2(weights).real
np.testing.assert_allclose(tape.gradient(loss, x).numpy(), expected, rtol=1e-4, atol=1e-4)
with tf.GradientTape() as tape:
    z = tf.complex(x, 2 * x)
    loss = tf.reduce_sum(tf.math.imag(tf.signal.ifft(z)) + tf.abs(z))
grad = tape.gradient(loss, x)
assert grad.dtype == tf.float32 and grad.shape == (2, 3, 4)


# --- the text pipeline ---
def preprocess_text(sentence):
    sentence = tf.strings.lower(sentence)
    sentence = tf.strings.regex_replace(sentence, r"([?.!,])", r" \1 ")
    sentence = tf.strings.regex_replace(sentence, r"\s\s+", " ")
    sentence = tf.strings.regex_replace(sentence, r"[^a-z?.!,]+", " ")
    sentence = tf.strings.strip(sentence)
    return tf.strings.join(["[start]", sentence, "[end]"], separator=" ")


words = ["where", "are", "you", "going", "home", "now", "what", "time", "fine", "is"]
questions = [" ".join(rng.choice(words, rng.integers(2, 5))).capitalize() + "?" for _ in range(48)]
answers = [" ".join(rng.choice(words, rng.integers(2, 5))) + "." for _ in range(48)]
assert preprocess_text(tf.constant("Where  ARE you?")).numpy() == b"[start] where are you ? [end]"

vectorizer = layers.TextVectorization(
    VOCAB_SIZE, standardize=preprocess_text, output_sequence_length=MAX_LENGTH
)
vectorizer.adapt(tf.data.Dataset.from_tensor_slices(questions + answers).batch(32))
vocab = vectorizer.get_vocabulary()
assert vocab[:2] == ["", "[UNK]"] and "[start]" in vocab and "?" in vocab
tokens = vectorizer(["Where are you?"]).numpy()
assert tokens.shape == (1, MAX_LENGTH) and tokens[0, 0] == vocab.index("[start]")
assert tokens[0, 4] == vocab.index("?") and tokens[0, 5] == vocab.index("[end]")


def vectorize_text(question, answer):
    question, answer = vectorizer(question), vectorizer(answer)
    answer = tf.pad(answer, [[0, 1]])
    return {"encoder_inputs": question, "decoder_inputs": answer[:-1]}, answer[1:]


dataset = tf.data.Dataset.from_tensor_slices((questions, answers)).map(vectorize_text)
dataset = dataset.cache().shuffle(64).batch(16).prefetch(tf.data.AUTOTUNE)
inputs, targets = next(iter(dataset))
assert inputs["decoder_inputs"].shape == (16, MAX_LENGTH) and targets.shape == (16, MAX_LENGTH)


class FNetEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, **kwargs):
        super().__init__(**kwargs)
        self.dense_proj = keras.Sequential(
            [layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()

    def call(self, inputs):
        fft = tf.math.real(tf.signal.fft2d(tf.cast(inputs, tf.complex64)))
        proj_input = self.layernorm_1(inputs + fft)
        return self.layernorm_2(proj_input + self.dense_proj(proj_input))


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(vocab_size, embed_dim)
        self.position_embeddings = layers.Embedding(sequence_length, embed_dim)

    def call(self, inputs):
        positions = tf.range(start=0, limit=tf.shape(inputs)[-1], delta=1)
        return self.token_embeddings(inputs) + self.position_embeddings(positions)

    def compute_mask(self, inputs, mask=None):
        return keras.ops.not_equal(inputs, 0)


seen_masks = []


class FNetDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential(
            [layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, encoder_outputs, mask=None, inputs_mask=None):
        # two tensor arguments: Keras 3 leaves `mask` None and fills `inputs_mask`
        seen_masks.append((mask is None, inputs_mask is not None))
        steps = tf.shape(inputs)[1]
        causal = tf.cast(tf.range(steps)[:, None] >= tf.range(steps), "int32")[None]
        padding = None
        if inputs_mask is not None:
            padding = tf.minimum(tf.cast(inputs_mask[:, None, :], "int32"), causal)
        out_1 = self.layernorm_1(inputs + self.attention_1(inputs, inputs, attention_mask=causal))
        out_2 = self.layernorm_2(
            out_1 + self.attention_2(out_1, encoder_outputs, attention_mask=padding)
        )
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


encoder_inputs = keras.Input(shape=(None,), dtype="int32", name="encoder_inputs")
x = PositionalEmbedding(MAX_LENGTH, VOCAB_SIZE, EMBED_DIM)(encoder_inputs)
encoder_outputs = FNetEncoder(EMBED_DIM, LATENT_DIM)(x)
decoder_inputs = keras.Input(shape=(None,), dtype="int32", name="decoder_inputs")
encoded_seq_inputs = keras.Input(shape=(None, EMBED_DIM), name="decoder_state_inputs")
x = PositionalEmbedding(MAX_LENGTH, VOCAB_SIZE, EMBED_DIM)(decoder_inputs)
x = FNetDecoder(EMBED_DIM, LATENT_DIM, NUM_HEADS)(x, encoded_seq_inputs)
x = layers.Dropout(0.5)(x)
decoder = keras.Model(
    [decoder_inputs, encoded_seq_inputs],
    layers.Dense(VOCAB_SIZE, activation="softmax")(x),
    name="outputs",
)
fnet = keras.Model(
    [encoder_inputs, decoder_inputs], decoder([decoder_inputs, encoder_outputs]), name="fnet"
)
assert seen_masks and all(seen_masks), seen_masks
assert fnet.output_names == ["outputs"]
fnet.compile("adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
encoder_layer = fnet.get_layer(index=3)
assert isinstance(encoder_layer, FNetEncoder)
before = [w.numpy().copy() for w in encoder_layer.dense_proj.weights]
history = fnet.fit(dataset, epochs=2, verbose=0)
assert history.history["loss"][1] < history.history["loss"][0]
after = encoder_layer.dense_proj.weights
assert all(not np.allclose(a, b.numpy()) for a, b in zip(before, after))

start, end = vocab.index("[start]"), vocab.index("[end]")
source = vectorizer(["Where are you going?"])
target = [start]
for i in range(4):
    padded = np.array([target + [0] * (MAX_LENGTH - len(target))], "int64")
    predictions = fnet.predict({"encoder_inputs": source, "decoder_inputs": padded}, verbose=0)
    assert predictions.shape == (1, MAX_LENGTH, VOCAB_SIZE)
    np.testing.assert_allclose(predictions.sum(-1), 1.0, rtol=1e-5)
    token = int(np.argmax(predictions[0, i]))
    if token == end:
        break
    target.append(token)
assert 1 <= len(target) <= 5 and all(0 <= t < VOCAB_SIZE for t in target)
print("ok")
