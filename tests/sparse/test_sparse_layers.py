"""SparseTensor into a Dense layer (never densified) and take_rows for batching."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def _features(device):
    idx = np.array([[0, 1], [0, 4], [1, 3], [2, 0], [3, 2], [3, 4]])
    vals = np.array([1.0, 2.0, -1.0, 0.5, 3.0, 1.5], np.float32)
    with tf.device(device):
        return tf.SparseTensor(idx, vals, [4, 5]), idx, vals


def test_dense_layer_on_sparse_matches_dense_input(device):
    st, _, _ = _features(device)
    with tf.device(device):
        layer = tf.keras.layers.Dense(3, activation="relu")
        out = layer(st)
    dense = tf.sparse.to_dense(st).numpy()
    expected = np.maximum(dense @ layer.kernel.numpy() + layer.bias.numpy(), 0)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert out.device == device and layer.kernel.shape == (5, 3)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(st) ** 2)
    grads = tape.gradient(loss, layer.trainable_variables)
    with tf.GradientTape() as tape:
        reference = tf.reduce_sum(layer(tf.constant(dense, device=device)) ** 2)
    for g, r in zip(grads, tape.gradient(reference, layer.trainable_variables)):
        np.testing.assert_allclose(g.numpy(), r.numpy(), rtol=1e-5, atol=1e-6)


def test_linear_model_trains_on_sparse_batches(device):
    rng = np.random.default_rng(0)
    dense = (rng.random((32, 10)) < 0.2) * rng.normal(size=(32, 10))
    true_w = rng.normal(size=(10, 1))
    y = (dense @ true_w).astype(np.float32)
    with tf.device(device):
        st = tf.sparse.from_dense(tf.constant(dense.astype(np.float32)))
        layer = tf.keras.layers.Dense(1)
        opt = tf.keras.optimizers.SGD(0.1)
        losses = []
        for epoch in range(60):
            for start in range(0, 32, 8):
                batch = tf.sparse.take_rows(st, slice(start, start + 8))
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean((layer(batch) - y[start : start + 8]) ** 2)
                opt.apply_gradients(
                    zip(tape.gradient(loss, layer.trainable_variables), layer.trainable_variables)
                )
            losses.append(float(loss))
    assert losses[-1] < 0.05 * losses[0]


def test_take_rows(device):
    st, _, _ = _features(device)
    dense = tf.sparse.to_dense(st).numpy()
    for rows in ([2, 0, 2], np.array([3, 1]), slice(1, 3), []):
        picked = tf.sparse.take_rows(st, rows)
        expected = dense[rows] if not isinstance(rows, list) or rows else dense[:0]
        np.testing.assert_array_equal(tf.sparse.to_dense(picked).numpy(), expected)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices in \[0, 4\)"):
        tf.sparse.take_rows(st, [4])
