# keras.io "Text generation with a miniature GPT", small: a causal attention mask built with
# keras.ops (arange, cast, reshape, tile by the dynamic batch size), a TransformerBlock and a
# TokenAndPositionEmbedding layer, TextVectorization with a custom standardization adapted on
# a tf.data text dataset, language-model (x, y) pairs made inside a Dataset.map, a model with
# two outputs compiled with loss=[loss_fn, None], and a TextGenerator callback that samples
# with ops.top_k + softmax and decodes with the vocabulary.
import string

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)


def causal_attention_mask(batch_size, n_dest, n_src, dtype):
    i = ops.arange(n_dest)[:, None]
    j = ops.arange(n_src)
    m = i >= j - n_src + n_dest
    mask = ops.cast(m, dtype)
    mask = ops.reshape(mask, [1, n_dest, n_src])
    # the example tiles by ops.concatenate([ops.expand_dims(batch_size, -1), [1, 1]]), which
    # Keras 3 on TF no longer takes while it builds the functional model; a list does
    return ops.tile(mask, [batch_size, 1, 1])


m = causal_attention_mask(2, 3, 3, "int32")
assert tuple(m.shape) == (2, 3, 3)
np.testing.assert_array_equal(np.asarray(m)[1], np.tril(np.ones((3, 3), "int32")))


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads, embed_dim)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs):
        input_shape = ops.shape(inputs)
        batch_size = input_shape[0]
        seq_len = input_shape[1]
        causal_mask = causal_attention_mask(batch_size, seq_len, seq_len, "bool")
        attention_output = self.att(inputs, inputs, attention_mask=causal_mask)
        attention_output = self.dropout1(attention_output)
        out1 = self.layernorm1(inputs + attention_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(0, maxlen, 1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions


vocab_size = 40
maxlen = 10
embed_dim = 32
num_heads = 2
feed_forward_dim = 32

# a tiny corpus with a fixed grammar: "<name> <verb> the <thing> <br />"
names = ["anna", "ben", "cleo", "dan"]
verbs = {"anna": "likes", "ben": "eats", "cleo": "reads", "dan": "paints"}
things = {"anna": "cats", "ben": "apples", "cleo": "books", "dan": "walls"}
texts = []
for _ in range(400):
    a, b = rng.choice(names, 2)
    texts.append(f"{a.title()} {verbs[a]} the {things[a]}<br />and {b} {verbs[b]} the {things[b]}.")


def custom_standardization(input_string):
    lowercased = tf.strings.lower(input_string)
    stripped_html = tf.strings.regex_replace(lowercased, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, f"([{string.punctuation}])", r" \1")


text_ds = tf.data.Dataset.from_tensor_slices(texts).shuffle(256, seed=1).batch(32)
vectorize_layer = layers.TextVectorization(
    standardize=custom_standardization,
    max_tokens=vocab_size - 1,
    output_mode="int",
    output_sequence_length=maxlen + 1,
)
vectorize_layer.adapt(text_ds)
vocab = vectorize_layer.get_vocabulary()
assert vocab[:2] == ["", "[UNK]"]
assert {"the", "and", "."} <= set(vocab), vocab
assert "<br" not in " ".join(vocab)


def prepare_lm_inputs_labels(text):
    text = tf.expand_dims(text, -1)
    tokenized_sentences = vectorize_layer(text)
    x = tokenized_sentences[:, :-1]
    y = tokenized_sentences[:, 1:]
    return x, y


text_ds = text_ds.map(prepare_lm_inputs_labels, num_parallel_calls=tf.data.AUTOTUNE)
text_ds = text_ds.prefetch(tf.data.AUTOTUNE)
xb, yb = next(iter(text_ds))
assert xb.shape == (32, maxlen) and yb.shape == (32, maxlen)
np.testing.assert_array_equal(xb.numpy()[:, 1:], yb.numpy()[:, :-1])


def create_model():
    inputs = layers.Input(shape=(maxlen,), dtype="int32")
    embedding_layer = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
    x = embedding_layer(inputs)
    transformer_block = TransformerBlock(embed_dim, num_heads, feed_forward_dim)
    x = transformer_block(x)
    outputs = layers.Dense(vocab_size)(x)
    model = keras.Model(inputs=inputs, outputs=[outputs, x])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(keras.optimizers.Adam(0.01), loss=[loss_fn, None])
    return model


word_to_index = {word: index for index, word in enumerate(vocab)}


class TextGenerator(keras.callbacks.Callback):
    def __init__(self, max_tokens, start_tokens, index_to_word, top_k=10):
        self.max_tokens = max_tokens
        self.start_tokens = start_tokens
        self.index_to_word = index_to_word
        self.k = top_k
        self.texts = []

    def sample_from(self, logits):
        logits, indices = ops.top_k(logits, k=self.k, sorted=True)
        indices = np.asarray(indices).astype("int32")
        preds = keras.activations.softmax(ops.expand_dims(logits, 0))[0]
        preds = np.asarray(preds).astype("float32")
        preds = preds / preds.sum()
        return rng.choice(indices, p=preds)

    def detokenize(self, number):
        return self.index_to_word[number]

    def on_epoch_end(self, epoch, logs=None):
        start_tokens = [_ for _ in self.start_tokens]
        num_tokens_generated = 0
        tokens_generated = []
        while num_tokens_generated <= self.max_tokens:
            pad_len = maxlen - len(start_tokens)
            sample_index = len(start_tokens) - 1
            if pad_len < 0:
                x = start_tokens[:maxlen]
                sample_index = maxlen - 1
            elif pad_len > 0:
                x = start_tokens + [0] * pad_len
            else:
                x = start_tokens
            x = np.array([x])
            y, _ = self.model.predict(x, verbose=0)
            sample_token = self.sample_from(y[0][sample_index])
            tokens_generated.append(sample_token)
            start_tokens.append(sample_token)
            num_tokens_generated = len(tokens_generated)
        txt = " ".join(self.detokenize(_) for _ in self.start_tokens + tokens_generated)
        self.texts.append(txt)


start_prompt = "ben"
start_tokens = [word_to_index.get(_, 1) for _ in start_prompt.split()]
text_gen_callback = TextGenerator(3, start_tokens, vocab, top_k=1)  # top_k=1: greedy

model = create_model()
assert len(model.outputs) == 2 and model.outputs[1].shape == (None, maxlen, embed_dim)
history = model.fit(text_ds, verbose=0, epochs=8, callbacks=[text_gen_callback])
losses = history.history["loss"]
assert losses[-1] < 0.5 * losses[0], losses
assert len(text_gen_callback.texts) == 8
assert text_gen_callback.texts[-1] == "ben eats the apples and", text_gen_callback.texts

# the causal mask: changing a later token leaves the earlier logits as they were
x = np.array([[word_to_index["cleo"], word_to_index["reads"], 0, 0, 0, 0, 0, 0, 0, 0]])
x2 = x.copy()
x2[0, 5] = word_to_index["cats"]
y1, h1 = model(x, training=False)
y2, _ = model(x2, training=False)
np.testing.assert_allclose(np.asarray(y1)[0, :5], np.asarray(y2)[0, :5], rtol=1e-4, atol=1e-5)
assert not np.allclose(np.asarray(y1)[0, 5:], np.asarray(y2)[0, 5:])
assert vocab[int(np.argmax(np.asarray(y1)[0, 1]))] == "the"

# sampling with top_k=3 only ever draws from the three best tokens
sampler = TextGenerator(3, start_tokens, vocab, top_k=3)
logits = np.asarray(y1)[0, 1]
best3 = set(np.argsort(logits)[-3:].tolist())
assert {int(sampler.sample_from(logits)) for _ in range(30)} <= best3
print("mini gpt ok", [round(v, 3) for v in losses], text_gen_callback.texts[-1])
