"""Ragged token batches into an embedding lookup and per-row averaging (what the Embedding
and GlobalAveragePooling1D layers call for ragged inputs), against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.testing import gradcheck

TOKENS = [[3, 1, 4], [1], [5, 9, 2, 6], [5]]


def test_embedding_lookup_then_mean_matches_numpy(device):
    table = np.random.default_rng(0).normal(size=(10, 4)).astype(np.float32)
    with tf.device(device):
        ids = tf.ragged.constant(TOKENS)
        embedded = tf.ragged.embedding_lookup(tf.constant(table), ids)
        pooled = tf.ragged.mean_over_rows(embedded)
    assert embedded.shape.as_list() == [4, None, 4] and embedded.ragged_rank == 1
    np.testing.assert_array_equal(embedded.row_lengths().numpy(), [3, 1, 4, 1])
    expected = np.stack([table[row].mean(axis=0) for row in TOKENS])
    np.testing.assert_allclose(pooled.numpy(), expected, rtol=1e-6)
    assert pooled.device == device
    # the same through the public reductions
    np.testing.assert_allclose(tf.reduce_mean(embedded, axis=1).numpy(), expected, rtol=1e-6)


def test_embedding_gradcheck(device):
    table = np.random.default_rng(1).normal(size=(10, 3))

    def fn(t):
        ids = tf.ragged.constant(TOKENS)
        return tf.ragged.mean_over_rows(tf.ragged.embedding_lookup(t, ids))

    with tf.device(device):
        assert gradcheck(fn, [table], device=device)


def test_embedding_rejects_out_of_range_ids(device):
    with tf.device(device):
        ids = tf.ragged.constant([[1, 12]])
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match=r"ids must be in \[0, 10\), "
            r"received values in \[1, 12\]",
        ):
            tf.ragged.embedding_lookup(tf.ones([10, 2]), ids)


def test_dense_layer_call_passes_ragged_through_layer_call():
    """Layers receive RaggedTensors unconverted (Layer.__call__ passes composites through)."""

    class RowSum(tf.keras.layers.Layer):
        def call(self, inputs):
            return tf.reduce_sum(inputs, axis=1)

    out = RowSum()(tf.ragged.constant([[1.0, 2.0], [3.0]]))
    np.testing.assert_array_equal(out.numpy(), [3.0, 3.0])


def test_embedding_and_global_average_pooling_layers_take_a_ragged_batch():
    import gpuflow as gf

    ids = gf.ragged.constant([[1, 2, 3], [4], [5, 6]])
    embedding = gf.keras.layers.Embedding(10, 4)
    vectors = embedding(ids)
    assert isinstance(vectors, gf.RaggedTensor) and vectors.shape[0] == 3
    pooled = gf.keras.layers.GlobalAveragePooling1D()(vectors)
    table = embedding.embeddings.numpy()
    expected = np.stack([table[[1, 2, 3]].mean(0), table[4], table[[5, 6]].mean(0)])
    np.testing.assert_allclose(pooled.numpy(), expected, rtol=1e-6)
