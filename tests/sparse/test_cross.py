"""tf.sparse.cross / cross_hashed and keras.layers.HashedCrossing. Expected values were
computed by tensorflow-cpu 2.21 (tf.sparse.cross_hashed, keras.layers.HashedCrossing)."""

import numpy as np
import pytest

import gpuflow as tf


def test_cross_joins_features_row_by_row_first_column_slowest():
    r = tf.sparse.cross(
        [tf.constant([["a", "b"], ["c", "d"]]), tf.constant([["x", "y", "z"], ["u", "v", "w"]])]
    )
    assert r.dense_shape.numpy().tolist() == [2, 6]
    assert r.indices.numpy().tolist()[:3] == [[0, 0], [0, 1], [0, 2]]
    assert r.values.numpy().tolist()[:4] == [b"a_X_x", b"a_X_y", b"a_X_z", b"b_X_x"]
    assert r.values.numpy().tolist()[-1] == b"d_X_w"


def test_sparse_inputs_come_first_and_integers_are_their_decimal_text():
    s = tf.sparse.SparseTensor(indices=[[0, 0], [1, 0]], values=["p", "r"], dense_shape=[2, 1])
    r = tf.sparse.cross([tf.constant([[1], [22]], tf.int64), s])
    assert r.values.numpy().tolist() == [b"p_X_1", b"r_X_22"]
    # a row with no sparse value crosses to nothing
    s = tf.sparse.SparseTensor(indices=[[0, 0]], values=["p"], dense_shape=[2, 1])
    r = tf.sparse.cross([s, tf.constant([["x"], ["y"]])])
    assert r.indices.numpy().tolist() == [[0, 0]] and r.dense_shape.numpy().tolist() == [2, 1]


def test_cross_hashed_matches_tensorflow():
    strings = tf.sparse.cross_hashed([tf.constant([["a"], ["b"]]), tf.constant([["x"], ["y"]])])
    assert strings.values.numpy().tolist() == [1484974617627318892, 5470948523078679805]
    assert strings.values.dtype == tf.int64
    mixed = tf.sparse.cross_hashed([tf.constant([[1], [2]], tf.int64), tf.constant([["x"], ["y"]])])
    assert mixed.values.numpy().tolist() == [854275097015501859, 3006502044339696797]
    keyed = tf.sparse.cross_hashed(
        [tf.constant([["a"], ["b"]]), tf.constant([["x"], ["y"]])], num_buckets=10, hash_key=123
    )
    assert keyed.values.numpy().tolist() == [1, 5]


def test_bad_inputs_name_the_op():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="tf.sparse.cross: dense inputs should be a matrix"
    ):
        tf.sparse.cross([tf.constant(["a"]), tf.constant(["b"])])
    with pytest.raises(TypeError, match="tf.sparse.cross_hashed: inputs must be int64 or string"):
        tf.sparse.cross_hashed([tf.constant([[1.5]]), tf.constant([["b"]])])
    with pytest.raises(tf.errors.InvalidArgumentError, match="same batch size"):
        tf.sparse.cross([tf.constant([["a"]]), tf.constant([["b"], ["c"]])])


def test_hashed_crossing_layer_matches_keras():
    layer = tf.keras.layers.HashedCrossing(num_bins=5)
    assert layer((tf.constant(["a", "b"]), tf.constant([1, 2]))).numpy().tolist() == [0, 2]
    assert layer((tf.constant([["a"], ["b"]]), tf.constant([[1], [2]]))).numpy().tolist() == [
        [0],
        [2],
    ]
    hot = tf.keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")
    np.testing.assert_array_equal(
        hot((tf.constant(["a", "b"]), tf.constant([1, 2]))).numpy(),
        [[1, 0, 0, 0, 0], [0, 0, 1, 0, 0]],
    )
    config = layer.get_config()
    assert config["num_bins"] == 5 and config["output_mode"] == "int"
    again = tf.keras.layers.HashedCrossing.from_config(config)
    assert again((tf.constant(["b"]), tf.constant([2]))).numpy().tolist() == [2]


def test_hashed_crossing_in_a_compiled_model():
    a = tf.keras.Input(shape=(), dtype="string")
    b = tf.keras.Input(shape=(), dtype="int64")
    crossed = tf.keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")((a, b))
    model = tf.keras.Model([a, b], tf.keras.layers.Dense(1)(crossed))
    model.compile(optimizer="sgd", loss="mse")
    xs = [np.array(["a", "b", "a", "b"], dtype=object), np.array([1, 2, 2, 1])]
    history = model.fit(xs, np.ones((4, 1), np.float32), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_hashed_crossing_refuses_bad_inputs():
    layer = tf.keras.layers.HashedCrossing(num_bins=3)
    with pytest.raises(ValueError, match="at least two inputs"):
        layer(tf.constant(["a"]))
    with pytest.raises(ValueError, match=r"received shapes \[\(2,\), \(3,\)\]"):
        layer((tf.constant(["a", "b"]), tf.constant([1, 2, 3])))
    with pytest.raises(ValueError, match="integer or string"):
        layer((tf.constant([1.5]), tf.constant([1])))
    with pytest.raises(ValueError, match="num_bins"):
        tf.keras.layers.HashedCrossing(num_bins=0)
