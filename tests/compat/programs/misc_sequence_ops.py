"""Sequence and 1-D signal ops a tutorial reader meets: reversing padded sequences for a
backward RNN pass, splitting a batch by class with dynamic_partition and putting it back
with dynamic_stitch, counting tokens, and a 1-D convolution / pooling stack with gradients."""

import numpy as np
import tensorflow as tf

# Padded batch of token sequences with their true lengths.
tokens = tf.constant([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [6, 7, 8, 9, 10]])
lengths = tf.constant([3, 2, 5])
backward = tf.reverse_sequence(tokens, lengths, seq_axis=1, batch_axis=0)
assert backward.numpy().tolist() == [[3, 2, 1, 0, 0], [5, 4, 0, 0, 0], [10, 9, 8, 7, 6]]

words, _, counts = tf.unique_with_counts(tf.constant([7, 3, 7, 7, 1, 3]))
assert words.numpy().tolist() == [7, 3, 1] and counts.numpy().tolist() == [3, 2, 1]

# Route examples by label, scale one group, then stitch them back in their original order.
values = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])
labels = tf.constant([0, 1, 0, 1, 1])
groups = tf.dynamic_partition(values, labels, 2)
positions = tf.dynamic_partition(tf.range(5), labels, 2)
merged = tf.dynamic_stitch(positions, [groups[0] * 10.0, groups[1]])
np.testing.assert_allclose(merged.numpy(), [10.0, 2.0, 30.0, 4.0, 5.0])

# A tiny 1-D conv net on a [batch, width, channels] signal.
signal = tf.reshape(tf.range(16.0), [2, 8, 1])
kernel = tf.Variable(tf.constant_initializer([1.0, 0.0, -1.0])(shape=[3, 1, 1]))
with tf.GradientTape() as tape:
    edges = tf.nn.conv1d(signal, kernel, stride=1, padding="VALID")
    pooled = tf.nn.max_pool1d(edges, ksize=2, strides=2, padding="VALID")
    loss = tf.reduce_sum(pooled)
assert edges.shape == (2, 6, 1)
np.testing.assert_allclose(edges.numpy(), -2.0 * np.ones((2, 6, 1)))  # x[i] - x[i+2]
assert pooled.shape == (2, 3, 1)
grad = tape.gradient(loss, kernel)
assert grad.shape == (3, 1, 1)
same = tf.nn.convolution(signal, kernel, padding="SAME")
assert same.shape == (2, 8, 1)
avg = tf.nn.avg_pool1d(signal, ksize=3, strides=3, padding="SAME")
np.testing.assert_allclose(avg.numpy()[0, :, 0], [1.0, 4.0, 6.5])

mean, variance = tf.nn.weighted_moments(
    tf.constant([1.0, 2.0, 3.0]), [0], tf.constant([1.0, 1.0, 2.0])
)
np.testing.assert_allclose([mean.numpy(), variance.numpy()], [2.25, 0.6875], rtol=1e-6)
print("ok")
