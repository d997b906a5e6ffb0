"""Tensors kept from a trace (in a list, on an attribute) are out of scope once the
function is traced, as TensorFlow 2.21's graph tensors: using one raises a TypeError."""

import numpy as np
import pytest

import gpuflow as tf


def test_a_tensor_appended_to_a_list_while_tracing_cannot_be_used_after():
    kept = []

    @tf.function
    def step(x):
        y = x + 1.0
        kept.append(y)
        kept.append(y * 3.0)
        return y

    out = step(tf.constant(1.0))
    assert float(out) == 2.0
    assert float(out + 1.0) == 3.0  # the returned value is the caller's
    for leaked in kept:
        with pytest.raises(TypeError, match="out of scope"):
            leaked + 1.0
        with pytest.raises(AttributeError, match="out of scope"):
            leaked.numpy()
        assert leaked.shape == () and leaked.dtype == tf.float32
    # the next calls replay the trace and still give right values
    assert float(step(tf.constant(5.0))) == 6.0


def test_a_leaked_tensor_used_in_another_function_raises():
    holder = {}

    @tf.function
    def keep(x):
        holder["t"] = x * 2.0
        return x

    @tf.function
    def use(x):
        return x + holder["t"]

    keep(tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="out of scope"):
        use(tf.constant([1.0, 2.0]))


def test_returned_ragged_and_gradients_are_still_usable():
    w = tf.Variable([1.0, 2.0])

    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * x)
        return tape.gradient(loss, w), tf.RaggedTensor.from_row_lengths(x, [1, 1])

    for value in ([3.0, 4.0], [5.0, 6.0]):
        g, r = grad(tf.constant(value))
        np.testing.assert_allclose(g.numpy(), value)
        assert r.to_list() == [[value[0]], [value[1]]]


def test_concrete_function_outputs_show_the_unknown_sizes():
    @tf.function
    def f(x):
        return {"double": x * 2.0, "total": tf.reduce_sum(x, axis=1)}

    cf = f.get_concrete_function(tf.TensorSpec([None, 3]))
    assert cf.structured_outputs["double"].shape.as_list() == [None, 3]
    assert cf.structured_outputs["total"].shape.as_list() == [None]
    assert [t.shape.as_list() for t in cf.outputs] == [[None, 3], [None]]
    assert cf.graph.outputs is cf.outputs
    assert cf(tf.ones((5, 3)))["double"].shape == (5, 3)
    with pytest.raises(TypeError, match="out of scope"):
        cf.outputs[0] + 1.0
