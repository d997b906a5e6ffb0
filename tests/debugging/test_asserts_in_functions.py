"""tf.debugging value assertions and check_numerics inside tf.function: each compiled call
checks that call's values, as TensorFlow's assert ops do (they raised OperatorNotAllowed
reading the traced values)."""

import numpy as np
import pytest

import gpuflow as tf


def test_asserts_check_every_compiled_call():
    @tf.function
    def step(x):
        tf.debugging.assert_equal(x, x)
        tf.debugging.assert_less(x, 10.0, message="too big")
        tf.debugging.assert_non_negative(x)
        return tf.debugging.check_numerics(x * 2, "bad") + 1

    assert step(tf.constant([1.0, 2.0])).numpy().tolist() == [3.0, 5.0]
    assert step(tf.constant([3.0, 4.0])).numpy().tolist() == [7.0, 9.0]  # a replayed call
    with pytest.raises(tf.errors.InvalidArgumentError, match="assert_less: too big"):
        step(tf.constant([1.0, 20.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="assert_non_negative"):
        step(tf.constant([-1.0, 2.0]))

    @tf.function
    def doubled(x):
        return tf.debugging.check_numerics(x * 2, "bad")

    assert doubled(tf.constant([1.0])).numpy().tolist() == [2.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="check_numerics: bad: tensor had"):
        doubled(tf.constant([3e38, 1.0]))  # finite input, x * 2 overflows


def test_assert_all_finite_docstring_example():
    @tf.function
    def f(x):
        x = tf.debugging.assert_all_finite(x, "x must be finite")
        return x

    with pytest.raises(tf.errors.InvalidArgumentError, match="x must be finite"):
        f(tf.constant([np.inf, 1, 2]))
    assert f(tf.constant([1.0, 2.0])).numpy().tolist() == [1.0, 2.0]
