"""Ops built with arrays taken from traced tensors (the indices of a gather, the ids of an
Embedding) replay with each call's values; an array derived outside the recorded ops is a
TracingError, never a value frozen at trace time."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph import TracingError

PARAMS = tf.constant(np.arange(12.0).reshape(3, 4))


def test_gather_replays_each_calls_indices():
    f = tf.function(lambda p, i: tf.gather(p, i))
    for ids in ([0, 2], [1, 1], [2, 0]):
        got = f(PARAMS, tf.constant(ids)).numpy()
        np.testing.assert_array_equal(got, PARAMS.numpy()[ids])
    assert f.experimental_get_tracing_count() == 1


def test_gather_nd_replays_each_calls_coordinates():
    f = tf.function(lambda p, i: tf.gather_nd(p, i))
    for coords in ([[0, 1], [2, 3]], [[1, 1], [0, 0]]):
        got = f(PARAMS, tf.constant(coords)).numpy()
        np.testing.assert_array_equal(got, tf.gather_nd(PARAMS, tf.constant(coords)).numpy())
    assert f.experimental_get_tracing_count() == 1


def test_tensor_scatter_nd_replays_each_calls_coordinates_and_gradients():
    # keras.io "MoE for MNIST": expert usage counted with tensor_scatter_nd_add at top_k
    # indices inside a compiled train step
    @tf.function
    def f(base, coords, updates):
        with tf.GradientTape() as tape:
            tape.watch(updates)
            added = tf.tensor_scatter_nd_add(base, coords, updates * 2.0)
            written = tf.tensor_scatter_nd_update(added, coords[:1], updates[:1])
            loss = tf.reduce_sum(written * tf.range(1.0, 5.0))
        return written, tape.gradient(loss, updates)

    base = tf.constant([1.0, 1.0, 1.0, 1.0])
    for coords in ([[0], [2], [2]], [[3], [1], [0]]):
        updates = tf.constant([1.0, 2.0, 3.0])
        got, grad = f(base, tf.constant(coords), updates)
        expected = np.ones(4)
        np.add.at(expected, [c[0] for c in coords], [2.0, 4.0, 6.0])
        expected[coords[0][0]] = 1.0
        np.testing.assert_array_equal(got.numpy(), expected)
        weights = np.arange(1.0, 5.0)[[c[0] for c in coords]] * 2.0
        weights[0] = np.arange(1.0, 5.0)[coords[0][0]]  # written over: only the update
        np.testing.assert_array_equal(grad.numpy(), weights)
    assert f.experimental_get_tracing_count() == 1


def test_gather_gradient_follows_the_replayed_indices():
    table = tf.Variable(np.zeros((4, 2)))

    @tf.function
    def grad(ids):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.gather(table, ids))
        return tape.gradient(loss, table)

    for ids in ([0, 0, 3], [1, 2, 2]):
        expected = np.zeros((4, 2))
        np.add.at(expected, ids, 1.0)
        np.testing.assert_array_equal(grad(tf.constant(ids)).numpy(), expected)


def test_an_index_derived_outside_the_ops_is_an_error():
    from gpuflow.ops.indexing import GetItem

    @tf.function
    def f(p, i):
        column = i._data[:, 0]  # a view of the traced indices, made outside any op
        return GetItem((column,))(p)

    with pytest.raises(TracingError, match="GetItem was built with an array"):
        f(PARAMS, tf.constant([[0, 1], [2, 3]]))


def test_embedding_model_compiled_fit_equals_eager():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 10, size=(64, 5))
    y = rng.integers(0, 2, size=(64,))
    weights = []
    for run_eagerly in (True, False):
        tf.random.set_seed(1)
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Input((5,), dtype="int32"),
                tf.keras.layers.Embedding(10, 4),
                tf.keras.layers.GlobalAveragePooling1D(),
                tf.keras.layers.Dense(2),
            ]
        )
        model.compile(
            "sgd",
            tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            run_eagerly=run_eagerly,
        )
        model.fit(ids, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
        weights.append([w.numpy() for w in model.weights])
    for eager, compiled in zip(*weights):
        np.testing.assert_array_equal(compiled, eager)
