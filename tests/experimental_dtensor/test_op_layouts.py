"""Ops on DTensors: the global values of plain tensors, result layouts by TF's rules."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.experimental import dtensor

U = dtensor.UNSHARDED


@pytest.fixture
def mesh(six_cpus):
    return dtensor.create_mesh([("x", 3), ("y", 2)], devices=six_cpus)


def _d(mesh, specs, value):
    return dtensor.relayout(tf.constant(value), dtensor.Layout(specs, mesh))


def _specs(t):
    return dtensor.fetch_layout(t).sharding_specs


def test_matmul_layouts_as_the_guide(mesh):
    a_val = [[1, 2, 3], [4, 5, 6]]
    b_val = [[6, 5], [4, 3], [2, 1]]
    expected = np.array(a_val) @ np.array(b_val)
    c = tf.matmul(_d(mesh, [U, "x"], a_val), _d(mesh, ["x", U], b_val))
    assert _specs(c) == [U, U]  # the sharded contraction axis is summed over
    np.testing.assert_array_equal(c.numpy(), expected)
    c = tf.matmul(_d(mesh, ["y", "x"], a_val), _d(mesh, ["x", U], b_val))
    assert _specs(c) == ["y", U]  # a's sharded rows carry over
    parts = dtensor.unpack(c)
    np.testing.assert_array_equal(parts[0].numpy(), expected[:1])
    np.testing.assert_array_equal(parts[1].numpy(), expected[1:])
    assert _specs(_d(mesh, ["y", "x"], a_val) @ _d(mesh, ["x", U], b_val)) == ["y", U]


def test_elementwise_and_broadcast_layouts(mesh):
    a = _d(mesh, ["x", U], np.arange(12.0).reshape(6, 2))
    b = _d(mesh, [U, "y"], np.ones((6, 2)))
    s = a + b
    assert _specs(s) == ["x", "y"]
    np.testing.assert_array_equal(
        np.concatenate([dtensor.unpack(s)[i].numpy() for i in (0, 1)], axis=1),
        np.arange(12.0).reshape(6, 2)[:2] + 1,
    )
    assert _specs(a * 2.0 - 1.0) == ["x", U]
    assert _specs(tf.exp(a)) == ["x", U] and _specs(-a) == ["x", U]
    assert _specs(tf.cast(a, tf.int32)) == ["x", U]
    assert _specs(tf.maximum(a, b)) == ["x", "y"]
    row = _d(mesh, ["y"], np.array([1.0, 2.0]))  # float64, as a and b
    assert _specs(a + row) == ["x", "y"]  # broadcast: the row's axis lines up with the last


def test_reduction_transpose_reshape_and_index_layouts(mesh):
    value = np.arange(12.0).reshape(6, 2)
    a = _d(mesh, ["x", U], value)
    total = tf.reduce_sum(a, 0)
    assert _specs(total) == [U]
    np.testing.assert_array_equal(total.numpy(), value.sum(0))
    assert _specs(tf.reduce_sum(a, 1)) == ["x"]
    assert _specs(tf.reduce_mean(a, axis=1, keepdims=True)) == ["x", U]
    assert _specs(tf.reduce_max(a)) == [] and float(tf.reduce_max(a).numpy()) == 11.0
    assert _specs(tf.argmax(a, axis=1)) == ["x"]
    assert _specs(tf.transpose(a)) == [U, "x"]
    assert _specs(tf.reshape(a, [12])) == ["x"]
    assert _specs(a[:, 0]) == ["x"]
    assert _specs(tf.tile(a, [1, 2])) == [U, U]  # other ops: replicated


def test_tf_function_and_gradient_tape(mesh):
    value = np.arange(12.0, dtype=np.float32).reshape(6, 2)
    a = _d(mesh, ["x", U], value)

    @tf.function
    def scaled(t):
        return t * 3.0

    out = scaled(a)
    assert _specs(out) == ["x", U]
    assert scaled(a) is not out and _specs(scaled(a)) == ["x", U]  # second call too
    v = dtensor.DVariable(a)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v * v)
    grad = tape.gradient(loss, v)
    assert dtensor.is_dtensor(grad) and _specs(grad) == ["x", U]
    np.testing.assert_allclose(dtensor.unpack(grad)[2].numpy(), 2 * value[2:4])
    x = dtensor.relayout(tf.constant(value), dtensor.Layout.replicated(mesh, 2))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.square(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 2 * value)


def test_layouts_of_common_training_ops(six_cpus):
    mesh = dtensor.create_mesh([("b", 2), ("f", 3)], devices=six_cpus)
    x = _d(mesh, ["b", "f"], np.arange(24.0).reshape(4, 6))
    xb = _d(mesh, ["b", U], np.arange(24.0).reshape(4, 6))
    labels = _d(mesh, ["b"], [0, 1, 2, 3])
    assert _specs(tf.nn.softmax(x)) == ["b", "f"] and _specs(tf.nn.relu(x)) == ["b", "f"]
    xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=xb)
    assert _specs(xent) == ["b"]
    np.testing.assert_allclose(
        dtensor.unpack(xent)[0].numpy(),
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.constant([0, 1]), logits=tf.constant(np.arange(24.0).reshape(4, 6)[:2])
        ).numpy(),
        rtol=1e-6,
    )
    assert _specs(tf.concat([x, x], 0)) == [U, "f"]
    assert _specs(tf.concat([x, x], axis=1)) == ["b", U]
    assert _specs(tf.one_hot(labels, 6)) == ["b", U]
    assert _specs(tf.expand_dims(x, 0)) == [U, "b", "f"]
    assert _specs(tf.zeros_like(x)) == ["b", "f"]
    wrong = tf.cast(tf.argmax(xb, axis=-1) != tf.cast(labels, tf.int64), tf.float32)
    assert _specs(wrong) == ["b"]
    np.testing.assert_array_equal(tf.reduce_sum(wrong).numpy(), 4.0)  # argmax: 5 in each row


def test_mixing_refusals_as_tensorflow(mesh):
    a = _d(mesh, ["x", U], np.ones((6, 2), np.float32))  # the dtype of tf.ones below
    with pytest.raises(tf.errors.UnimplementedError, match="copy_to_mesh"):
        a + tf.ones((6, 2))  # a plain non-scalar tensor
    with pytest.raises(tf.errors.UnimplementedError, match="regular tensor"):
        tf.matmul(a, tf.ones((2, 2)))
    assert _specs(a + tf.constant(2.0)) == ["x", U]  # scalars are broadcast
    assert _specs(tf.reduce_sum(a, axis=tf.constant([0]))) == [U]  # small int tensors too
    other = dtensor.create_mesh([("z", 6)], devices=[f"CPU:{i}" for i in range(6)])
    b = dtensor.relayout(tf.ones((6, 2)), dtensor.Layout.replicated(other, 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="different meshes"):
        a * b
    # gpuflow's own ops may mix in plain intermediates: batch_normalization runs
    mean, variance = tf.nn.moments(a, axes=[0])
    normed = tf.nn.batch_normalization(a, mean, variance, 0.0, 1.0, 1e-5)
    np.testing.assert_allclose(dtensor.unpack(normed)[0].numpy(), np.zeros((2, 2)), atol=1e-3)
