"""The "Text classification with an RNN" tutorial on synthetic reviews: a TextVectorization
encoder (no output_sequence_length: each batch as long as its longest text) adapted on the
texts, Embedding(mask_zero=True) so that padding does not change a prediction, a
Bidirectional(LSTM) classifier and the stacked version with return_sequences=True."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
rng = np.random.default_rng(1)
pos = ["great", "wonderful", "loved", "excellent", "fun"]
neg = ["awful", "boring", "hated", "terrible", "dull"]
filler = ["the", "movie", "was", "and", "a", "plot", "acting", "i", "it", "this"]


def review(label):
    words = list(rng.choice(filler, rng.integers(3, 9))) + list(
        rng.choice(pos if label else neg, 2)
    )
    rng.shuffle(words)
    return " ".join(words)


labels = rng.integers(0, 2, 320)
texts = [review(label) for label in labels]

BUFFER_SIZE = 10000
BATCH_SIZE = 64
train_dataset = tf.data.Dataset.from_tensor_slices((texts[:256], labels[:256]))
test_dataset = tf.data.Dataset.from_tensor_slices((texts[256:], labels[256:]))
for example, label in train_dataset.take(1):
    assert example.numpy().decode() == texts[0] and label.numpy() == labels[0]
train_dataset = train_dataset.shuffle(BUFFER_SIZE).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
test_dataset = test_dataset.batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

VOCAB_SIZE = 1000
encoder = tf.keras.layers.TextVectorization(max_tokens=VOCAB_SIZE)
encoder.adapt(train_dataset.map(lambda text, label: text))
vocab = np.array(encoder.get_vocabulary())
assert vocab[0] == "" and vocab[1] == "[UNK]" and len(vocab) == 2 + len(pos + neg + filler)
encoded_example = encoder(example)[:3].numpy()
assert " ".join(vocab[encoded_example]) == " ".join(texts[0].split()[:3])
batch = encoder(tf.constant(["great movie", "the plot was awful and i hated it"]))
assert batch.shape == (2, 8) and batch.numpy()[0, 2:].tolist() == [0] * 6

model = tf.keras.Sequential(
    [
        encoder,
        tf.keras.layers.Embedding(
            input_dim=len(encoder.get_vocabulary()), output_dim=16, mask_zero=True
        ),
        tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(16)),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(1),
    ]
)
assert [layer.supports_masking for layer in model.layers] == [False, True, True, True, True]

sample_text = "The movie was cool. The animation and the graphics were out of this world."
predictions = model.predict(tf.constant([sample_text]), verbose=0)
padding = "the " * 200
predictions_padded = model.predict(tf.constant([sample_text, padding]), verbose=0)
np.testing.assert_allclose(predictions_padded[0], predictions[0], atol=1e-5)  # the mask

model.compile(
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    optimizer=tf.keras.optimizers.Adam(1e-2),
    metrics=["accuracy"],
)
history = model.fit(
    train_dataset, epochs=5, validation_data=test_dataset, validation_steps=1, verbose=0
)
assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
test_loss, test_acc = model.evaluate(test_dataset, verbose=0)
assert test_acc > 0.9, (test_loss, test_acc)
predictions = model.predict(
    tf.constant(["the movie was great and wonderful", "i hated it"]), verbose=0
)
assert predictions[0, 0] > 0 > predictions[1, 0], predictions

bidirectional = model.layers[2]
assert bidirectional.forward_layer.units == 16 and bidirectional.backward_layer.go_backwards
kernel = model.layers[1].get_weights()[0]
assert kernel.shape == (len(vocab), 16)

stacked = tf.keras.Sequential(
    [
        encoder,
        tf.keras.layers.Embedding(len(encoder.get_vocabulary()), 16, mask_zero=True),
        tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(16, return_sequences=True)),
        tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(8)),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dropout(0.5),
        tf.keras.layers.Dense(1),
    ]
)
stacked.compile(
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    optimizer=tf.keras.optimizers.Adam(1e-2),
    metrics=["accuracy"],
)
sequences = stacked.layers[2](stacked.layers[1](encoder(tf.constant([sample_text]))))
assert sequences.shape == (1, 14, 32)  # forward and backward outputs concatenated
history = stacked.fit(train_dataset, epochs=4, validation_data=test_dataset, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
one = stacked.predict(tf.constant([sample_text]), verbose=0)
two = stacked.predict(tf.constant([sample_text, padding]), verbose=0)
np.testing.assert_allclose(two[0], one[0], atol=1e-5)  # Dropout is off in predict
assert len(stacked.layers[2].get_weights()) == 6  # forward and backward LSTM, 3 each
print("RNN text classification tutorial: ok")
