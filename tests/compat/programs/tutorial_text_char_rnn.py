"""The "Text generation with an RNN" tutorial on a small text: characters through
tf.strings.unicode_split and StringLookup (and back with invert=True and reduce_join),
sequences from Dataset.batch(drop_remainder=True), a subclassed Embedding + GRU model whose
call takes and returns the GRU state, sampling with tf.random.categorical, a OneStep model
whose @tf.function generate_one_step masks "[UNK]" with a SparseTensor, and a model with
its own train_step (GradientTape) trained by fit and by a hand-written loop."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
text = (
    "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
    "First Citizen:\nYou are all resolved rather to die than to famish?\n\n"
) * 24
vocab = sorted(set(text))

example_texts = ["abcdefg", "xyz"]
chars = tf.strings.unicode_split(example_texts, input_encoding="UTF-8")
assert chars.to_list() == [[b"a", b"b", b"c", b"d", b"e", b"f", b"g"], [b"x", b"y", b"z"]]
ids_from_chars = tf.keras.layers.StringLookup(vocabulary=list(vocab), mask_token=None)
ids = ids_from_chars(chars)
assert ids_from_chars.get_vocabulary()[0] == "[UNK]"
expected_ids = [[vocab.index(c) + 1 if c in vocab else 0 for c in w] for w in example_texts]
assert ids.to_list() == expected_ids and 0 in expected_ids[0]  # 0: "[UNK]", not in the text
chars_from_ids = tf.keras.layers.StringLookup(
    vocabulary=ids_from_chars.get_vocabulary(), invert=True, mask_token=None
)
chars = chars_from_ids(ids)
joined = tf.strings.reduce_join(chars, axis=-1).numpy()
expected_text = ["".join(c if c in vocab else "[UNK]" for c in w) for w in example_texts]
assert joined.tolist() == [w.encode() for w in expected_text], joined


def text_from_ids(ids):
    return tf.strings.reduce_join(chars_from_ids(ids), axis=-1)


all_ids = ids_from_chars(tf.strings.unicode_split(text, "UTF-8"))
assert all_ids.shape == (len(text),) and all_ids.dtype == tf.int64
ids_dataset = tf.data.Dataset.from_tensor_slices(all_ids)
first = "".join(chars_from_ids(i).numpy().decode("utf-8") for i in ids_dataset.take(5))
assert first == "First"

seq_length = 50
sequences = ids_dataset.batch(seq_length + 1, drop_remainder=True)
assert int(sequences.cardinality()) == len(text) // (seq_length + 1)
for seq in sequences.take(1):
    assert text_from_ids(seq).numpy().decode("utf-8") == text[: seq_length + 1]


def split_input_target(sequence):
    input_text = sequence[:-1]
    target_text = sequence[1:]
    return input_text, target_text


assert split_input_target(list("Tensorflow")) == (list("Tensorflo"), list("ensorflow"))
dataset = sequences.map(split_input_target)
for input_example, target_example in dataset.take(1):
    assert text_from_ids(input_example).numpy() == text[:seq_length].encode()
    assert text_from_ids(target_example).numpy() == text[1 : seq_length + 1].encode()

BATCH_SIZE = 8
dataset = dataset.shuffle(1000).batch(BATCH_SIZE, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
spec_in, spec_out = dataset.element_spec
assert spec_in.shape == (BATCH_SIZE, seq_length) and spec_out.dtype == tf.int64

vocab_size = len(ids_from_chars.get_vocabulary())
embedding_dim = 16
rnn_units = 32


class MyModel(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, rnn_units):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(rnn_units, return_sequences=True, return_state=True)
        self.dense = tf.keras.layers.Dense(vocab_size)

    def call(self, inputs, states=None, return_state=False, training=False):
        x = inputs
        x = self.embedding(x, training=training)
        if states is None:
            states = self.gru.get_initial_state(tf.shape(x)[0])
        x, states = self.gru(x, initial_state=states, training=training)
        x = self.dense(x, training=training)
        if return_state:
            return x, states
        else:
            return x


model = MyModel(vocab_size=vocab_size, embedding_dim=embedding_dim, rnn_units=rnn_units)
for input_example_batch, target_example_batch in dataset.take(1):
    example_batch_predictions = model(input_example_batch)
assert example_batch_predictions.shape == (BATCH_SIZE, seq_length, vocab_size)
assert model.count_params() == (
    vocab_size * embedding_dim
    + 3 * rnn_units * (embedding_dim + rnn_units + 2)  # GRU with reset_after: two biases
    + (rnn_units + 1) * vocab_size
)
# the returned state continues the sequence: two halves run with it equal the whole
logits, state = model(input_example_batch, return_state=True)
assert state.shape == (BATCH_SIZE, rnn_units)
half = seq_length // 2
first_half, mid_state = model(input_example_batch[:, :half], return_state=True)
second_half = model(input_example_batch[:, half:], states=mid_state)
np.testing.assert_allclose(second_half.numpy(), logits[:, half:].numpy(), atol=1e-5)

sampled_indices = tf.random.categorical(example_batch_predictions[0], num_samples=1)
sampled_indices = tf.squeeze(sampled_indices, axis=-1).numpy()
assert sampled_indices.shape == (seq_length,) and sampled_indices.max() < vocab_size

loss = tf.losses.SparseCategoricalCrossentropy(from_logits=True)
example_batch_mean_loss = loss(target_example_batch, example_batch_predictions)
assert example_batch_mean_loss.shape == ()
# an untrained model is close to uniform: exp(loss) near the vocabulary size
assert abs(float(tf.exp(example_batch_mean_loss)) - vocab_size) < 0.2 * vocab_size

model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss=loss)
history = model.fit(dataset, epochs=5, verbose=0)
assert history.history["loss"][-1] < 0.85 * history.history["loss"][0], history.history


class OneStep(tf.keras.Model):
    def __init__(self, model, chars_from_ids, ids_from_chars, temperature=1.0):
        super().__init__()
        self.temperature = temperature
        self.model = model
        self.chars_from_ids = chars_from_ids
        self.ids_from_chars = ids_from_chars
        skip_ids = self.ids_from_chars(["[UNK]"])[:, None]
        sparse_mask = tf.SparseTensor(
            values=[-float("inf")] * len(skip_ids),
            indices=skip_ids,
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
mask = one_step_model.prediction_mask.numpy()
assert mask.shape == (vocab_size,) and mask[0] == -np.inf and not np.any(mask[1:])

states = None
next_char = tf.constant(["First", "First", "First"])
result = [next_char]
for n in range(40):
    next_char, states = one_step_model.generate_one_step(next_char, states=states)
    result.append(next_char)
result = tf.strings.join(result)
assert result.shape == (3,)
for line in result.numpy():
    line = line.decode("utf-8")
    assert line.startswith("First") and len(line) == 45 and "[UNK]" not in line
    assert set(line) <= set(vocab)
assert states.shape == (3, rnn_units)


class CustomTraining(MyModel):
    @tf.function
    def train_step(self, inputs):
        inputs, labels = inputs
        with tf.GradientTape() as tape:
            predictions = self(inputs, training=True)
            loss = self.loss(labels, predictions)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


model = CustomTraining(vocab_size=vocab_size, embedding_dim=embedding_dim, rnn_units=rnn_units)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
model.fit(dataset, epochs=1, verbose=0)
assert int(model.optimizer.iterations) == int(dataset.cardinality())

mean = tf.metrics.Mean()
epoch_losses = []
for epoch in range(3):
    mean.reset_state()
    for batch_n, (inp, target) in enumerate(dataset):
        logs = model.train_step([inp, target])
        mean.update_state(logs["loss"])
    epoch_losses.append(float(mean.result().numpy()))
assert epoch_losses[-1] < epoch_losses[0], epoch_losses
assert int(model.optimizer.iterations) == 4 * int(dataset.cardinality())
print("text generation tutorial: ok")
