# The word2vec tutorial, small: skip-gram pairs with keras' skipgrams and a sampling
# table, negative sampling with tf.random.log_uniform_candidate_sampler, a subclassed
# Word2Vec model with tf.einsum, and a tf.data pipeline of ((target, context), label).
import numpy as np
import tensorflow as tf

SEED = 42
tf.random.set_seed(SEED)
vocab_size, window_size, num_ns = 12, 2, 3
sentence = "the wide road shimmered in the hot sun".split()
vocab, index = {"<pad>": 0}, 1
for token in sentence:
    if token not in vocab:
        vocab[token] = index
        index += 1
inverse_vocab = {i: t for t, i in vocab.items()}
example_sequence = [vocab[w] for w in sentence]
assert example_sequence == [1, 2, 3, 4, 5, 1, 6, 7]

positive_skip_grams, _ = tf.keras.preprocessing.sequence.skipgrams(
    example_sequence, vocabulary_size=len(vocab), window_size=window_size, negative_samples=0
)
pairs = {tuple(p) for p in positive_skip_grams}
for i, t in enumerate(example_sequence):  # every pair within the window, both ways
    for j in range(max(0, i - window_size), min(len(example_sequence), i + window_size + 1)):
        if j != i:
            assert (t, example_sequence[j]) in pairs
assert len(positive_skip_grams) == 26

target_word, context_word = positive_skip_grams[0]
context_class = tf.reshape(tf.constant(context_word, dtype="int64"), (1, 1))
negative_sampling_candidates, true_expected, sampled_expected = (
    tf.random.log_uniform_candidate_sampler(
        true_classes=context_class,
        num_true=1,
        num_sampled=num_ns,
        unique=True,
        range_max=len(vocab),
        seed=SEED,
        name="negative_sampling",
    )
)
neg = negative_sampling_candidates.numpy()
assert neg.shape == (num_ns,) and len(set(neg.tolist())) == num_ns
assert neg.min() >= 0 and neg.max() < len(vocab)
assert true_expected.shape == (1, 1) and sampled_expected.shape == (num_ns,)

squeezed = (
    tf.squeeze(negative_sampling_candidates, 1) if neg.ndim == 2 else negative_sampling_candidates
)
context = tf.concat([tf.squeeze(context_class, 1), squeezed], 0)
label = tf.constant([1] + [0] * num_ns, dtype="int64")
assert context.shape == (num_ns + 1,) and label.numpy().tolist() == [1, 0, 0, 0]

sampling_table = tf.keras.preprocessing.sequence.make_sampling_table(size=10)
assert sampling_table.shape == (10,)
assert np.all(np.diff(sampling_table) >= 0)  # frequent (low-rank) words are kept less

# Training data: every positive pair with num_ns negatives
targets, contexts, labels = [], [], []
for target_word, context_word in positive_skip_grams:
    context_class = tf.expand_dims(tf.constant([context_word], dtype="int64"), 1)
    negatives, _, _ = tf.random.log_uniform_candidate_sampler(
        true_classes=context_class,
        num_true=1,
        num_sampled=num_ns,
        unique=True,
        range_max=vocab_size,
        seed=SEED,
    )
    context = tf.concat([tf.squeeze(context_class, 1), negatives], 0)
    targets.append(target_word)
    contexts.append(context)
    labels.append(label)
targets, contexts, labels = np.array(targets), np.array(contexts), np.array(labels)
assert contexts.shape == (26, num_ns + 1)

BATCH_SIZE, BUFFER_SIZE = 8, 100
dataset = tf.data.Dataset.from_tensor_slices(((targets, contexts), labels))
dataset = dataset.shuffle(BUFFER_SIZE).batch(BATCH_SIZE, drop_remainder=True)
dataset = dataset.cache().prefetch(buffer_size=tf.data.AUTOTUNE)
(t_spec, c_spec), l_spec = dataset.element_spec
assert t_spec.shape.as_list() == [BATCH_SIZE] and c_spec.shape.as_list() == [BATCH_SIZE, 4]


class Word2Vec(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim):
        super().__init__()
        self.target_embedding = tf.keras.layers.Embedding(
            vocab_size, embedding_dim, name="w2v_embedding"
        )
        self.context_embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)

    def call(self, pair):
        target, context = pair
        if len(target.shape) == 2:
            target = tf.squeeze(target, axis=1)
        word_emb = self.target_embedding(target)
        context_emb = self.context_embedding(context)
        return tf.einsum("be,bce->bc", word_emb, context_emb)


word2vec = Word2Vec(vocab_size, 16)
word2vec.compile(
    optimizer="adam",
    loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = word2vec.fit(dataset, epochs=30, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["accuracy"][-1] > 0.5
weights = word2vec.get_layer("w2v_embedding").get_weights()[0]
assert weights.shape == (vocab_size, 16)
logits = word2vec((tf.constant(targets[:4]), tf.constant(contexts[:4])))
manual = np.einsum(
    "be,bce->bc",
    weights[targets[:4]],
    word2vec.context_embedding.get_weights()[0][contexts[:4]],
)
np.testing.assert_allclose(logits.numpy(), manual, rtol=1e-5, atol=1e-6)
