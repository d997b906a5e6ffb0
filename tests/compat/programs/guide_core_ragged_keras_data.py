"""TensorFlow guide "Ragged tensors": Keras models on ragged ids, indexing, broadcasting,
ragged elements in tf.data."""

import numpy as np
import tensorflow as tf

# Keras with ragged input (the guide's example)
sentences = tf.constant(
    [
        "What makes you think she is a witch?",
        "She turned me into a newt.",
        "A newt?",
        "Well, I got better.",
    ]
)
is_question = tf.constant([True, False, True, False])
hash_buckets = 1000
words = tf.strings.split(sentences, " ")
hashed_words = tf.strings.to_hash_bucket_fast(words, hash_buckets)
assert hashed_words.row_lengths().numpy().tolist() == [8, 6, 2, 4]
keras_model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=[None], dtype=tf.int64, ragged=True),
        tf.keras.layers.Embedding(hash_buckets, 16),
        tf.keras.layers.GlobalAveragePooling1D(),
        tf.keras.layers.Dense(32),
        tf.keras.layers.Activation(tf.nn.relu),
        tf.keras.layers.Dense(1),
    ]
)
keras_model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True), optimizer="rmsprop")
h = keras_model.fit(hashed_words, is_question, epochs=5, verbose=0)
assert len(h.history["loss"]) == 5
p = keras_model.predict(hashed_words, verbose=0)
assert p.shape == (4, 1)
h = keras_model.fit(hashed_words, is_question, epochs=20, batch_size=2, verbose=0)
assert h.history["loss"][-1] < h.history["loss"][0], h.history["loss"]
# a functional model on ragged ids
inp = tf.keras.Input(shape=(None,), dtype=tf.int64, ragged=True)
emb = tf.keras.layers.Embedding(hash_buckets, 4)(inp)
pooled = tf.keras.layers.GlobalAveragePooling1D()(emb)
model = tf.keras.Model(inp, tf.keras.layers.Dense(1)(pooled))
out = model(hashed_words)
assert out.shape == (4, 1)
# the same model agrees with a manual mean of the embedded rows
table = model.layers[1].embeddings
manual = tf.reduce_mean(tf.gather(table, hashed_words), axis=1)
assert np.allclose(model.layers[-1](manual).numpy(), out.numpy(), atol=1e-5)
# indexing
queries = tf.ragged.constant(
    [
        ["Who", "is", "George", "Washington"],
        ["What", "is", "the", "weather", "tomorrow"],
        ["Goodnight"],
    ]
)
assert queries[1].numpy().tolist() == [b"What", b"is", b"the", b"weather", b"tomorrow"]
assert queries[1, 2].numpy() == b"the"
assert queries[1:].to_list()[1] == [b"Goodnight"]
assert queries[:, :3].to_list()[0] == [b"Who", b"is", b"George"]
assert queries[:, -2:].to_list()[2] == [b"Goodnight"]
rt = tf.ragged.constant([[[1, 2, 3], [4]], [[5], [], [6]], [[7]], [[8, 9], [10]]])
assert rt[1].to_list() == [[5], [], [6]]
assert rt[3, 0].numpy().tolist() == [8, 9]
assert rt[:, 1:3].to_list() == [[[4]], [[], [6]], [], [[10]]]
assert rt[:, -1:].to_list() == [[[4]], [[6]], [[7]], [[10]]]
# broadcasting with dense tensors
x = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
assert (x + tf.constant([[10], [20], [30]])).to_list() == [[11, 12], [23], [34, 35, 36]]
assert (x * 10).to_list() == [[10, 20], [30], [40, 50, 60]]
y = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
assert (y + tf.constant([100, 200])).to_list() == [[[101, 202], [103, 204]], [[105, 206]]]
try:
    x + tf.ragged.constant([[1], [2], [3]])
    raise SystemExit("expected error")
except tf.errors.InvalidArgumentError:
    print("ok mismatch")
# tf.data: batching ragged rows and dense_to_ragged
ds = tf.data.Dataset.from_tensor_slices(x)
assert [t.numpy().tolist() for t in ds] == [[1, 2], [3], [4, 5, 6]]
b = next(iter(ds.batch(2)))
assert isinstance(b, tf.RaggedTensor) and b.to_list() == [[1, 2], [3]]
dense_ds = tf.data.Dataset.from_tensor_slices(tf.constant([3, 1, 2])).map(tf.range)
rb = next(iter(dense_ds.ragged_batch(3)))
assert rb.to_list() == [[0, 1, 2], [0], [0, 1]]
ub = next(iter(ds.batch(3).unbatch().batch(1)))
assert ub.to_list() == [[1, 2]]
padded = tf.data.Dataset.from_tensor_slices(x).map(lambda r: r * 2)
assert [t.numpy().tolist() for t in padded] == [[2, 4], [6], [8, 10, 12]]
# uniform_row_length and row_lengths
urt = tf.RaggedTensor.from_uniform_row_length(tf.range(6), 2)
assert int(urt.uniform_row_length) == 2
assert urt.shape.as_list() == [3, 2]
assert tf.ragged.stack([tf.constant([1, 2]), tf.constant([3])]).to_list() == [[1, 2], [3]]
print("OK")
