"""tf.Variables passed to a tf.function: as TensorFlow 2.21, variables of one shape and
dtype share a trace (tracing count and the body's print), each call using its own."""

import numpy as np

import gpuflow as tf


def test_variables_of_one_shape_and_dtype_share_a_trace(capsys):
    @tf.function
    def double(v):
        print("tracing")
        return v * 2.0

    a, b = tf.Variable(1.0), tf.Variable(2.0)
    assert float(double(a)) == 2.0
    assert float(double(b)) == 4.0
    assert float(double(a)) == 2.0
    assert double.experimental_get_tracing_count() == 1
    assert capsys.readouterr().out.count("tracing") == 1
    # another shape, another dtype: traces of their own
    np.testing.assert_allclose(double(tf.Variable([1.0, 3.0])).numpy(), [2.0, 6.0])
    assert double.experimental_get_tracing_count() == 2
    assert float(double(tf.Variable(1.5, dtype=tf.float64))) == 3.0
    assert double.experimental_get_tracing_count() == 3


def test_each_variable_passed_is_the_one_updated():
    @tf.function
    def bump(v, step):
        v.assign_add(step)
        return v.read_value()

    a, b = tf.Variable([1.0, 1.0]), tf.Variable([10.0, 10.0])
    bump(a, tf.constant([1.0, 2.0]))
    bump(b, tf.constant([3.0, 4.0]))
    bump(a, tf.constant([1.0, 1.0]))
    np.testing.assert_allclose(a.numpy(), [3.0, 4.0])
    np.testing.assert_allclose(b.numpy(), [13.0, 14.0])
    assert bump.experimental_get_tracing_count() == 1
