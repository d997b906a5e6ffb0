# The "Text generation with an RNN" tutorial's generation side, with the one-step model as a
# tf.Module: characters as code points (tf.strings.unicode_decode / unicode_encode) and as
# StringLookup ids (invert=True back to characters), a GRU model with explicit states, a
# @tf.function generate_one_step with temperature and a "[UNK]" mask, batched generation
# with tf.strings.join, and temperature near zero giving greedy (argmax) decoding.
import tensorflow as tf

tf.keras.utils.set_random_seed(13)
text = "abcabdabcabd\n" * 40
vocab = sorted(set(text))

codes = tf.strings.unicode_decode(["héllo", "ab"], input_encoding="UTF-8")
assert codes.to_list() == [[104, 233, 108, 108, 111], [97, 98]]
back = tf.strings.unicode_encode(codes, output_encoding="UTF-8")
assert back.numpy().tolist() == ["héllo".encode(), b"ab"]

ids_from_chars = tf.keras.layers.StringLookup(vocabulary=list(vocab), mask_token=None)
chars_from_ids = tf.keras.layers.StringLookup(
    vocabulary=ids_from_chars.get_vocabulary(), invert=True, mask_token=None
)
all_ids = ids_from_chars(tf.strings.unicode_split(text, "UTF-8"))
vocab_size = len(ids_from_chars.get_vocabulary())
assert vocab_size == len(vocab) + 1
seq = tf.data.Dataset.from_tensor_slices(all_ids).batch(13, drop_remainder=True)
dataset = seq.map(lambda s: (s[:-1], s[1:])).batch(8, drop_remainder=True)


class MyModel(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, rnn_units):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(rnn_units, return_sequences=True, return_state=True)
        self.dense = tf.keras.layers.Dense(vocab_size)

    def call(self, inputs, states=None, return_state=False, training=False):
        x = self.embedding(inputs, training=training)
        if states is None:
            states = self.gru.get_initial_state(tf.shape(x)[0])
        x, states = self.gru(x, initial_state=states, training=training)
        x = self.dense(x, training=training)
        if return_state:
            return x, states
        return x


model = MyModel(vocab_size=vocab_size, embedding_dim=8, rnn_units=32)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.02),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
history = model.fit(dataset, epochs=15, verbose=0)
assert history.history["loss"][-1] < 0.5, history.history["loss"]


class OneStep(tf.Module):
    def __init__(self, model, chars_from_ids, ids_from_chars, temperature=1.0):
        self.temperature = temperature
        self.model = model
        self.chars_from_ids = chars_from_ids
        self.ids_from_chars = ids_from_chars
        # Create a mask to prevent "[UNK]" from being generated.
        skip_ids = self.ids_from_chars(["[UNK]"])[:, None]
        sparse_mask = tf.SparseTensor(
            # Put a -inf at each bad index.
            values=[-float("inf")] * len(skip_ids),
            indices=skip_ids,
            # Match the shape to the vocabulary
            dense_shape=[len(ids_from_chars.get_vocabulary())],
        )
        self.prediction_mask = tf.sparse.to_dense(sparse_mask)

    @tf.function
    def generate_one_step(self, inputs, states=None):
        input_chars = tf.strings.unicode_split(inputs, "UTF-8")
        input_ids = self.ids_from_chars(input_chars).to_tensor()
        predicted_logits, states = self.model(inputs=input_ids, states=states, return_state=True)
        predicted_logits = predicted_logits[:, -1, :]
        predicted_logits = predicted_logits / self.temperature
        predicted_logits = predicted_logits + self.prediction_mask
        predicted_ids = tf.random.categorical(predicted_logits, num_samples=1)
        predicted_ids = tf.squeeze(predicted_ids, axis=-1)
        predicted_chars = self.chars_from_ids(predicted_ids)
        return predicted_chars, states


one_step_model = OneStep(model, chars_from_ids, ids_from_chars)
assert isinstance(one_step_model, tf.Module) and not isinstance(one_step_model, tf.keras.Model)
# a tf.Module does not collect the variables of Keras 3 objects it holds
assert len(one_step_model.trainable_variables) == 0 and len(model.trainable_variables) == 6


def generate(one_step, start, n):
    states = None
    next_char = tf.constant(start)
    result = [next_char]
    for _ in range(n):
        next_char, states = one_step.generate_one_step(next_char, states=states)
        result.append(next_char)
    return tf.strings.join(result), states


result, states = generate(one_step_model, ["abc", "abd", "ab"], 24)
assert result.shape == (3,) and states.shape == (3, 32)
for line in result.numpy():
    line = line.decode("utf-8")
    assert set(line) <= set(vocab) and "[UNK]" not in line

# temperature near zero: sampling becomes the argmax, the text's own continuation
greedy = OneStep(model, chars_from_ids, ids_from_chars, temperature=1e-3)
result, _ = generate(greedy, ["abcab", "abcab"], 6)
lines = [line.decode() for line in result.numpy()]
assert lines == [text[:11], text[:11]], lines
ids = ids_from_chars(tf.strings.unicode_split(["abcab"], "UTF-8")).to_tensor()
logits = model(ids)[:, -1, :]
expected = chars_from_ids(tf.argmax(logits, axis=-1))
chars, _ = greedy.generate_one_step(tf.constant(["abcab"]))
assert chars.numpy().tolist() == expected.numpy().tolist() == [b"d"], chars
print("text one-step module ok")
