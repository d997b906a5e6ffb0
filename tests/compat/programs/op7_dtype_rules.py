"""TensorFlow's dtype rules: first operands of tf.add/tf.matmul, mixed-dtype stack/concat,
bool arithmetic, linspace of small integers, sigmoid cross-entropy label dtypes."""

import numpy as np
import tensorflow as tf

weights = tf.constant([[0.5], [2.0]])
row = tf.constant([1.5, -1.0])


def raises(fn):
    try:
        fn()
    except (tf.errors.InvalidArgumentError, TypeError):
        return True
    return False


# tf.add / tf.matmul turn a non-tensor first operand into a tensor of its own dtype
assert raises(lambda: tf.add(3, row))
assert raises(lambda: tf.add(np.array([1, 2]), row))
assert raises(lambda: tf.matmul(np.ones((1, 2)), weights))
assert tf.add(row, 3).numpy().tolist() == [4.5, 2.0]
assert (3 + row).numpy().tolist() == [4.5, 2.0]
assert tf.matmul(np.ones((1, 2), np.float32), weights).numpy().tolist() == [[2.5]]
assert tf.matmul([[1.0, 1.0]], weights).dtype == tf.float32

# stacking or joining tensors of two dtypes needs an explicit cast
ints = tf.constant([4, 5])
assert raises(lambda: tf.stack([row, ints]))
assert raises(lambda: tf.concat([row, ints], axis=0))
joined = tf.concat([row, tf.cast(ints, tf.float32)], axis=0)
assert joined.dtype == tf.float32 and joined.numpy().tolist() == [1.5, -1.0, 4.0, 5.0]
assert tf.stack([row, [7, 8]]).dtype == tf.float32

# bools: no sums or additions, but * works as a logical and
flags = tf.constant([True, False, True])
assert raises(lambda: flags + 1)
assert raises(lambda: tf.reduce_sum(flags))
both = flags * tf.constant([True, True, False])
assert both.dtype == tf.bool and both.numpy().tolist() == [True, False, False]
assert int(tf.reduce_sum(tf.cast(flags, tf.int32))) == 2

# linspace between small integers is float32, between int32 float64
small = tf.linspace(tf.constant(0, tf.int8), tf.constant(6, tf.int8), 4)
assert small.dtype == tf.float32 and small.numpy().tolist() == [0.0, 2.0, 4.0, 6.0]
assert tf.linspace(tf.constant(0), tf.constant(6), 4).dtype == tf.float64

# linspace between tensors is differentiable
ends = tf.Variable([1.0, 4.0])
with tf.GradientTape() as tape:
    total = tf.reduce_sum(tf.linspace(ends[0], ends[1], 4))
np.testing.assert_allclose(tape.gradient(total, ends).numpy(), [2.0, 2.0], rtol=1e-5)

# sigmoid cross-entropy wants labels of the logits' dtype
logits = tf.constant([0.0, 2.0])
assert raises(
    lambda: tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([1, 0]), logits=logits)
)
loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([1.0, 0.0]), logits=logits)
np.testing.assert_allclose(loss.numpy(), [np.log(2.0), 2.0 + np.log1p(np.exp(-2.0))], rtol=1e-5)

# tf.strings.join broadcasts scalars, not length-1 lists
assert tf.strings.join([["x", "y"], "!"]).numpy().tolist() == [b"x!", b"y!"]
assert raises(lambda: tf.strings.join([["x", "y"], ["!"]]))

print("op7_dtype_rules: ok")
