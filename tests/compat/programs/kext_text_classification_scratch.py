# keras.io "Text classification from scratch", small: review files written into aclImdb-like
# folders, keras.utils.text_dataset_from_directory with validation_split / subset / seed, a
# custom standardization (lowercase, strip "<br />", drop punctuation with re.escape),
# TextVectorization adapted on the text-only dataset and applied inside a Dataset.map with
# cache / prefetch, an Embedding + strided Conv1D + GlobalMaxPooling1D model, and the
# end-to-end model (Input of shape (1,) and dtype string) evaluated on raw string batches.
import os
import re
import string

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(61)
rng = np.random.default_rng(61)

good = ["great", "superb", "lovely", "wonderful", "moving", "brilliant"]
bad = ["awful", "boring", "dull", "terrible", "clumsy", "weak"]
filler = ["the", "film", "plot", "actor", "was", "and", "a", "story", "scene", "really"]
for split, count in [("train", 160), ("test", 60)]:
    for label, words in [("pos", good), ("neg", bad)]:
        os.makedirs(os.path.join("aclImdb", split, label), exist_ok=True)
        for i in range(count // 2):
            tokens = list(rng.choice(filler, 14)) + list(rng.choice(words, 3))
            rng.shuffle(tokens)
            text = " ".join(tokens[:8]) + ".<br /><br />" + " ".join(tokens[8:]).title() + "!"
            with open(os.path.join("aclImdb", split, label, f"{i}.txt"), "w") as f:
                f.write(text)

batch_size = 32
raw_train_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=batch_size, validation_split=0.2, subset="training", seed=1337
)
raw_val_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=batch_size, validation_split=0.2, subset="validation", seed=1337
)
raw_test_ds = keras.utils.text_dataset_from_directory("aclImdb/test", batch_size=batch_size)
assert raw_train_ds.class_names == ["neg", "pos"]
assert sum(int(x.shape[0]) for x, _ in raw_train_ds) == 128
assert sum(int(x.shape[0]) for x, _ in raw_val_ds) == 32
for text_batch, label_batch in raw_train_ds.take(1):
    assert text_batch.dtype == tf.string and label_batch.dtype == tf.int32
    assert b"<br />" in text_batch.numpy()[0]

max_features = 200
embedding_dim = 16
sequence_length = 40


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, f"[{re.escape(string.punctuation)}]", "")


assert custom_standardization(tf.constant("A Film.<br />Great!")).numpy() == b"a film great"

vectorize_layer = layers.TextVectorization(
    standardize=custom_standardization,
    max_tokens=max_features,
    output_mode="int",
    output_sequence_length=sequence_length,
)
text_ds = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(text_ds)
vocab = vectorize_layer.get_vocabulary()
assert vocab[:2] == ["", "[UNK]"] and set(good + bad) <= set(vocab)


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text)
val_ds = raw_val_ds.map(vectorize_text)
test_ds = raw_test_ds.map(vectorize_text)
train_ds = train_ds.cache().prefetch(buffer_size=10)
val_ds = val_ds.cache().prefetch(buffer_size=10)
test_ds = test_ds.cache().prefetch(buffer_size=10)
xb, yb = next(iter(train_ds))
assert xb.shape == (batch_size, sequence_length) and xb.dtype == tf.int64

inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(max_features, embedding_dim)(inputs)
x = layers.Dropout(0.2)(x)
x = layers.Conv1D(32, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(32, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(32, activation="relu")(x)
x = layers.Dropout(0.2)(x)
predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
model = keras.Model(inputs, predictions)
model.compile(
    loss="binary_crossentropy", optimizer=keras.optimizers.Adam(0.005), metrics=["accuracy"]
)
history = model.fit(train_ds, validation_data=val_ds, epochs=12, verbose=0)
assert history.history["loss"][-1] < 0.3 * history.history["loss"][0], history.history["loss"]
_, test_accuracy = model.evaluate(test_ds, verbose=0)
assert test_accuracy > 0.85, test_accuracy

# the end-to-end model takes raw strings
inputs = keras.Input(shape=(1,), dtype="string")
indices = vectorize_layer(inputs)
outputs = model(indices)
end_to_end_model = keras.Model(inputs, outputs)
end_to_end_model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
_, raw_accuracy = end_to_end_model.evaluate(raw_test_ds, verbose=0)
np.testing.assert_allclose(raw_accuracy, test_accuracy, atol=1e-6)
probs = end_to_end_model.predict(
    tf.constant([["Brilliant, superb and moving!"], ["Dull. Awful<br />and boring."]]), verbose=0
)
assert probs.shape == (2, 1) and probs[0, 0] > 0.5 > probs[1, 0], probs
print("text from scratch ok", test_accuracy, probs.ravel().round(3))
