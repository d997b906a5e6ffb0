# keras.io "Using pre-trained word embeddings", small and synthetic: a GloVe-style text file
# of word vectors written and parsed (np.fromstring), a TextVectorization vocabulary turned
# into a word_index, the embedding matrix filled for hits (misses stay zero), a frozen
# Embedding holding it, once through embeddings_initializer=keras.initializers.Constant and
# once through build + set_weights (the Keras 3 version), a Conv1D classifier trained on
# top with the embedding left unchanged, then the end-to-end model taking raw strings.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(41)
rng = np.random.default_rng(41)
class_names = ["sport", "space", "cooking"]
topic_words = [
    ["goal", "match", "team", "score", "coach", "league"],
    ["orbit", "rocket", "planet", "moon", "launch", "star"],
    ["oven", "recipe", "salt", "bake", "flour", "pan"],
]
filler = ["the", "a", "of", "and", "today", "very", "was", "it"]
unknown = ["zorp", "blick"]  # words in the texts but not in the pretrained vectors

embedding_dim = 8
centers = rng.normal(size=(3, embedding_dim)) * 2.0
with open("vectors.txt", "w") as f:
    for c, words in enumerate(topic_words):
        for word in words:
            vector = centers[c] + rng.normal(scale=0.3, size=embedding_dim)
            f.write(word + " " + " ".join(f"{v:.5f}" for v in vector) + "\n")
    for word in filler + ["unused", "words"]:
        vector = rng.normal(scale=0.3, size=embedding_dim)
        f.write(word + " " + " ".join(f"{v:.5f}" for v in vector) + "\n")

embeddings_index = {}
with open("vectors.txt") as f:
    for line in f:
        word, coefs = line.split(maxsplit=1)
        embeddings_index[word] = np.fromstring(coefs, "f", sep=" ")
assert len(embeddings_index) == 18 + 10


def make_texts(n):
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 3))
        words = list(rng.choice(filler, 6)) + list(rng.choice(topic_words[label], 2))
        words += list(rng.choice(unknown, 1))
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return np.array(texts), np.array(labels)


train_samples, train_labels = make_texts(300)
val_samples, val_labels = make_texts(90)

vectorizer = layers.TextVectorization(max_tokens=40, output_sequence_length=10)
text_ds = tf.data.Dataset.from_tensor_slices(train_samples).batch(64)
vectorizer.adapt(text_ds)
voc = vectorizer.get_vocabulary()
assert voc[:2] == ["", "[UNK]"] and len(voc) == 2 + 18 + 8 + 2
word_index = dict(zip(voc, range(len(voc))))
output = vectorizer([["the orbit of the moon"]]).numpy()
assert output.shape == (1, 10) and output[0, 1] == word_index["orbit"] and output[0, 5] == 0

num_tokens = len(voc) + 2
embedding_matrix = np.zeros((num_tokens, embedding_dim))
hits, misses = 0, 0
for word, i in word_index.items():
    embedding_vector = embeddings_index.get(word)
    if embedding_vector is not None:
        embedding_matrix[i] = embedding_vector
        hits += 1
    else:
        misses += 1
assert (hits, misses) == (18 + 8, 4), (hits, misses)  # "", "[UNK]" and the two unknown words

embedding_layer = layers.Embedding(
    num_tokens,
    embedding_dim,
    embeddings_initializer=keras.initializers.Constant(embedding_matrix),
    trainable=False,
)
other = layers.Embedding(num_tokens, embedding_dim, trainable=False)
other.build((1,))
other.set_weights([embedding_matrix])
np.testing.assert_allclose(
    other(np.arange(num_tokens)).numpy(), embedding_layer(np.arange(num_tokens)).numpy()
)
assert embedding_layer.embeddings.dtype == "float32"
assert not embedding_layer.trainable_weights and len(embedding_layer.non_trainable_weights) == 1

int_sequences_input = keras.Input(shape=(None,), dtype="int64")
embedded_sequences = embedding_layer(int_sequences_input)
x = layers.Conv1D(16, 3, activation="relu", padding="same")(embedded_sequences)
x = layers.MaxPooling1D(2)(x)
x = layers.Conv1D(16, 3, activation="relu", padding="same")(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(16, activation="relu")(x)
x = layers.Dropout(0.2)(x)
preds = layers.Dense(len(class_names), activation="softmax")(x)
model = keras.Model(int_sequences_input, preds)
frozen = embedding_layer.get_weights()[0].copy()
assert len(model.non_trainable_weights) == 1

x_train = vectorizer(np.array([[s] for s in train_samples])).numpy()
x_val = vectorizer(np.array([[s] for s in val_samples])).numpy()
assert x_train.shape == (300, 10)
model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop", metrics=["acc"])
history = model.fit(
    x_train, train_labels, batch_size=32, epochs=12, validation_data=(x_val, val_labels), verbose=0
)
assert history.history["val_acc"][-1] > 0.9, history.history["val_acc"]
np.testing.assert_array_equal(embedding_layer.get_weights()[0], frozen)

string_input = keras.Input(shape=(1,), dtype="string")
x = vectorizer(string_input)
preds = model(x)
end_to_end_model = keras.Model(string_input, preds)
probabilities = end_to_end_model(
    keras.ops.convert_to_tensor([["the rocket launch to the moon was today"]])
)
assert class_names[int(np.argmax(probabilities[0]))] == "space"
batch = end_to_end_model.predict(
    tf.constant([["bake the flour in a pan"], ["a team goal"]]), verbose=0
)
assert [class_names[i] for i in batch.argmax(axis=1)] == ["cooking", "sport"]
print("pretrained embeddings ok", history.history["val_acc"][-1])
