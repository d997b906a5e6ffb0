"""keras.utils.text_dataset_from_directory on .txt files this program writes (as the IMDB
part of the "Text classification" tutorial), then TextVectorization and fit."""

import os

import numpy as np
import tensorflow as tf
from tensorflow import keras

reviews = {
    "neg": ["a dull and boring film", "awful acting", "boring plot, dull", "terrible and awful"],
    "pos": ["a great and fun film", "wonderful acting", "great plot, fun", "excellent, wonderful"],
}
for label, texts in reviews.items():
    os.makedirs(os.path.join("aclImdb", "train", label), exist_ok=True)
    for i, text in enumerate(texts * 3):
        with open(os.path.join("aclImdb", "train", label, f"{i}_{label}.txt"), "w") as f:
            f.write(text)
with open(os.path.join("aclImdb", "train", "README"), "w") as f:
    f.write("not a review")  # a file outside the class folders is not a sample

raw_train_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=4, validation_split=0.25, subset="training", seed=42
)
raw_val_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=4, validation_split=0.25, subset="validation", seed=42
)
assert raw_train_ds.class_names == ["neg", "pos"]
train_texts, train_labels = [], []
for text_batch, label_batch in raw_train_ds:
    assert text_batch.dtype == tf.string and label_batch.dtype == tf.int32
    train_texts += text_batch.numpy().tolist()
    train_labels += label_batch.numpy().tolist()
val_texts = [t for batch, _ in raw_val_ds for t in batch.numpy().tolist()]
assert len(train_texts) == 18 and len(val_texts) == 6
assert sorted(set(train_labels)) == [0, 1]
for text, label in zip(train_texts, train_labels):
    assert text.decode() in reviews[raw_train_ds.class_names[label]]

# unshuffled: files in alphanumeric order, labels by folder
ordered = keras.utils.text_dataset_from_directory("aclImdb/train", shuffle=False, batch_size=24)
texts, labels = next(iter(ordered))
assert labels.numpy().tolist() == [0] * 12 + [1] * 12
both = keras.utils.text_dataset_from_directory(
    "aclImdb/train", validation_split=0.5, subset="both", seed=1, label_mode="binary"
)
assert len(both) == 2 and next(iter(both[0]))[1].shape[1:] == (1,)
short = keras.utils.text_dataset_from_directory(
    "aclImdb/train", shuffle=False, max_length=5, labels=None
)
assert all(len(t) <= 5 for batch in short for t in batch.numpy().tolist())

# vectorize and train
keras.utils.set_random_seed(3)
vectorize = keras.layers.TextVectorization(max_tokens=30, output_sequence_length=6)
vectorize.adapt(raw_train_ds.map(lambda text, label: text))
model = keras.Sequential(
    [
        vectorize,
        keras.layers.Embedding(30, 8),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"]
)
model.fit(raw_train_ds, validation_data=raw_val_ds, epochs=15, verbose=0)
_, accuracy = model.evaluate(raw_train_ds, verbose=0)
assert accuracy == 1.0
scores = model.predict(tf.constant(["great fun", "dull, boring"]), verbose=0)
assert scores[0, 0] > 0.5 > scores[1, 0]
assert np.all((scores >= 0) & (scores <= 1))
print("ok")
