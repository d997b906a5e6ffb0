# Batch variable-length token sequences with Dataset.ragged_batch: the sequences become a
# RaggedTensor per batch, the fixed-size labels a dense tensor.
import numpy as np
import tensorflow as tf

sentences = [[3, 7], [5], [2, 9, 4, 1], [8, 8, 8], [6]]
labels = [0, 1, 1, 0, 1]


def examples():
    for tokens, label in zip(sentences, labels):
        yield np.array(tokens, dtype=np.int32), label


ds = tf.data.Dataset.from_generator(
    examples,
    output_signature=(
        tf.TensorSpec(shape=(None,), dtype=tf.int32),
        tf.TensorSpec(shape=(), dtype=tf.int32),
    ),
)
batched = ds.ragged_batch(2)
tokens_spec, label_spec = batched.element_spec
assert isinstance(tokens_spec, tf.RaggedTensorSpec)
assert tokens_spec.shape.as_list() == [None, None] and tokens_spec.dtype == tf.int32
assert label_spec.shape.as_list() == [None]

seen = []
for tokens, label in batched:
    assert isinstance(tokens, tf.RaggedTensor)
    seen.append((tokens.to_list(), tokens.row_lengths().numpy().tolist(), label.numpy().tolist()))
assert seen == [
    ([[3, 7], [5]], [2, 1], [0, 1]),
    ([[2, 9, 4, 1], [8, 8, 8]], [4, 3], [1, 0]),
    ([[6]], [1], [1]),
]

# Padded to a dense batch when a model needs one; the last partial batch dropped.
padded = [tokens.to_tensor().numpy() for tokens, _ in ds.ragged_batch(2, drop_remainder=True)]
assert [p.shape for p in padded] == [(2, 2), (2, 4)]
np.testing.assert_array_equal(padded[1], [[2, 9, 4, 1], [8, 8, 8, 0]])

# Rows of a known, equal size batch densely.
dense = tf.data.Dataset.from_tensor_slices(np.ones((5, 3), np.float32)).ragged_batch(2)
assert not isinstance(next(iter(dense)), tf.RaggedTensor)
assert [tuple(b.shape) for b in dense] == [(2, 3), (2, 3), (1, 3)]
