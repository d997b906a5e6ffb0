"""The "Word embeddings" tutorial on synthetic reviews: a TextVectorization layer with a
custom standardization (tf.strings.lower + regex_replace of "<br />" and punctuation) and
output_sequence_length, adapted on a text-only dataset, then Embedding +
GlobalAveragePooling1D + Dense trained with from_logits BinaryCrossentropy; the learned
embedding read back with get_layer(...).get_weights() and written as vectors.tsv /
metadata.tsv with the vocabulary from get_vocabulary()."""

import io
import re
import string

import numpy as np
import tensorflow as tf
from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense, Embedding, GlobalAveragePooling1D, TextVectorization

tf.random.set_seed(0)
rng = np.random.default_rng(0)
pos = ["great", "wonderful", "loved", "excellent", "fun", "brilliant"]
neg = ["awful", "boring", "hated", "terrible", "dull", "waste"]
filler = ["the", "movie", "was", "and", "a", "plot", "acting", "i", "it", "<br />", "this", "film!"]


def review(label):
    words = list(rng.choice(filler, 8)) + list(rng.choice(pos if label else neg, 3))
    rng.shuffle(words)
    return " ".join(w.capitalize() if rng.random() < 0.2 else w for w in words)


labels = rng.integers(0, 2, 400)
texts = [review(label) for label in labels]

embedding_layer = tf.keras.layers.Embedding(1000, 5)
assert embedding_layer(tf.constant([1, 2, 3])).shape == (3, 5)
result = embedding_layer(tf.constant([[0, 1, 2], [3, 4, 5]]))
assert result.shape == (2, 3, 5)
np.testing.assert_allclose(result[1, 0].numpy(), embedding_layer.embeddings[3].numpy())

batch_size = 32
train_ds = tf.data.Dataset.from_tensor_slices((texts[:320], labels[:320])).batch(batch_size)
val_ds = tf.data.Dataset.from_tensor_slices((texts[320:], labels[320:])).batch(batch_size)
for text_batch, label_batch in train_ds.take(1):
    assert text_batch.dtype == tf.string and text_batch.shape == (batch_size,)
    assert text_batch.numpy()[0].decode() == texts[0] and label_batch[0].numpy() == labels[0]
AUTOTUNE = tf.data.AUTOTUNE
train_ds = train_ds.cache().prefetch(buffer_size=AUTOTUNE)
val_ds = val_ds.cache().prefetch(buffer_size=AUTOTUNE)


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape(string.punctuation), "")


cleaned = custom_standardization(tf.constant(["The Film!<br />WAS fun."]))
assert cleaned.numpy().tolist() == [b"the film was fun"]

vocab_size = 100
sequence_length = 12
vectorize_layer = TextVectorization(
    standardize=custom_standardization,
    max_tokens=vocab_size,
    output_mode="int",
    output_sequence_length=sequence_length,
)
text_ds = train_ds.map(lambda x, y: x)
vectorize_layer.adapt(text_ds)
vocab = vectorize_layer.get_vocabulary()
assert vocab[:2] == ["", "[UNK]"]
assert set(vocab[2:]) == set(
    pos + neg + ["the", "movie", "was", "and", "a", "plot", "acting"] + ["i", "it", "this", "film"]
)
encoded = vectorize_layer(tf.constant(["The movie was GREAT<br />fun! zzz"])).numpy()
expected = [vocab.index(w) for w in ["the", "movie", "was", "great", "fun"]] + [1]
assert encoded.tolist() == [expected + [0] * (sequence_length - len(expected))], encoded

embedding_dim = 16
model = Sequential(
    [
        vectorize_layer,
        Embedding(vocab_size, embedding_dim, name="embedding"),
        GlobalAveragePooling1D(),
        Dense(16, activation="relu"),
        Dense(1),
    ]
)
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(train_ds, validation_data=val_ds, epochs=15, verbose=0)
assert history.history["val_accuracy"][-1] > 0.9, history.history["val_accuracy"]
assert history.history["loss"][-1] < history.history["loss"][0]
assert model.layers[0].get_weights() == []  # TextVectorization holds no weights
assert [type(layer).__name__ for layer in model.layers][:2] == ["TextVectorization", "Embedding"]
logits = model.predict(tf.constant(["great fun, loved it", "awful and boring"]), verbose=0)
assert logits.shape == (2, 1) and logits[0, 0] > 0 > logits[1, 0], logits

weights = model.get_layer("embedding").get_weights()[0]
assert weights.shape == (vocab_size, embedding_dim)
out_v = io.open("vectors.tsv", "w", encoding="utf-8")
out_m = io.open("metadata.tsv", "w", encoding="utf-8")
for index, word in enumerate(vocab):
    if index == 0:
        continue  # skip 0, it's padding.
    vec = weights[index]
    out_v.write("\t".join([str(x) for x in vec]) + "\n")
    out_m.write(word + "\n")
out_v.close()
out_m.close()
rows = open("vectors.tsv", encoding="utf-8").read().splitlines()
words = open("metadata.tsv", encoding="utf-8").read().splitlines()
assert len(rows) == len(words) == len(vocab) - 1 and words[0] == "[UNK]"
great = np.array(rows[vocab.index("great") - 1].split("\t"), dtype=np.float32)
np.testing.assert_allclose(great, weights[vocab.index("great")], rtol=1e-6)
print("word embeddings tutorial: ok")
