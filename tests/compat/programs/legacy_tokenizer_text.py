"""keras.preprocessing.text.Tokenizer and .sequence helpers, as older TF2 tutorials use them."""

import json

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import TimeseriesGenerator, pad_sequences, skipgrams
from tensorflow.keras.preprocessing.text import (
    Tokenizer,
    text_to_word_sequence,
    tokenizer_from_json,
)

sentences = [
    "I love my dog",
    "I love my cat",
    "You love my dog!",
    "Do you think my dog is amazing?",
]
tokenizer = Tokenizer(num_words=100, oov_token="<OOV>")
tokenizer.fit_on_texts(sentences)
word_index = tokenizer.word_index
assert word_index["<OOV>"] == 1 and word_index["my"] == 2 and word_index["love"] == 3, word_index
assert word_index["dog"] == 4 and len(word_index) == 11

sequences = tokenizer.texts_to_sequences(["i really love my manatee", "my dog loves my cat"])
assert sequences == [[5, 1, 3, 2, 1], [2, 4, 1, 2, 7]], sequences
padded = pad_sequences(sequences, maxlen=6, padding="post")
assert padded.shape == (2, 6) and padded[0].tolist() == [5, 1, 3, 2, 1, 0]
assert tokenizer.sequences_to_texts([[5, 3, 2, 4]]) == ["i love my dog"]

counts = tokenizer.texts_to_matrix(sentences, mode="count")
assert counts.shape == (4, 100) and counts[3, word_index["my"]] == 1.0
tfidf = tokenizer.texts_to_matrix(sentences, mode="tfidf")
idf_dog = np.log(1 + 4 / (1 + 3))  # "dog" is in 3 of the 4 sentences
np.testing.assert_allclose(tfidf[0, word_index["dog"]], idf_dog)
freq = tokenizer.texts_to_matrix(sentences, mode="freq")
np.testing.assert_allclose(freq.sum(axis=1), 1.0)

restored = tokenizer_from_json(tokenizer.to_json())
assert restored.texts_to_sequences(sentences) == tokenizer.texts_to_sequences(sentences)
assert json.loads(tokenizer.to_json())["class_name"] == "Tokenizer"
assert text_to_word_sequence("Hello, World!") == ["hello", "world"]

couples, labels = skipgrams(
    [1, 2, 3], vocabulary_size=5, window_size=1, negative_samples=0, shuffle=False
)
assert couples == [[1, 2], [2, 1], [2, 3], [3, 2]] and labels == [1, 1, 1, 1]

model = tf.keras.Sequential(
    [tf.keras.Input((100,)), tf.keras.layers.Dense(1, activation="sigmoid")]
)
model.compile(optimizer="adam", loss="binary_crossentropy")
history = model.fit(counts, np.array([1, 0, 1, 1]), epochs=2, verbose=0)
assert np.isfinite(history.history["loss"]).all()

series = np.arange(20, dtype="float32").reshape(20, 1)
gen = TimeseriesGenerator(series, series[:, 0], length=3, batch_size=5)
x, y = gen[0]
assert len(gen) == 4 and x.shape == (5, 3, 1) and y.tolist() == [3, 4, 5, 6, 7]
model = tf.keras.Sequential(
    [tf.keras.Input((3, 1)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(1)]
)
model.compile(optimizer="sgd", loss="mse")
assert len(model.fit(gen, epochs=1, verbose=0).history["loss"]) == 1
print("ok")
