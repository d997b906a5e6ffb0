"""DVariable: layout of the initial value, fixed on assign; training updates."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.experimental import dtensor

U = dtensor.UNSHARDED


@pytest.fixture
def mesh(six_cpus):
    return dtensor.create_mesh([("x", 6)], devices=six_cpus)


def test_dvariable_keeps_layout(mesh):
    layout = dtensor.Layout([U, U], mesh)
    init = dtensor.call_with_layout(tf.ones, layout, shape=(4, 3))
    v = dtensor.DVariable(init)
    assert dtensor.fetch_layout(v) == layout and dtensor.is_dtensor(v)
    b = v + dtensor.call_with_layout(tf.ones, layout, shape=(4, 3))
    assert dtensor.fetch_layout(b) == layout
    np.testing.assert_array_equal(b.numpy(), np.full((4, 3), 2.0))
    v.assign(b)
    np.testing.assert_array_equal(v.numpy(), np.full((4, 3), 2.0))
    other = dtensor.create_mesh([("x", 3), ("y", 2)], devices=[f"CPU:{i}" for i in range(6)])
    wrong = dtensor.call_with_layout(tf.ones, dtensor.Layout([U, U], other), shape=(4, 3))
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot change"):
        v.assign(wrong)
    assert dtensor.fetch_layout(v.read_value()) == layout
    assert "ResourceHandle" in str(v.handle) and "layout=" in str(v.handle)
    plain = dtensor.DVariable(tf.zeros(2))  # not a DTensor: a plain variable, as in TF
    assert not dtensor.is_dtensor(plain)


def test_sharded_training_matches_plain(mesh):
    rng = np.random.default_rng(0)
    x_val = rng.normal(size=(12, 4)).astype("float32")
    y_val = rng.normal(size=(12, 1)).astype("float32")
    w_val = rng.normal(size=(4, 1)).astype("float32")
    x = dtensor.relayout(tf.constant(x_val), dtensor.Layout(["x", U], mesh))
    y = dtensor.relayout(tf.constant(y_val), dtensor.Layout(["x", U], mesh))
    w = dtensor.DVariable(dtensor.relayout(tf.constant(w_val), dtensor.Layout([U, U], mesh)))
    w_plain = tf.Variable(w_val)

    @tf.function
    def step(var, xs, ys):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(xs, var) - ys))
        var.assign_sub(0.1 * tape.gradient(loss, var))
        return loss

    for _ in range(3):
        loss = step(w, x, y)
        plain_loss = step(w_plain, tf.constant(x_val), tf.constant(y_val))
    assert dtensor.fetch_layout(loss).sharding_specs == []
    np.testing.assert_allclose(float(loss.numpy()), float(plain_loss.numpy()), rtol=1e-5)
    np.testing.assert_allclose(w.numpy(), w_plain.numpy(), rtol=1e-5)
    assert dtensor.fetch_layout(w).sharding_specs == [U, U]
    opt = tf.keras.optimizers.SGD(0.1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.matmul(x, w))
    opt.apply_gradients([(tape.gradient(loss, w), w)])
    np.testing.assert_allclose(w.numpy(), w_plain.numpy() - 0.1 * x_val.sum(0)[:, None], rtol=1e-5)


def test_checkpoint_restores_values_and_keeps_layout(mesh, tmp_path, six_cpus):
    layout = dtensor.Layout(["x", U], mesh)
    saved = dtensor.DVariable(dtensor.relayout(tf.reshape(tf.range(12.0), (6, 2)), layout))
    path = tf.train.Checkpoint(w=saved).save(str(tmp_path / "ckpt"))
    grid = dtensor.create_mesh([("a", 3), ("b", 2)], devices=six_cpus)
    other = dtensor.Layout([U, "b"], grid)
    target = dtensor.DVariable(dtensor.call_with_layout(tf.zeros, other, shape=(6, 2)))
    tf.train.Checkpoint(w=target).restore(path).assert_consumed()
    assert dtensor.fetch_layout(target) == other  # restored into its own layout
    np.testing.assert_array_equal(
        dtensor.unpack(target)[1].numpy(), np.arange(1.0, 12.0, 2)[:, None]
    )
