# The "Neural machine translation with attention" tutorial's pieces, small: the text
# standardizer (tf.strings lower / regex_replace / strip / join), TextVectorization
# with a custom standardize, a bidirectional GRU encoder, a cross-attention layer with
# attention scores, and a decoder trained with teacher forcing on a toy "translation"
# (reversing a sequence).
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(3)


def tf_lower_and_split_punct(text):
    text = tf.strings.lower(text)
    text = tf.strings.regex_replace(text, "[^ a-z.?!,¿]", "")
    text = tf.strings.regex_replace(text, "[.?!,¿]", r" \0 ")
    text = tf.strings.strip(text)
    text = tf.strings.join(["[START]", text, "[END]"], separator=" ")
    return text


example_text = tf.constant("¿Todavía está en casa?")
assert tf_lower_and_split_punct(example_text).numpy().decode() == (
    "[START] ¿ todava est en casa ? [END]"
)

texts = tf.constant(["Hello, world!", "Is it here?", "hello again."])
processor = tf.keras.layers.TextVectorization(
    standardize=tf_lower_and_split_punct, max_tokens=50, ragged=True
)
processor.adapt(texts)
vocab = processor.get_vocabulary()
assert vocab[:2] == ["", "[UNK]"] and "[START]" in vocab and "hello" in vocab
tokens = processor(texts)
assert isinstance(tokens, tf.RaggedTensor)
assert tokens.row_lengths().numpy().tolist() == [6, 6, 5]
assert vocab[tokens[0, 0].numpy()] == "[START]" and vocab[tokens[0, -1].numpy()] == "[END]"
back = tf.gather(tf.constant(vocab), tokens[1]).numpy()
assert b" ".join(back) == b"[START] is it here ? [END]"
dense = tokens.to_tensor()
assert dense.shape == (3, 6) and int(dense[2, -1]) == 0

UNITS, VOCAB, LENGTH = 32, 12, 6


class Encoder(tf.keras.layers.Layer):
    def __init__(self, vocab_size, units):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, units, mask_zero=True)
        self.rnn = tf.keras.layers.Bidirectional(
            merge_mode="sum",
            layer=tf.keras.layers.GRU(units, return_sequences=True),
        )

    def call(self, x):
        return self.rnn(self.embedding(x))


class CrossAttention(tf.keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(key_dim=units, num_heads=1, **kwargs)
        self.layernorm = tf.keras.layers.LayerNormalization()
        self.add = tf.keras.layers.Add()

    def call(self, x, context):
        attn_output, attn_scores = self.mha(query=x, value=context, return_attention_scores=True)
        attn_scores = tf.reduce_mean(attn_scores, axis=1)
        self.last_attention_weights = attn_scores
        x = self.add([x, attn_output])
        return self.layernorm(x)


class Decoder(tf.keras.layers.Layer):
    def __init__(self, vocab_size, units):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, units, mask_zero=True)
        self.rnn = tf.keras.layers.GRU(units, return_sequences=True, return_state=True)
        self.attention = CrossAttention(units)
        self.output_layer = tf.keras.layers.Dense(vocab_size)

    def call(self, context, x, state=None, return_state=False):
        x = self.embedding(x)
        x, state = self.rnn(x, initial_state=state)
        x = self.attention(x, context)
        logits = self.output_layer(x)
        return (logits, state) if return_state else logits


class Translator(tf.keras.Model):
    def __init__(self, units, vocab_size):
        super().__init__()
        self.encoder = Encoder(vocab_size, units)
        self.decoder = Decoder(vocab_size, units)

    def call(self, inputs):
        context, x = inputs
        context = self.encoder(context)
        return self.decoder(context, x)


def masked_loss(y_true, y_pred):
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
    loss = loss_fn(y_true, y_pred)
    mask = tf.cast(y_true != 0, loss.dtype)
    loss *= mask
    return tf.reduce_sum(loss) / tf.reduce_sum(mask)


def masked_acc(y_true, y_pred):
    y_pred = tf.argmax(y_pred, axis=-1)
    y_pred = tf.cast(y_pred, y_true.dtype)
    match = tf.cast(y_true == y_pred, tf.float32)
    mask = tf.cast(y_true != 0, tf.float32)
    return tf.reduce_sum(match) / tf.reduce_sum(mask)


START, END = 1, 2
rng = np.random.default_rng(0)
source = rng.integers(3, VOCAB, (512, LENGTH))
target = np.concatenate([np.full((512, 1), START), source[:, ::-1], np.full((512, 1), END)], axis=1)
target_in, target_out = target[:, :-1], target[:, 1:]
ds = (
    tf.data.Dataset.from_tensor_slices(((source, target_in), target_out))
    .shuffle(512, seed=0)
    .batch(64)
)
(ctx_spec, in_spec), out_spec = ds.element_spec
assert ctx_spec.shape.as_list() == [None, LENGTH] and out_spec.shape.as_list() == [None, 7]

model = Translator(UNITS, VOCAB)
logits = model((tf.constant(source[:2]), tf.constant(target_in[:2])))
assert logits.shape == (2, LENGTH + 1, VOCAB)
weights = model.decoder.attention.last_attention_weights
assert weights.shape == (2, LENGTH + 1, LENGTH)
np.testing.assert_allclose(tf.reduce_sum(weights, -1).numpy(), 1.0, rtol=1e-5)

model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss=masked_loss, metrics=[masked_acc])
history = model.fit(ds, epochs=12, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]
assert history.history["masked_acc"][-1] > 0.6, history.history["masked_acc"]

# greedy decoding, one token at a time with the GRU state carried along
context = model.encoder(tf.constant(source[:4]))
next_token = tf.fill([4, 1], START)
state, out = None, []
for _ in range(LENGTH):
    logits, state = model.decoder(context, next_token, state=state, return_state=True)
    next_token = tf.argmax(logits[:, -1:, :], axis=-1)
    out.append(next_token)
decoded = tf.concat(out, axis=1).numpy()
assert decoded.shape == (4, LENGTH)
assert (decoded == source[:4, ::-1]).mean() > 0.5, (decoded, source[:4, ::-1])
