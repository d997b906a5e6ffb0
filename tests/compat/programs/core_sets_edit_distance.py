# Word error rates with tf.edit_distance, tag overlap with tf.sets, string keys with
# tf.as_string / tf.fingerprint, and a dilated convolution through tf.space_to_batch_nd.
import numpy as np
import tensorflow as tf

# --- word error rate between hypotheses and references, as SparseTensors of words
refs = [["the", "cat", "sat"], ["a", "dog"], ["hello"]]
hyps = [["the", "cat", "sat", "down"], ["a", "log"], []]


def to_sparse(sentences):
    indices = [[i, 0, j] for i, words in enumerate(sentences) for j in range(len(words))]
    values = [w for words in sentences for w in words]
    width = max(len(words) for words in sentences)
    return tf.SparseTensor(
        indices=tf.constant(indices, tf.int64) if indices else tf.zeros([0, 3], tf.int64),
        values=tf.constant(values, tf.string),
        dense_shape=[len(sentences), 1, max(width, 1)],
    )


wer = tf.edit_distance(to_sparse(hyps), to_sparse(refs))
assert wer.dtype == tf.float32 and wer.shape == (3, 1)
np.testing.assert_allclose(wer.numpy()[:, 0], [1 / 3, 1 / 2, 1.0])
raw = tf.edit_distance(to_sparse(hyps), to_sparse(refs), normalize=False)
assert raw.numpy()[:, 0].tolist() == [1.0, 1.0, 1.0]

# --- tags shared by two sets of documents
tags_a = tf.constant([[1, 4, 7, 7], [2, 3, 5, 8]])
tags_b = tf.constant([[7, 1, 9, 9], [8, 8, 0, 6]])
common = tf.sets.intersection(tags_a, tags_b)
assert isinstance(common, tf.SparseTensor)
assert tf.sparse.to_dense(common).numpy().tolist() == [[1, 7], [8, 0]]
assert tf.sets.size(common).numpy().tolist() == [2, 1]
only_a = tf.sets.difference(tags_a, tags_b)
assert tf.sparse.to_dense(only_a, default_value=-1).numpy().tolist() == [[4, -1, -1], [2, 3, 5]]
union = tf.sets.union(tags_a, tags_b)
assert union.dense_shape.numpy().tolist() == [2, 6]
jaccard = tf.cast(tf.sets.size(common), tf.float32) / tf.cast(tf.sets.size(union), tf.float32)
np.testing.assert_allclose(jaccard.numpy(), [2 / 4, 1 / 6])

# --- string keys for hashing buckets
ids = tf.constant([3, 14, 159])
keys = tf.strings.join(["user_", tf.as_string(ids, width=4, fill="0")])
assert keys.numpy().tolist() == [b"user_0003", b"user_0014", b"user_0159"]
prints = tf.fingerprint(keys)
assert prints.dtype == tf.uint8 and prints.shape == (3, 8)
assert prints.numpy().tolist()[0] == tf.fingerprint(tf.constant(["user_0003"])).numpy().tolist()[0]
assert len({tuple(row) for row in prints.numpy().tolist()}) == 3
assert tf.as_string(tf.constant([0.5, 2.0]), precision=2).numpy().tolist() == [b"0.50", b"2.00"]
bits = tf.bitcast(tf.constant([1.0], tf.float32), tf.uint8)
assert bits.numpy().tolist() == [[0, 0, 128, 63]]

# --- a dilated 3x3 convolution by hand: space_to_batch, conv2d, batch_to_space
images = tf.constant(np.random.default_rng(0).normal(size=(2, 8, 8, 3)), tf.float32)
kernel = tf.constant(np.random.default_rng(1).normal(size=(3, 3, 3, 4)), tf.float32)
rate = 2
paddings, crops = tf.required_space_to_batch_paddings([8, 8], [rate, rate], [[2, 2], [2, 2]])
blocks = tf.space_to_batch_nd(images, [rate, rate], paddings)
out = tf.nn.conv2d(blocks, kernel, strides=1, padding="VALID")
out = tf.batch_to_space(out, [rate, rate], crops)
direct = tf.nn.atrous_conv2d(images, kernel, rate, "SAME")
np.testing.assert_allclose(out.numpy(), direct.numpy(), atol=1e-4)
reference = tf.nn.convolution(images, kernel, padding="SAME", dilations=rate)
np.testing.assert_allclose(direct.numpy(), reference.numpy(), atol=1e-4)
print("ok")
