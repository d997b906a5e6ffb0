"""padded_batch: sequences of different lengths, padded per batch or to a fixed shape."""

import numpy as np
import tensorflow as tf

ds = tf.data.Dataset.range(1, 6).map(lambda n: tf.fill([n], n))

batches = [b.numpy().tolist() for b in ds.padded_batch(2)]
assert batches == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]], [[5, 5, 5, 5, 5]]]

fixed = ds.padded_batch(3, padded_shapes=[6], padding_values=tf.constant(-1, dtype=tf.int64))
first = next(iter(fixed)).numpy()
np.testing.assert_array_equal(
    first, [[1, -1, -1, -1, -1, -1], [2, 2, -1, -1, -1, -1], [3, 3, 3, -1, -1, -1]]
)
assert fixed.element_spec.shape.as_list() == [None, 6]

# Pairs of (sequence, length).
pairs = ds.map(lambda seq: (seq, tf.shape(seq)[0]))
tokens, lengths = next(iter(pairs.padded_batch(5, padded_shapes=([None], []))))
assert tokens.shape == (5, 5)
assert lengths.numpy().tolist() == [1, 2, 3, 4, 5]
