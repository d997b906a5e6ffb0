"""tf.* op results a TF 2 user relies on: pooling defaults, gradients of
multiply_no_nan masks, substr slicing, float16 resizing, and the error types of bad
dtypes and shapes."""

import numpy as np
import tensorflow as tf

# tf.nn.pool strides default to 1: a sliding-window average over every position
signal = tf.reshape(tf.range(10, dtype=tf.float32), [1, 5, 2])
smoothed = tf.nn.pool(signal, window_shape=[3], pooling_type="AVG", padding="SAME")
assert smoothed.shape == (1, 5, 2)
np.testing.assert_allclose(
    smoothed.numpy(), tf.nn.avg_pool1d(signal, ksize=3, strides=1, padding="SAME").numpy()
)
np.testing.assert_allclose(smoothed.numpy()[0, :, 0], [1.0, 2.0, 4.0, 6.0, 7.0])
volume = tf.ones([1, 4, 4, 4, 2])
assert tf.nn.pool(volume, [2, 2, 2], "MAX").shape == (1, 3, 3, 3, 2)
assert tf.nn.pool(volume, [2, 2, 2], "MAX", strides=[2, 2, 2]).shape == (1, 2, 2, 2, 2)

# masking with multiply_no_nan: the mask still receives its gradient where it is 0
values = tf.constant([np.inf, 2.0, -3.0], tf.float64)
mask = tf.Variable([0.0, 0.0, 1.0], dtype=tf.float64)
with tf.GradientTape() as tape:
    tape.watch(values)
    masked = tf.math.multiply_no_nan(values, mask)
    total = tf.reduce_sum(masked)
d_values, d_mask = tape.gradient(total, [values, mask])
assert masked.numpy().tolist() == [0.0, 0.0, -3.0]
assert d_values.numpy().tolist() == [0.0, 0.0, 1.0]
assert d_mask.numpy().tolist() == [np.inf, 2.0, -3.0]

# substr: a negative length runs to the end (bytes)
words = tf.constant(["tensor", "flow"])
assert tf.strings.substr(words, 1, -1).numpy().tolist() == [b"ensor", b"low"]
assert tf.strings.substr(words, -3, 2).numpy().tolist() == [b"so", b"lo"]

# bilinear resize of a float16 image is computed (and returned) in float32
image = tf.constant(np.linspace(0.0, 1.0, 16).reshape(1, 4, 4, 1), dtype=tf.float16)
up = tf.image.resize(image, [6, 6])
assert up.dtype == tf.float32
np.testing.assert_array_equal(
    up.numpy(), tf.image.resize(tf.cast(image, tf.float32), [6, 6]).numpy()
)

# multi-hot labels with softmax cross-entropy: the logits gradient is softmax - labels
logits = tf.constant([[2.0, 0.0, -1.0]])
multi_hot = tf.constant([[1.0, 1.0, 0.0]])
with tf.GradientTape() as tape:
    tape.watch(logits)
    xent = tf.nn.softmax_cross_entropy_with_logits(labels=multi_hot, logits=logits)
np.testing.assert_allclose(
    tape.gradient(xent, logits).numpy(), (tf.nn.softmax(logits) - multi_hot).numpy(), rtol=1e-6
)

# arrays stacked with a half-precision tensor take its dtype
half = tf.constant([1.0, 2.0], dtype=tf.float16)
stacked = tf.stack([half, np.array([3.0, 4.0]), [5.0, 6.0]])
assert stacked.dtype == tf.float16 and stacked.shape == (3, 2)
assert tf.concat([tf.constant([1.5]), np.array([2.0])], axis=0).dtype == tf.float32


def raises(error_type, fn):
    try:
        fn()
    except error_type:
        return
    raise AssertionError(f"expected {error_type.__name__}")


# bad dtypes and shapes: TensorFlow's InvalidArgumentError
raises(tf.errors.InvalidArgumentError, lambda: tf.math.atan2(tf.constant([1]), tf.constant([2])))
raises(
    tf.errors.InvalidArgumentError, lambda: tf.math.logical_or(tf.constant([1]), tf.constant([0]))
)
raises(tf.errors.InvalidArgumentError, lambda: tf.add(tf.constant([True]), tf.constant([True])))
raises(tf.errors.InvalidArgumentError, lambda: tf.norm(tf.constant([3, 4])))
raises(tf.errors.InvalidArgumentError, lambda: tf.math.cumsum(tf.constant([True, False])))
raises(tf.errors.InvalidArgumentError, lambda: tf.where(tf.constant([1, 0]), 1.0, 2.0))
raises(tf.errors.InvalidArgumentError, lambda: tf.concat([tf.constant(1.0), tf.constant(2.0)], 0))
raises(tf.errors.InvalidArgumentError, lambda: tf.reduce_any(tf.constant([1, 0])))
raises(
    tf.errors.InvalidArgumentError,
    lambda: tf.nn.conv2d(tf.ones([1, 3, 3, 1], tf.float64), tf.ones([2, 2, 1, 1]), 1, "VALID"),
)
assert tf.math.divide_no_nan(tf.constant([3, 4]), tf.constant([0, 8])).numpy().tolist() == [
    0.0,
    0.5,
]
assert tf.stack([tf.constant(1.0), tf.constant(2.0)]).numpy().tolist() == [1.0, 2.0]

print("ok")
