# keras.io "Graph representation learning with node2vec", small: biased second-order random
# walks (return parameter p, in-out parameter q) on a two-community graph held in NumPy,
# skip-gram positive and negative pairs from keras.preprocessing.sequence.skipgrams merged
# into weighted (target, context, label) examples, a tf.data Dataset of
# (dict inputs, labels, weights) with drop_remainder, a shared Embedding (he_normal, l2
# regularizer) scored by a Dot layer as logits, and BinaryCrossentropy(from_logits=True).
from collections import defaultdict

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(81)
np.random.seed(81)
rng = np.random.default_rng(81)

# two communities of 8 nodes (ids 1..16; 0 is kept free as skipgrams treats it as padding)
vocabulary_size = 17
neighbors = defaultdict(set)
for group in (range(1, 9), range(9, 17)):
    nodes = list(group)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if rng.random() < 0.6:
                neighbors[a].add(b)
                neighbors[b].add(a)
neighbors[4].add(12)
neighbors[12].add(4)  # one bridge
neighbors = {k: sorted(v) for k, v in neighbors.items()}
assert all(len(v) > 0 for v in neighbors.values()) and len(neighbors) == 16


def next_step(previous, current, p, q):
    nbrs = neighbors[current]
    weights = []
    for neighbor in nbrs:
        if neighbor == previous:
            weights.append(1.0 / p)  # control the probability to return to the previous node
        elif previous in neighbors[neighbor]:
            weights.append(1.0)  # a neighbour of the previous node: stay close
        else:
            weights.append(1.0 / q)  # control the probability to move forward
    probabilities = np.array(weights) / np.sum(weights)
    return int(rng.choice(nbrs, p=probabilities))


def random_walk(num_walks, num_steps, p, q):
    walks = []
    nodes = list(neighbors)
    for _ in range(num_walks):
        rng.shuffle(nodes)
        for node in nodes:
            walk = [node]
            while len(walk) < num_steps:
                current = walk[-1]
                previous = walk[-2] if len(walk) > 1 else None
                walk.append(next_step(previous, current, p, q))
            walks.append(walk)
    return walks


walks = random_walk(num_walks=6, num_steps=8, p=1.0, q=2.0)
assert len(walks) == 96 and all(len(w) == 8 for w in walks)
assert all(b in neighbors[a] for w in walks for a, b in zip(w, w[1:]))


def generate_examples(sequences, window_size, num_negative_samples, vocabulary_size):
    example_weights = defaultdict(int)
    for sequence in sequences:
        pairs, labels = keras.preprocessing.sequence.skipgrams(
            sequence,
            vocabulary_size=vocabulary_size,
            window_size=window_size,
            negative_samples=num_negative_samples,
        )
        for idx in range(len(pairs)):
            pair = pairs[idx]
            label = labels[idx]
            target, context = min(pair[0], pair[1]), max(pair[0], pair[1])
            if target == context:
                continue
            entry = (target, context, label)
            example_weights[entry] += 1
    targets, contexts, labels, weights = [], [], [], []
    for entry in example_weights:
        weight = example_weights[entry]
        target, context, label = entry
        targets.append(target)
        contexts.append(context)
        labels.append(label)
        weights.append(weight)
    return np.array(targets), np.array(contexts), np.array(labels), np.array(weights)


targets, contexts, labels, weights = generate_examples(
    sequences=walks, window_size=2, num_negative_samples=2, vocabulary_size=vocabulary_size
)
assert set(np.unique(labels).tolist()) == {0, 1}
assert (targets < contexts).all() and (weights >= 1).all()
batch_size = 64


def create_dataset(targets, contexts, labels, weights, batch_size):
    inputs = {"target": targets, "context": contexts}
    dataset = tf.data.Dataset.from_tensor_slices((inputs, labels, weights))
    dataset = dataset.shuffle(buffer_size=batch_size * 2, seed=0)
    dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    return dataset


dataset = create_dataset(targets, contexts, labels, weights.astype("float32"), batch_size)
batch = next(iter(dataset))
assert len(batch) == 3 and sorted(batch[0]) == ["context", "target"]
assert batch[1].shape == (batch_size,)


def create_model(vocabulary_size, embedding_dim):
    inputs = {
        "target": layers.Input(name="target", shape=(), dtype="int32"),
        "context": layers.Input(name="context", shape=(), dtype="int32"),
    }
    embed_item = layers.Embedding(
        input_dim=vocabulary_size,
        output_dim=embedding_dim,
        embeddings_initializer="he_normal",
        embeddings_regularizer=keras.regularizers.l2(1e-6),
        name="item_embeddings",
    )
    target_embeddings = embed_item(inputs["target"])
    context_embeddings = embed_item(inputs["context"])
    logits = layers.Dot(axes=1, normalize=False, name="dot_similarity")(
        [target_embeddings, context_embeddings]
    )
    return keras.Model(inputs=inputs, outputs=logits)


model = create_model(vocabulary_size, 8)
assert model.output_shape == (None, 1)
model.compile(
    optimizer=keras.optimizers.Adam(0.02),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
)
history = model.fit(dataset, epochs=30, verbose=0)
losses = history.history["loss"]
# pairs recur with both labels (negatives are drawn from 16 nodes): the weighted loss stays
# high and noisy, the embeddings tell what was learnt
assert np.isfinite(losses).all(), losses
assert len(model.losses) == 1  # the embedding regularizer

embeddings = model.get_layer("item_embeddings").get_weights()[0]
assert embeddings.shape == (vocabulary_size, 8)
unit = embeddings[1:] / np.linalg.norm(embeddings[1:], axis=1, keepdims=True)
similarity = unit @ unit.T
same = np.array([[(i < 8) == (j < 8) for j in range(16)] for i in range(16)])
off_diagonal = ~np.eye(16, dtype=bool)
within = similarity[same & off_diagonal].mean()
across = similarity[~same].mean()
assert within > across + 0.25, (within, across)
print("node2vec ok", round(losses[0], 3), round(losses[-1], 3), round(within, 3), round(across, 3))
