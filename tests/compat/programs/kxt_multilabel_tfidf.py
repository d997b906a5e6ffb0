# keras.io "Large-scale multi-label text classification", small and synthetic: subject lists
# stored as strings and parsed with ast.literal_eval, a StringLookup(output_mode="multi_hot")
# adapted on a tf.ragged.constant of them and an invert_multi_hot helper over its vocabulary,
# a TextVectorization with ngrams=2 and output_mode="tf_idf" adapted on the text half of a
# Dataset and applied in a Dataset.map (num_parallel_calls=AUTOTUNE), a shallow MLP with
# sigmoid outputs trained with binary cross-entropy and binary_accuracy, then predictions
# turned back into subject names.
from ast import literal_eval

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(51)
rng = np.random.default_rng(51)
subjects = {
    "cs.CV": ["image", "pixel", "convolution", "segmentation"],
    "cs.LG": ["gradient", "training", "loss", "optimizer"],
    "stat.ML": ["bayesian", "posterior", "variance", "prior"],
    "cs.CL": ["token", "sentence", "translation", "corpus"],
}
names = list(subjects)
common = ["we", "propose", "a", "new", "method", "results", "show", "that"]


def make_rows(n):
    abstracts, terms = [], []
    for _ in range(n):
        k = int(rng.integers(1, 3))
        chosen = sorted(rng.choice(names, k, replace=False).tolist())
        words = list(rng.choice(common, 5))
        for s in chosen:
            words += list(rng.choice(subjects[s], 3))
        rng.shuffle(words)
        abstracts.append(" ".join(words))
        terms.append(str(chosen))  # the CSV column holds the list as a string
    return abstracts, terms


train_abstracts, train_terms = make_rows(400)
val_abstracts, val_terms = make_rows(100)
train_labels = [literal_eval(t) for t in train_terms]
val_labels = [literal_eval(t) for t in val_terms]
assert isinstance(train_labels[0], list)

terms = tf.ragged.constant(train_labels)
lookup = layers.StringLookup(output_mode="multi_hot")
lookup.adapt(terms)
vocab = lookup.get_vocabulary()
assert vocab[0] == "[UNK]" and sorted(vocab[1:]) == sorted(names)
assert lookup.vocabulary_size() == 5


def invert_multi_hot(encoded_labels):
    hot_indices = np.argwhere(encoded_labels == 1.0)[..., 0]
    return np.take(vocab, hot_indices)


sample_label = train_labels[0]
label_binarized = lookup([sample_label]).numpy()
assert label_binarized.shape == (1, 5)
assert sorted(invert_multi_hot(label_binarized[0]).tolist()) == sorted(sample_label)
unknown = lookup(tf.ragged.constant([["math.AG", "cs.LG"]])).numpy()
assert unknown[0, 0] == 1.0 and unknown[0, vocab.index("cs.LG")] == 1.0

batch_size = 32
auto = tf.data.AUTOTUNE


def make_dataset(abstracts, labels, is_train=True):
    label_binarized = lookup(tf.ragged.constant(labels)).numpy()
    dataset = tf.data.Dataset.from_tensor_slices((abstracts, label_binarized))
    dataset = dataset.shuffle(batch_size * 10, seed=1) if is_train else dataset
    return dataset.batch(batch_size)


train_dataset = make_dataset(train_abstracts, train_labels)
validation_dataset = make_dataset(val_abstracts, val_labels, is_train=False)
text_batch, label_batch = next(iter(train_dataset))
assert text_batch.dtype == tf.string and label_batch.shape == (batch_size, 5)

text_vectorizer = layers.TextVectorization(max_tokens=200, ngrams=2, output_mode="tf_idf")
text_vectorizer.adapt(train_dataset.map(lambda text, label: text))
tokens = text_vectorizer.get_vocabulary()
assert tokens[0] == "[UNK]" and "image" in tokens
assert any(" " in t for t in tokens)  # bigrams joined by a space
vocabulary_size = text_vectorizer.vocabulary_size()
assert vocabulary_size == len(tokens)

once = text_vectorizer(["gradient"]).numpy()[0]
twice = text_vectorizer(["gradient banana gradient"]).numpy()[0]
g = tokens.index("gradient")
assert once[g] > 0 and abs(twice[g] - 2 * once[g]) < 1e-5 * once[g]
assert twice[0] > 0  # the unknown word and the unknown bigrams count under [UNK]
assert text_vectorizer(["we"]).numpy()[0, tokens.index("we")] < once[g]  # common: low idf

train_dataset = train_dataset.map(
    lambda text, label: (text_vectorizer(text), label), num_parallel_calls=auto
).prefetch(auto)
validation_dataset = validation_dataset.map(
    lambda text, label: (text_vectorizer(text), label), num_parallel_calls=auto
).prefetch(auto)

shallow_mlp_model = keras.Sequential(
    [
        keras.Input(shape=(vocabulary_size,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(lookup.vocabulary_size(), activation="sigmoid"),
    ]
)
shallow_mlp_model.compile(
    loss="binary_crossentropy", optimizer=keras.optimizers.Adam(0.01), metrics=["binary_accuracy"]
)
history = shallow_mlp_model.fit(
    train_dataset, validation_data=validation_dataset, epochs=15, verbose=0
)
assert history.history["val_binary_accuracy"][-1] > 0.95, history.history
_, binary_acc = shallow_mlp_model.evaluate(validation_dataset, verbose=0)
assert abs(binary_acc - history.history["val_binary_accuracy"][-1]) < 1e-6

model_for_inference = keras.Sequential([text_vectorizer, shallow_mlp_model])
predicted = model_for_inference.predict(tf.constant(val_abstracts[:20]), verbose=0)
assert predicted.shape == (20, 5)
exact = 0
for probs, label in zip(predicted, val_labels[:20]):
    predicted_terms = invert_multi_hot((probs > 0.5).astype("float32"))
    exact += sorted(predicted_terms.tolist()) == sorted(label)
assert exact >= 17, exact
print("multi-label tf-idf ok", binary_acc, exact)
