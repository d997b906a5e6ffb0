"""A ragged batch of token ids: ragged ops, an embedding lookup per token, pooling per row."""

import numpy as np
import tensorflow as tf

sentences = [[4, 12, 7], [9], [3, 3, 15, 8, 1], []]
tokens = tf.ragged.constant(sentences, dtype=tf.int64)
assert tokens.shape.as_list() == [4, None]
assert tokens.ragged_rank == 1
np.testing.assert_array_equal(tokens.row_lengths().numpy(), [3, 1, 5, 0])
np.testing.assert_array_equal(tokens.row_splits.numpy(), [0, 3, 4, 9, 9])
assert tokens.to_list() == sentences
assert tokens[2].numpy().tolist() == [3, 3, 15, 8, 1]
assert tokens[:2].to_list() == [[4, 12, 7], [9]]
assert tokens[:, :2].to_list() == [[4, 12], [9], [3, 3], []]

padded = tokens.to_tensor(default_value=0)
assert padded.shape == (4, 5)
np.testing.assert_array_equal(padded.numpy()[2], [3, 3, 15, 8, 1])
back = tf.RaggedTensor.from_tensor(padded, padding=0)
assert back.to_list() == sentences

same = tf.RaggedTensor.from_row_lengths(values=tokens.values, row_lengths=[3, 1, 5, 0])
assert same.to_list() == sentences

# Elementwise math and reductions over each row.
shifted = tokens + 1
assert shifted.to_list() == [[t + 1 for t in s] for s in sentences]
np.testing.assert_array_equal(tf.reduce_sum(tokens, axis=1).numpy(), [23, 9, 30, 0])
np.testing.assert_array_equal(tf.reduce_max(tokens[:3], axis=1).numpy(), [12, 9, 15])
keep = tf.ragged.boolean_mask(tokens, tokens > 5)
assert keep.to_list() == [[12, 7], [9], [15, 8], []]

# Embedding lookup per token, then the mean over each row's own length.
table = tf.constant(np.random.default_rng(0).normal(size=(16, 4)).astype("float32"))
embedded = tf.ragged.map_flat_values(tf.gather, table, tokens)
assert embedded.shape.as_list() == [4, None, 4]
pooled = tf.reduce_mean(embedded[:3], axis=1)
expected = np.stack([table.numpy()[s].mean(axis=0) for s in sentences[:3]])
np.testing.assert_allclose(pooled.numpy(), expected, rtol=1e-6)

# Batches join along rows.
more = tf.ragged.constant([[2, 2]], dtype=tf.int64)
joined = tf.concat([tokens, more], axis=0)
assert joined.to_list() == sentences + [[2, 2]]
stacked = tf.stack([tokens, tokens], axis=0)
assert stacked.shape.as_list() == [2, None, None]
print("pooled", pooled.shape)
