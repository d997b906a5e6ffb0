# The first "Neural machine translation with attention" tutorial (TF 2.0 edition), small:
# sentence preprocessing (unicodedata + re, <start>/<end>), the legacy Tokenizer with
# pad_sequences(padding="post"), an Encoder Model with an explicit initial GRU state, a
# BahdanauAttention layer (W1, W2, V), the decoder fed one step at a time with the context
# vector concatenated, the masked loss with logical_not(equal(real, 0)), a @tf.function train
# step looping over target time steps (teacher forcing), greedy evaluation, and the custom
# attention checked against tf.keras.layers.AdditiveAttention.
import re
import unicodedata

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(5)


def unicode_to_ascii(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def preprocess_sentence(w):
    w = unicode_to_ascii(w.lower().strip())
    w = re.sub(r"([?.!,¿])", r" \1 ", w)
    w = re.sub(r'[" "]+', " ", w)
    w = re.sub(r"[^a-zA-Z?.!,¿]+", " ", w)
    w = w.strip()
    w = "<start> " + w + " <end>"
    return w


assert preprocess_sentence("¿Puedo tomar prestado este libro?") == (
    "<start> ¿ puedo tomar prestado este libro ? <end>"
)
assert preprocess_sentence("May I borrow  this book?") == "<start> may i borrow this book ? <end>"


def tokenize(lang):
    lang_tokenizer = tf.keras.preprocessing.text.Tokenizer(filters="")
    lang_tokenizer.fit_on_texts(lang)
    tensor = lang_tokenizer.texts_to_sequences(lang)
    tensor = tf.keras.preprocessing.sequence.pad_sequences(tensor, padding="post")
    return tensor, lang_tokenizer


# a toy language pair: the "translation" of a word sequence is the same words reversed
rng = np.random.default_rng(5)
words = ["uno", "dos", "tres", "cuatro", "cinco", "seis", "siete"]
inp_sentences, targ_sentences = [], []
for _ in range(384):
    n = int(rng.integers(3, 6))
    seq = [words[i] for i in rng.integers(0, len(words), n)]
    inp_sentences.append(preprocess_sentence(" ".join(seq)))
    targ_sentences.append(preprocess_sentence(" ".join(seq[::-1])))
input_tensor, inp_lang = tokenize(inp_sentences)
target_tensor, targ_lang = tokenize(targ_sentences)
max_length_targ, max_length_inp = target_tensor.shape[1], input_tensor.shape[1]
assert max_length_inp == max_length_targ == 7
assert input_tensor.dtype == np.int32 and input_tensor[0, 0] == inp_lang.word_index["<start>"]
first_len = len(inp_sentences[0].split())
assert np.all(input_tensor[0, first_len:] == 0) and input_tensor[0, first_len - 1] > 0
assert inp_lang.index_word[int(input_tensor[0, 1])] == inp_sentences[0].split()[1]

BUFFER_SIZE = len(input_tensor)
BATCH_SIZE = 32
steps_per_epoch = len(input_tensor) // BATCH_SIZE
embedding_dim = 16
units = 32
vocab_inp_size = len(inp_lang.word_index) + 1
vocab_tar_size = len(targ_lang.word_index) + 1
dataset = tf.data.Dataset.from_tensor_slices((input_tensor, target_tensor)).shuffle(BUFFER_SIZE)
dataset = dataset.batch(BATCH_SIZE, drop_remainder=True)
example_input_batch, example_target_batch = next(iter(dataset))
assert example_input_batch.shape == (BATCH_SIZE, 7) and example_target_batch.dtype == tf.int32


class Encoder(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, enc_units, batch_sz):
        super(Encoder, self).__init__()
        self.batch_sz = batch_sz
        self.enc_units = enc_units
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(
            self.enc_units,
            return_sequences=True,
            return_state=True,
            recurrent_initializer="glorot_uniform",
        )

    def call(self, x, hidden):
        x = self.embedding(x)
        output, state = self.gru(x, initial_state=hidden)
        return output, state

    def initialize_hidden_state(self):
        return tf.zeros((self.batch_sz, self.enc_units))


encoder = Encoder(vocab_inp_size, embedding_dim, units, BATCH_SIZE)
sample_hidden = encoder.initialize_hidden_state()
sample_output, sample_hidden = encoder(example_input_batch, sample_hidden)
assert sample_output.shape == (BATCH_SIZE, 7, units) and sample_hidden.shape == (BATCH_SIZE, units)
np.testing.assert_allclose(sample_output[:, -1].numpy(), sample_hidden.numpy(), atol=1e-6)


class BahdanauAttention(tf.keras.layers.Layer):
    def __init__(self, units):
        super(BahdanauAttention, self).__init__()
        self.W1 = tf.keras.layers.Dense(units)
        self.W2 = tf.keras.layers.Dense(units)
        self.V = tf.keras.layers.Dense(1)

    def call(self, query, values):
        # query hidden state shape == (batch_size, hidden size)
        # values shape == (batch_size, max_len, hidden size)
        query_with_time_axis = tf.expand_dims(query, 1)
        score = self.V(tf.nn.tanh(self.W1(query_with_time_axis) + self.W2(values)))
        attention_weights = tf.nn.softmax(score, axis=1)
        context_vector = attention_weights * values
        context_vector = tf.reduce_sum(context_vector, axis=1)
        return context_vector, attention_weights


attention_layer = BahdanauAttention(10)
attention_result, attention_weights = attention_layer(sample_hidden, sample_output)
assert attention_result.shape == (BATCH_SIZE, units)
assert attention_weights.shape == (BATCH_SIZE, 7, 1)
np.testing.assert_allclose(tf.reduce_sum(attention_weights, axis=1).numpy(), 1.0, rtol=1e-5)

# the same scores from the built-in additive attention: scale plays V's kernel, and V's
# bias shifts every score equally, which the softmax ignores
additive = tf.keras.layers.AdditiveAttention(use_scale=True)
q = attention_layer.W1(tf.expand_dims(sample_hidden, 1))
k = attention_layer.W2(sample_output)
additive([q, sample_output, k])
additive.scale.assign(attention_layer.V.kernel[:, 0])
context, scores = additive([q, sample_output, k], return_attention_scores=True)
assert context.shape == (BATCH_SIZE, 1, units) and scores.shape == (BATCH_SIZE, 1, 7)
np.testing.assert_allclose(scores.numpy()[:, 0], attention_weights.numpy()[..., 0], atol=1e-5)
np.testing.assert_allclose(context.numpy()[:, 0], attention_result.numpy(), atol=1e-5)


class Decoder(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, dec_units, batch_sz):
        super(Decoder, self).__init__()
        self.batch_sz = batch_sz
        self.dec_units = dec_units
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(
            self.dec_units,
            return_sequences=True,
            return_state=True,
            recurrent_initializer="glorot_uniform",
        )
        self.fc = tf.keras.layers.Dense(vocab_size)
        self.attention = BahdanauAttention(self.dec_units)

    def call(self, x, hidden, enc_output):
        context_vector, attention_weights = self.attention(hidden, enc_output)
        x = self.embedding(x)
        x = tf.concat([tf.expand_dims(context_vector, 1), x], axis=-1)
        output, state = self.gru(x, initial_state=hidden)
        output = tf.reshape(output, (-1, output.shape[2]))
        x = self.fc(output)
        return x, state, attention_weights


decoder = Decoder(vocab_tar_size, embedding_dim, units, BATCH_SIZE)
sample_decoder_output, _, _ = decoder(
    tf.random.uniform((BATCH_SIZE, 1)), sample_hidden, sample_output
)
assert sample_decoder_output.shape == (BATCH_SIZE, vocab_tar_size)

optimizer = tf.keras.optimizers.Adam(0.01)
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")


def loss_function(real, pred):
    mask = tf.math.logical_not(tf.math.equal(real, 0))
    loss_ = loss_object(real, pred)
    mask = tf.cast(mask, dtype=loss_.dtype)
    loss_ *= mask
    return tf.reduce_mean(loss_)


real = tf.constant([2, 0, 3])
pred = tf.constant([[0.0, 0.0, 4.0, 0.0], [9.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]])
per_row = -tf.nn.log_softmax(pred).numpy()[[0, 2], [2, 3]]
np.testing.assert_allclose(loss_function(real, pred).numpy(), per_row.sum() / 3, rtol=1e-5)


@tf.function
def train_step(inp, targ, enc_hidden):
    loss = 0
    with tf.GradientTape() as tape:
        enc_output, enc_hidden = encoder(inp, enc_hidden)
        dec_hidden = enc_hidden
        dec_input = tf.expand_dims([targ_lang.word_index["<start>"]] * BATCH_SIZE, 1)
        # Teacher forcing - feeding the target as the next input
        for t in range(1, targ.shape[1]):
            predictions, dec_hidden, _ = decoder(dec_input, dec_hidden, enc_output)
            loss += loss_function(targ[:, t], predictions)
            dec_input = tf.expand_dims(targ[:, t], 1)
    batch_loss = loss / int(targ.shape[1])
    variables = encoder.trainable_variables + decoder.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return batch_loss


EPOCHS = 8
epoch_losses = []
for epoch in range(EPOCHS):
    enc_hidden = encoder.initialize_hidden_state()
    total_loss = 0
    for batch, (inp, targ) in enumerate(dataset.take(steps_per_epoch)):
        batch_loss = train_step(inp, targ, enc_hidden)
        total_loss += batch_loss
    epoch_losses.append(float(total_loss / steps_per_epoch))
print("nmt bahdanau losses", np.round(epoch_losses, 3))
assert int(optimizer.iterations) == EPOCHS * steps_per_epoch
assert epoch_losses[-1] < 0.4 * epoch_losses[0], epoch_losses


def evaluate(sentence):
    attention_plot = np.zeros((max_length_targ, max_length_inp))
    sentence = preprocess_sentence(sentence)
    inputs = [inp_lang.word_index[i] for i in sentence.split(" ")]
    inputs = tf.keras.preprocessing.sequence.pad_sequences(
        [inputs], maxlen=max_length_inp, padding="post"
    )
    inputs = tf.convert_to_tensor(inputs)
    result = ""
    hidden = [tf.zeros((1, units))]
    enc_out, enc_hidden = encoder(inputs, hidden)
    dec_hidden = enc_hidden
    dec_input = tf.expand_dims([targ_lang.word_index["<start>"]], 0)
    for t in range(max_length_targ):
        predictions, dec_hidden, attention_weights = decoder(dec_input, dec_hidden, enc_out)
        attention_weights = tf.reshape(attention_weights, (-1,))
        attention_plot[t] = attention_weights.numpy()
        predicted_id = tf.argmax(predictions[0]).numpy()
        result += targ_lang.index_word[predicted_id] + " "
        if targ_lang.index_word[predicted_id] == "<end>":
            return result, sentence, attention_plot
        dec_input = tf.expand_dims([predicted_id], 0)
    return result, sentence, attention_plot


correct = 0
for sentence in ["uno dos tres", "siete seis cinco cuatro", "dos dos tres uno"]:
    result, processed, attention_plot = evaluate(sentence)
    assert processed == preprocess_sentence(sentence)
    rows = attention_plot[: len(result.split())]
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-5)
    expected = " ".join(sentence.split()[::-1]) + " <end> "
    correct += result == expected
assert correct >= 2, correct
print("nmt bahdanau ok")
