"""The data side of the image-captioning tutorial on a tiny synthetic set: captions tokenized
to a RaggedTensor by TextVectorization(ragged=True) and split with tokens[..., :-1] /
tokens[..., 1:], (feature, caption) pairs repeated per caption, the pairs written with
Dataset.save(shard_func=...) and read back with Dataset.load(reader_func=...) (which keeps
the saved cardinality), padded batches, generated token ids joined back to text (an empty
caption gives b""), and a masked loss that must cast the float labels Keras hands it."""

import os
import tempfile

import numpy as np
import tensorflow as tf

captions = tf.constant(
    [
        ["a dog runs on the grass", "the dog plays"],
        ["a cat sits", "a small cat sits on a mat"],
        ["a man runs", "the man runs on the beach"],
    ]
)
features = tf.reshape(tf.range(3 * 4, dtype=tf.float32), (3, 2, 2))


def standardize(s):
    s = tf.strings.lower(s)
    return tf.strings.join(["[START]", s, "[END]"], separator=" ")


tokenizer = tf.keras.layers.TextVectorization(standardize=standardize, ragged=True)
tokenizer.adapt(tf.reshape(captions, [-1]))
vocab = tokenizer.get_vocabulary()
assert vocab[:2] == ["", "[UNK]"] and "[START]" in vocab and "[END]" in vocab

tokens = tokenizer(tf.constant(["a dog sits", "the cat"]))
assert isinstance(tokens, tf.RaggedTensor) and tokens.row_lengths().numpy().tolist() == [5, 4]
inputs, labels = tokens[..., :-1], tokens[..., 1:]
assert inputs.to_list() == [row[:-1] for row in tokens.to_list()]
assert labels.to_list() == [row[1:] for row in tokens.to_list()]
start, end = vocab.index("[START]"), vocab.index("[END]")
assert all(row[0] == start for row in inputs.to_list())
assert all(row[-1] == end for row in labels.to_list())
assert tokens[1, ...].numpy().tolist() == tokens.to_list()[1]

# one (feature, caption) pair per caption
pairs = tf.data.Dataset.from_tensor_slices((features, captions)).map(
    lambda f, c: (tf.repeat(f[tf.newaxis], tf.shape(c)[0], axis=0), c)
)
pairs = pairs.unbatch().map(lambda f, c: (f, tokenizer(c)))
assert pairs.element_spec[0].shape == (2, 2)

path = os.path.join(tempfile.mkdtemp(), "cache")
pairs.enumerate().save(path, shard_func=lambda i, item: i % 2)


def reader(shards):
    return shards.shuffle(4).interleave(lambda shard: shard, cycle_length=2)


loaded = tf.data.Dataset.load(path, reader_func=reader)
assert int(loaded.cardinality()) == 6 and len(loaded) == 6
batches = loaded.map(lambda i, item: item).padded_batch(4)
assert int(batches.cardinality()) == 2
shapes = [(tuple(f.shape), tuple(t.shape)) for f, t in batches]
assert [s[0] for s in shapes] == [(4, 2, 2), (2, 2, 2)], shapes
longest = max(len(r) for r in tokenizer(tf.reshape(captions, [-1])).to_list())
assert max(s[1][1] for s in shapes) == longest

# token ids back to text; an empty generation joins to b""
index_to_word = tf.keras.layers.StringLookup(mask_token="", vocabulary=vocab, invert=True)
words = index_to_word(tf.constant([vocab.index("a"), vocab.index("dog")], tf.int64))
assert tf.strings.reduce_join(words, axis=-1, separator=" ").numpy() == b"a dog"
empty = index_to_word(tf.zeros([0], tf.int64))
assert tf.strings.reduce_join(empty, axis=-1, separator=" ").numpy() == b""
assert tf.strings.reduce_join(tf.zeros([2, 0], tf.string), axis=-1).numpy().tolist() == [b"", b""]

# Keras hands a loss function float32 labels: the sparse op wants them cast back
try:
    tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([1.0, 0.0]), tf.zeros([2, 3]))
    raise AssertionError("float labels should be refused")
except (TypeError, tf.errors.InvalidArgumentError):
    pass


def masked_loss(labels, preds):
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.cast(labels, tf.int64), preds)
    mask = tf.cast(labels != 0, loss.dtype)
    return tf.reduce_sum(loss * mask) / tf.reduce_sum(mask)


model = tf.keras.Sequential(
    [
        tf.keras.Input((None,)),
        tf.keras.layers.Embedding(len(vocab), 8),
        tf.keras.layers.Dense(len(vocab)),
    ]
)
model.compile(optimizer="adam", loss=masked_loss)
train = loaded.map(lambda i, item: (item[1][:-1], item[1][1:])).padded_batch(3)
history = model.fit(train, epochs=2, verbose=0)
assert np.isfinite(history.history["loss"]).all()
uniform = np.log(len(vocab))
assert abs(history.history["loss"][0] - uniform) < 1.0, (history.history, uniform)
print("ok")
