# RaggedTensors as tf.data elements (the "Ragged tensors" guide, section "Datasets"):
# slice a RaggedTensor into a dataset, batch and unbatch it, map functions that make
# ragged values, and train a model on batches of ragged token ids.
import numpy as np
import tensorflow as tf

digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])

# Slicing a RaggedTensor: its rows are the elements.
ds = tf.data.Dataset.from_tensor_slices(digits)
spec = ds.element_spec
assert isinstance(spec, tf.RaggedTensorSpec) and spec.ragged_rank == 0
assert spec.shape.as_list() == [None] and spec.dtype == tf.int32
assert [e.numpy().tolist() for e in ds] == [[3, 1, 4, 1], [], [5, 9, 2], [6], []]

# Batching makes RaggedTensors again; unbatch gives the rows back.
batched = ds.batch(2)
assert isinstance(batched.element_spec, tf.RaggedTensorSpec)
assert batched.element_spec.ragged_rank == 1
batches = list(batched)
assert all(isinstance(b, tf.RaggedTensor) for b in batches)
assert [b.to_list() for b in batches] == [[[3, 1, 4, 1], []], [[5, 9, 2], [6]], [[]]]
assert [b.row_lengths().numpy().tolist() for b in batches] == [[4, 0], [3, 1], [0]]
assert [e.numpy().tolist() for e in batched.unbatch()] == digits.to_list()

# A string RaggedTensor, and as_numpy_iterator's view of ragged batches.
for row in tf.data.Dataset.from_tensor_slices(words).batch(2).as_numpy_iterator():
    assert row.dtype == object
    assert [list(r) for r in row] == [
        [b"So", b"long"],
        [b"thanks", b"for", b"all", b"the", b"fish"],
    ]

# from_tensors keeps the whole RaggedTensor as one element.
whole = tf.data.Dataset.from_tensors(digits)
assert whole.element_spec.shape.as_list() == [5, None]
assert next(iter(whole)).to_list() == digits.to_list()

# map functions that return RaggedTensors.
lines = tf.data.Dataset.from_tensor_slices(["the cat sat", "on the", "mat"])
tokens = lines.batch(2).map(tf.strings.split)
assert isinstance(tokens.element_spec, tf.RaggedTensorSpec)
assert [t.to_list() for t in tokens] == [[[b"the", b"cat", b"sat"], [b"on", b"the"]], [[b"mat"]]]


def pairs(n):
    return tf.RaggedTensor.from_row_lengths(tf.range(2 * n, dtype=tf.int64), [n, n])


grid = tf.data.Dataset.range(1, 4).map(pairs)
assert grid.element_spec.ragged_rank == 1
nested = grid.batch(2)
assert nested.element_spec.ragged_rank == 2
assert nested.element_spec.shape.as_list() == [None, 2, None]
assert [b.to_list() for b in nested] == [
    [[[0], [1]], [[0, 1], [2, 3]]],
    [[[0, 1, 2], [3, 4, 5]]],
]
assert [r.to_list() for r in nested.unbatch()] == [r.to_list() for r in grid]
assert [b.to_list() for b in grid.ragged_batch(3)] == [[r.to_list() for r in grid]]

# The usual transformations pass ragged elements through unchanged.
kept = ds.filter(lambda x: tf.size(x) > 0).cache().shuffle(8, seed=3).repeat(2).prefetch(1)
rows = sorted(tuple(e.numpy().tolist()) for e in kept)
assert rows == sorted([(3, 1, 4, 1), (5, 9, 2), (6,)] * 2)

# padded_batch refuses ragged elements: ragged batches need batch or ragged_batch.
try:
    whole.padded_batch(2)
    raise AssertionError("padded_batch accepted ragged elements")
except TypeError as error:
    assert "padded_batch" in str(error)

# Train on (ragged token ids, label) batches: embeddings averaged over each row.
sentences = tf.ragged.constant([[3, 1, 4, 1], [5, 9, 2], [6], [2, 7]])
labels = np.array([1.0, 0.0, 1.0, 0.0], np.float32)
train = tf.data.Dataset.from_tensor_slices((sentences, labels)).batch(2)
model = tf.keras.Sequential(
    [
        tf.keras.layers.Embedding(10, 4),
        tf.keras.layers.GlobalAveragePooling1D(),
        tf.keras.layers.Dense(1),
    ]
)
model.compile(optimizer="sgd", loss="mse")
history = model.fit(train, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2
assert np.isfinite(history.history["loss"]).all()
table, kernel, bias = (w.numpy() for w in model.weights)
means = np.stack([table[row].mean(axis=0) for row in sentences.to_list()])
np.testing.assert_allclose(model.predict(train, verbose=0), means @ kernel + bias, atol=1e-5)
print("ok")
