"""A concrete function asked for with unknown sizes takes every shape that fits, as in
TensorFlow; its graph lists its operations."""

import numpy as np
import pytest

import gpuflow as tf


def test_a_concrete_function_for_none_sizes_takes_any_length():
    @tf.function
    def f(x):
        return x**2

    cf = f.get_concrete_function(tf.TensorSpec(shape=[None], dtype=tf.float32))
    assert "shape=(None,)" in cf.pretty_printed_signature()
    np.testing.assert_allclose(cf(tf.constant([1.0, 2.0])).numpy(), [1.0, 4.0])
    np.testing.assert_allclose(cf(tf.constant([3.0, 1.0, 2.0])).numpy(), [9.0, 1.0, 4.0])
    with pytest.raises(TypeError, match="do not match the traced signature"):
        cf(tf.constant([[1.0]]))  # another rank
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor"):
        cf(tf.constant([1, 2]))  # another dtype: TensorFlow's error


def test_a_concrete_function_for_fixed_shapes_refuses_others():
    f = tf.function(lambda x: x + 1)
    cf = f.get_concrete_function(tf.TensorSpec(shape=[2], dtype=tf.float32))
    with pytest.raises(TypeError, match="do not match the traced signature"):
        cf(tf.constant([1.0, 2.0, 3.0]))


def test_graph_get_operations_names_and_types():
    @tf.function
    def f(x, w):
        return tf.nn.relu(tf.matmul(x, w)) + tf.matmul(x, w)

    graph = f.get_concrete_function(tf.ones([2, 3]), tf.ones([3, 4])).graph
    ops = graph.get_operations()
    assert [op.type for op in ops[:2]] == ["Placeholder", "Placeholder"]
    types = [op.type for op in ops[2:]]
    assert types.count("MatMul") == 2 and "Relu" in types
    names = [op.name for op in ops]
    assert len(set(names)) == len(names) and "MatMul_1" in names
