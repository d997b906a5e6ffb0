"""tf.lookup.experimental.MutableHashTable / DenseHashTable: TF's docstring examples and
TensorFlow 2.21's answers for the other cases."""

import numpy as np
import pytest

import gpuflow as tf


def _string_table():
    return tf.lookup.experimental.MutableHashTable(
        key_dtype=tf.string, value_dtype=tf.int64, default_value=-1
    )


def test_insert_lookup_remove_export():
    table = _string_table()
    keys = tf.constant(["a", "b", "c"])
    table.insert(keys, tf.constant([7, 8, 9], dtype=tf.int64))
    assert table.lookup(tf.constant(["a", "f"])).numpy().tolist() == [7, -1]
    assert int(table.size()) == 3
    table.remove(tf.constant(["c"]))
    assert table.lookup(keys).numpy().tolist() == [7, 8, -1]
    exported_keys, exported_values = table.export()
    assert sorted(exported_keys.numpy().tolist()) == [b"a", b"b"]
    assert sorted(exported_values.numpy().tolist()) == [7, 8]
    found = table.lookup(
        tf.constant([["a", "z"]]), dynamic_default_values=tf.constant([[100, 200]], tf.int64)
    )
    assert found.numpy().tolist() == [[7, 200]]
    with pytest.raises(ValueError, match="MutableHashTable.insert: Tensor conversion requested"):
        table.insert(tf.constant([1], tf.int64), tf.constant([1], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected values of shape \\(2,\\)"):
        table.insert(tf.constant(["x", "y"]), tf.constant([1], tf.int64))


def test_vector_values_and_updates_inside_a_function():
    vectors = tf.lookup.experimental.MutableHashTable(
        tf.int64, tf.float32, default_value=[0.0, 0.0]
    )
    vectors.insert(tf.constant([1, 2], tf.int64), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    got = vectors.lookup(tf.constant([2, 5], tf.int64)).numpy()
    np.testing.assert_array_equal(got, [[3.0, 4.0], [0.0, 0.0]])
    table = _string_table()

    @tf.function
    def step(key):
        table.insert(key, tf.constant([42], tf.int64))
        return table.lookup(key)

    assert step(tf.constant(["x"])).numpy().tolist() == [42]
    assert step(tf.constant(["y"])).numpy().tolist() == [42]  # the compiled call inserts too
    assert int(table.size()) == 2


def test_dense_hash_table_refuses_its_marker_keys():
    table = tf.lookup.experimental.DenseHashTable(
        key_dtype=tf.string, value_dtype=tf.int64, default_value=-1, empty_key="", deleted_key="$"
    )
    table.insert(tf.constant(["a", "b", "c"]), tf.constant([0, 1, 2], dtype=tf.int64))
    table.remove(tf.constant(["c"]))
    assert table.lookup(tf.constant(["a", "b", "c", "d"])).numpy().tolist() == [0, 1, -1, -1]
    table.insert_or_assign(tf.constant(["a"]), tf.constant([5], tf.int64))
    table.erase(tf.constant(["b"]))
    assert table.lookup(tf.constant(["a", "b"])).numpy().tolist() == [5, -1]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Using the empty_key"):
        table.insert(tf.constant([""]), tf.constant([5], tf.int64))
    with pytest.raises(ValueError, match="empty_key and deleted_key must differ"):
        tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=0)
