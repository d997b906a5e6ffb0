"""Catching TensorFlow's errors by class: tf.errors.InvalidArgumentError and friends."""

import numpy as np
import tensorflow as tf


def raises(error_class, fn):
    try:
        fn()
    except error_class as e:
        assert isinstance(e, tf.errors.OpError)
        assert isinstance(e.message, str) and e.message
        return e
    raise AssertionError(f"expected {error_class.__name__}")


raises(tf.errors.InvalidArgumentError, lambda: tf.reshape(tf.ones([3]), [2]))
raises(tf.errors.InvalidArgumentError, lambda: tf.matmul(tf.ones([2, 3]), tf.ones([2, 3])))
raises(
    tf.errors.InvalidArgumentError, lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 4])], axis=0)
)
raises(tf.errors.InvalidArgumentError, lambda: tf.reduce_sum(tf.ones([2]), axis=3))
raises(
    tf.errors.InvalidArgumentError,
    lambda: tf.RaggedTensor.from_row_lengths([1, 2, 3], row_lengths=[1, 1]),
)
raises(
    tf.errors.InvalidArgumentError,
    lambda: tf.sparse.to_dense(tf.sparse.SparseTensor([[5, 0]], [1.0], [3, 4])),
)
raises(tf.errors.NotFoundError, lambda: tf.train.load_checkpoint("./no_such_dir/ckpt-1"))

# The base class catches them all.
caught = []
for bad in ([2, 2], [5]):
    try:
        tf.reshape(tf.range(6), bad)
    except tf.errors.OpError as e:
        caught.append(type(e).__name__)
assert caught == ["InvalidArgumentError", "InvalidArgumentError"]

# A user-raised error keeps TensorFlow's constructor and attributes.
err = tf.errors.InvalidArgumentError(None, None, "bad input")
assert err.message == "bad input" and err.node_def is None and err.op is None
assert err.error_code == tf.errors.INVALID_ARGUMENT == 3
assert issubclass(tf.errors.OutOfRangeError, tf.errors.OpError)
assert tf.errors.OutOfRangeError(None, None, "end").error_code == tf.errors.OUT_OF_RANGE


def safe_divide(a, b):
    try:
        return tf.reshape(a, [2, 2]) / b
    except tf.errors.InvalidArgumentError:
        return None


assert safe_divide(tf.ones([3]), 2.0) is None
np.testing.assert_allclose(safe_divide(tf.ones([4]), 2.0).numpy(), np.full((2, 2), 0.5))
