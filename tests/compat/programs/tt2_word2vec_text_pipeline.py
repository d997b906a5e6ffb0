# The word2vec tutorial's data pipeline on a small generated text file: TextLineDataset with
# an empty-line filter (tf.cast(tf.strings.length(x), bool)), TextVectorization with a custom
# standardisation (lower + regex_replace of string.punctuation), batch().map(layer).unbatch()
# and as_numpy_iterator, generate_training_data with a sampling table, skipgrams and
# log_uniform_candidate_sampler, and the Word2Vec model trained on the result.
import re
import string

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

SEED = 42
tf.keras.utils.set_random_seed(SEED)
rng = np.random.default_rng(SEED)
words = "the king queen man woman rules crown royal walks street city people".split()
lines = []
for i in range(120):
    n = int(rng.integers(4, 9))
    lines.append(" ".join(words[j] for j in rng.integers(0, len(words), n)).capitalize() + ".")
    if i % 10 == 0:
        lines.append("")  # empty lines are filtered out
with open("shakespeare.txt", "w") as f:
    f.write("\n".join(lines) + "\n")

text_ds = tf.data.TextLineDataset("shakespeare.txt").filter(
    lambda x: tf.cast(tf.strings.length(x), bool)
)
assert sum(1 for _ in text_ds) == 120
first = next(iter(text_ds)).numpy().decode()
assert first == lines[0] and first[0].isupper() and first.endswith(".")


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    return tf.strings.regex_replace(lowercase, "[%s]" % re.escape(string.punctuation), "")


assert custom_standardization(tf.constant("The King, rules!")).numpy() == b"the king rules"
vocab_size = 16
sequence_length = 10
vectorize_layer = layers.TextVectorization(
    standardize=custom_standardization,
    max_tokens=vocab_size,
    output_mode="int",
    output_sequence_length=sequence_length,
)
vectorize_layer.adapt(text_ds.batch(1024))
inverse_vocab = vectorize_layer.get_vocabulary()
assert inverse_vocab[:2] == ["", "[UNK]"] and sorted(inverse_vocab[2:]) == sorted(words)
counts = {
    w: sum(line.lower().split().count(w + ".") + line.lower().split().count(w) for line in lines)
    for w in words
}
freq = [counts[w] for w in inverse_vocab[2:]]
assert freq == sorted(freq, reverse=True)  # most frequent first

AUTOTUNE = tf.data.AUTOTUNE
text_vector_ds = text_ds.batch(1024).prefetch(AUTOTUNE).map(vectorize_layer).unbatch()
sequences = list(text_vector_ds.as_numpy_iterator())
assert len(sequences) == 120 and sequences[0].shape == (sequence_length,)
n0 = len(lines[0].split())
assert np.all(sequences[0][n0:] == 0) and np.all(sequences[0][:n0] >= 2)
assert [inverse_vocab[i] for i in sequences[0][:n0]] == lines[0].lower().rstrip(".").split()

sampling_table = tf.keras.preprocessing.sequence.make_sampling_table(vocab_size)
rank = np.arange(vocab_size, dtype="float64")
rank[0] = 1
inv_fq = rank * (np.log(rank) + 0.577) + 0.5 - 1.0 / (12.0 * rank)
f = 1e-5 * inv_fq
np.testing.assert_allclose(sampling_table, np.minimum(1.0, f / np.sqrt(f)), rtol=1e-6)


def generate_training_data(sequences, window_size, num_ns, vocab_size, seed, sampling_table):
    targets, contexts, labels = [], [], []
    for sequence in sequences:
        positive_skip_grams, _ = tf.keras.preprocessing.sequence.skipgrams(
            sequence,
            vocabulary_size=vocab_size,
            sampling_table=sampling_table,
            window_size=window_size,
            negative_samples=0,
        )
        for target_word, context_word in positive_skip_grams:
            context_class = tf.expand_dims(tf.constant([context_word], dtype="int64"), 1)
            negative_sampling_candidates, _, _ = tf.random.log_uniform_candidate_sampler(
                true_classes=context_class,
                num_true=1,
                num_sampled=num_ns,
                unique=True,
                range_max=vocab_size,
                seed=seed,
                name="negative_sampling",
            )
            context = tf.concat([tf.squeeze(context_class, 1), negative_sampling_candidates], 0)
            label = tf.constant([1] + [0] * num_ns, dtype="int64")
            targets.append(target_word)
            contexts.append(context)
            labels.append(label)
    return targets, contexts, labels


# with every word kept (a table of ones), each pair inside the window is a positive pair
t, c, lab = generate_training_data(sequences[:1], 2, 3, vocab_size, SEED, np.ones(vocab_size))
seq = sequences[0][:n0]
assert len(t) == sum(min(n0, i + 3) - max(0, i - 2) - 1 for i in range(n0))
assert all(int(ci[0]) in seq for ci in c) and all(li.numpy().tolist() == [1, 0, 0, 0] for li in lab)
# the sampling table drops frequent words: fewer pairs than without it
keep_all = generate_training_data(sequences[:30], 2, 3, vocab_size, SEED, np.ones(vocab_size))[0]
kept = generate_training_data(sequences[:30], 2, 3, vocab_size, SEED, sampling_table)[0]
assert len(kept) < len(keep_all)

targets, contexts, labels = generate_training_data(
    sequences,
    window_size=2,
    num_ns=4,
    vocab_size=vocab_size,
    seed=SEED,
    sampling_table=np.full(vocab_size, 0.6),
)
targets, contexts, labels = np.array(targets), np.array(contexts), np.array(labels)
assert contexts.shape == (len(targets), 5) and labels.shape == (len(targets), 5)
assert contexts.min() >= 0 and contexts.max() < vocab_size
assert np.all(contexts[:, 0] >= 2)  # the true context is a word, never padding or [UNK]

BATCH_SIZE = 64
dataset = tf.data.Dataset.from_tensor_slices(((targets, contexts), labels))
dataset = dataset.shuffle(1000).batch(BATCH_SIZE, drop_remainder=True)
dataset = dataset.cache().prefetch(buffer_size=AUTOTUNE)


class Word2Vec(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim):
        super(Word2Vec, self).__init__()
        self.target_embedding = layers.Embedding(vocab_size, embedding_dim, name="w2v_embedding")
        self.context_embedding = layers.Embedding(vocab_size, embedding_dim)

    def call(self, pair):
        target, context = pair
        if len(target.shape) == 2:
            target = tf.squeeze(target, axis=1)
        word_emb = self.target_embedding(target)
        context_emb = self.context_embedding(context)
        dots = tf.einsum("be,bce->bc", word_emb, context_emb)
        return dots


word2vec = Word2Vec(vocab_size, 8)
word2vec.compile(
    optimizer=tf.keras.optimizers.Adam(0.02),
    loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = word2vec.fit(dataset, epochs=10, verbose=0)
print("word2vec", np.round(history.history["loss"], 3), history.history["accuracy"][-1])
assert history.history["loss"][-1] < 0.9 * history.history["loss"][0], history.history["loss"]
weights = word2vec.get_layer("w2v_embedding").get_weights()[0]
assert weights.shape == (vocab_size, 8)
vocab = vectorize_layer.get_vocabulary()
lines_out = [f"{word}\t" + "\t".join(str(x) for x in weights[i]) for i, word in enumerate(vocab)]
assert len(lines_out) == len(vocab) == 14 and lines_out[2].startswith(vocab[2] + "\t")
print("word2vec text pipeline ok")
