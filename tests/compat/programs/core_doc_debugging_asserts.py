# tf.debugging assertions inside tf.function, as TF's assert_all_finite docstring uses them:
# every compiled call checks its own values and raises InvalidArgumentError when one fails.
import numpy as np
import tensorflow as tf


@tf.function
def f(x):
    x = tf.debugging.assert_all_finite(x, "x must be finite")
    return x


try:
    f(tf.constant([np.inf, 1, 2]))
    raise AssertionError("assert_all_finite let inf through")
except tf.errors.InvalidArgumentError:
    pass
assert f(tf.constant([1.0, 2.0])).numpy().tolist() == [1.0, 2.0]


@tf.function
def step(x):
    tf.debugging.assert_equal(tf.shape(x)[0], 2)
    tf.debugging.assert_less(x, 10.0, message="too big")
    tf.debugging.assert_non_negative(x)
    return x + 1


assert step(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 3.0]
assert step(tf.constant([3.0, 4.0])).numpy().tolist() == [4.0, 5.0]
for bad in ([1.0, 20.0], [-1.0, 2.0]):
    try:
        step(tf.constant(bad))
        raise AssertionError(f"no assertion failed for {bad}")
    except tf.errors.InvalidArgumentError:
        pass


@tf.function
def doubled(x):
    return tf.debugging.check_numerics(x * 2, "overflow")


assert doubled(tf.constant([1.0])).numpy().tolist() == [2.0]
try:
    doubled(tf.constant([3e38, 1.0]))
    raise AssertionError("check_numerics let inf through")
except tf.errors.InvalidArgumentError:
    pass
print("ok")
