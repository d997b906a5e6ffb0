"""The "Text classification" tutorial on a small synthetic corpus: TextVectorization ->
Embedding -> GlobalAveragePooling1D -> Dense, trained with fit on a string Dataset, then an
export model that takes raw strings."""

import re
import string

import numpy as np
import tensorflow as tf
from tensorflow import keras

layers = keras.layers

keras.utils.set_random_seed(42)
rng = np.random.default_rng(0)
positive = ["great", "wonderful", "loved", "excellent", "fun"]
negative = ["terrible", "boring", "hated", "awful", "dull"]
filler = ["the", "movie", "was", "really", "a", "plot", "<br />", "acting", "and"]


def review(words):
    picked = rng.choice(filler, 4).tolist() + rng.choice(words, 2).tolist()
    rng.shuffle(picked)
    return " ".join(picked).capitalize() + "!"


texts = np.array([review(positive) for _ in range(150)] + [review(negative) for _ in range(150)])
labels = np.array([1] * 150 + [0] * 150)
order = rng.permutation(len(texts))
texts, labels = texts[order], labels[order]
raw_train_ds = tf.data.Dataset.from_tensor_slices((texts[:240], labels[:240])).batch(32)
raw_test_ds = tf.data.Dataset.from_tensor_slices((texts[240:], labels[240:])).batch(32)


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape(string.punctuation), "")


max_features = 60
sequence_length = 12
vectorize_layer = layers.TextVectorization(
    standardize=custom_standardization,
    max_tokens=max_features,
    output_mode="int",
    output_sequence_length=sequence_length,
)
train_text = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(train_text)
vocab = vectorize_layer.get_vocabulary()
assert vocab[:2] == ["", "[UNK]"] and "movie" in vocab and "br" not in vocab

text_batch, label_batch = next(iter(raw_train_ds))
first_review = text_batch[0]
ids = vectorize_layer(tf.expand_dims(first_review, -1))
assert ids.shape == (1, sequence_length) and ids.dtype == tf.int64
assert vocab[int(ids[0, 0])] == first_review.numpy().decode().lower().split()[0].strip("!")


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(tf.data.AUTOTUNE)
test_ds = raw_test_ds.map(vectorize_text)

model = keras.Sequential(
    [
        layers.Embedding(max_features, 16),
        layers.Dropout(0.2),
        layers.GlobalAveragePooling1D(),
        layers.Dropout(0.2),
        layers.Dense(1),
    ]
)
model.compile(
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    optimizer=keras.optimizers.Adam(0.02),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
)
history = model.fit(train_ds, validation_data=test_ds, epochs=8, verbose=0)
assert history.history["binary_accuracy"][-1] > 0.95, history.history
loss, accuracy = model.evaluate(test_ds, verbose=0)
assert accuracy > 0.95

# Export: the vectorization inside the model, so it takes raw strings
export_model = keras.Sequential([vectorize_layer, model, layers.Activation("sigmoid")])
export_model.compile(
    loss=keras.losses.BinaryCrossentropy(from_logits=False),
    optimizer="adam",
    metrics=["accuracy"],
)
metrics = export_model.evaluate(raw_test_ds, return_dict=True, verbose=0)
assert metrics["accuracy"] > 0.95
examples = tf.constant(["The movie was great and fun!", "A terrible, boring plot."])
scores = export_model.predict(examples, verbose=0)
assert scores.shape == (2, 1) and scores[0, 0] > 0.5 > scores[1, 0]

# A functional model on keras.Input(dtype="string"), trained end to end from raw strings
inputs = keras.Input(shape=(1,), dtype="string")
x = vectorize_layer(inputs)
x = layers.Embedding(max_features, 8)(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
end_to_end = keras.Model(inputs, outputs)
end_to_end.compile(
    optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"]
)
train_strings = tf.constant(texts[:240, None])  # Keras takes string tensors, not NumPy str
end_to_end.fit(train_strings, labels[:240], epochs=6, batch_size=32, verbose=0)
_, accuracy = end_to_end.evaluate(tf.constant(texts[240:, None]), labels[240:], verbose=0)
assert accuracy > 0.95
print("ok")
