"""tape.gradient through tf.gather / embedding_lookup / Embedding is a tf.IndexedSlices
(results checked against TensorFlow 2.21)."""

import numpy as np
import pytest

import gpuflow as tf


def _table():
    return tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3))


def test_gather_gradient_is_indexed_slices_with_the_gathered_rows():
    v = _table()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, tf.constant([0, 2, 0])) * 2.0)
    g = tape.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [0, 2, 0]
    assert g.indices.dtype == tf.int32 and g.dense_shape.dtype == tf.int32
    assert g.dense_shape.numpy().tolist() == [4, 3]
    np.testing.assert_array_equal(g.values.numpy(), np.full((3, 3), 2.0))
    dense = tf.convert_to_tensor(g).numpy()
    np.testing.assert_array_equal(dense, [[4.0] * 3, [0.0] * 3, [2.0] * 3, [0.0] * 3])


def test_int64_ids_give_int64_indices_and_an_int32_dense_shape():
    v = _table()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, tf.constant([[3, 1]], tf.int64)))
    g = tape.gradient(y, v)
    assert g.indices.dtype == tf.int64 and g.dense_shape.dtype == tf.int32
    assert g.values.shape == (2, 3)


def test_two_lookups_of_one_table_concatenate_and_densify_to_the_sum():
    v = _table()
    with tf.GradientTape() as tape:
        a = tf.reduce_sum(tf.nn.embedding_lookup(v, [[1, 3], [1, 1]]))
        y = a + tf.reduce_sum(tf.gather(v, [2]) * 3.0)
    g = tape.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)
    assert sorted(g.indices.numpy().tolist()) == [1, 1, 1, 2, 3]
    np.testing.assert_array_equal(
        tf.convert_to_tensor(g).numpy(), [[0.0] * 3, [3.0] * 3, [3.0] * 3, [1.0] * 3]
    )


@pytest.mark.parametrize(
    "use",
    [
        lambda v: tf.reduce_sum(tf.gather(v, [1])) + tf.reduce_sum(v),  # also read densely
        lambda v: tf.reduce_sum(tf.gather(v, [1, 2], axis=1)),  # not rows
        lambda v: tf.reduce_sum(tf.gather(v * 1.0, [1])),  # not the variable itself
    ],
)
def test_other_uses_give_dense_gradients_as_tensorflow(use):
    v = _table()
    with tf.GradientTape() as tape:
        y = use(v)
    assert isinstance(tape.gradient(y, v), tf.Tensor)


def test_embedding_layer_gradient_and_indexed_slices_operations():
    emb = tf.keras.layers.Embedding(5, 2, embeddings_initializer="ones")
    ids = tf.constant([[0, 1, 1]])
    weights = tf.constant([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(emb(ids) * weights)
    (g,) = tape.gradient(y, emb.trainable_variables)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [0, 1, 1]
    assert tuple(g.shape) == (5, 2) and g.dtype == tf.float32
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy()[1], [8.0, 10.0])
    # what TensorFlow allows on one: negation, tf.cast, adding a tensor (dense), add_n
    assert isinstance(-g, tf.IndexedSlices)
    cast = tf.cast(g, tf.float64)
    assert isinstance(cast, tf.IndexedSlices) and cast.values.dtype == tf.float64
    summed = g + tf.ones((5, 2))
    assert isinstance(summed, tf.Tensor)
    np.testing.assert_array_equal(summed.numpy()[1], [9.0, 11.0])
    np.testing.assert_array_equal(tf.math.add_n([g, g]).numpy()[0], [2.0, 4.0])
    with pytest.raises(TypeError):
        g * 2.0


def test_clipping_keeps_indexed_slices_and_norms_their_values():
    v = _table()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, [1, 1]))
    g = tape.gradient(y, v)
    clipped = tf.clip_by_norm(g, 0.5)
    assert isinstance(clipped, tf.IndexedSlices)
    # TensorFlow's norm is over the values as they are (sqrt(6) here, not the dense sqrt(12))
    np.testing.assert_allclose(clipped.values.numpy(), np.full((2, 3), 0.5 / np.sqrt(6)), rtol=1e-6)
    out, norm = tf.clip_by_global_norm([g, tf.ones(2)], 1.0)
    assert isinstance(out[0], tf.IndexedSlices) and isinstance(out[1], tf.Tensor)
    np.testing.assert_allclose(float(norm), np.sqrt(8.0), rtol=1e-6)
    np.testing.assert_allclose(out[0].values.numpy(), np.full((2, 3), 1 / np.sqrt(8)), rtol=1e-6)


def test_persistent_tape_and_jacobian_still_work():
    v = _table()
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(tf.gather(v, [3]))
    assert isinstance(tape.gradient(y, v), tf.IndexedSlices)
    assert isinstance(tape.gradient(y, v), tf.IndexedSlices)
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        z = tf.gather(x, [2, 0])
    np.testing.assert_array_equal(tape.jacobian(z, x).numpy(), [[0, 0, 1], [1, 0, 0]])
