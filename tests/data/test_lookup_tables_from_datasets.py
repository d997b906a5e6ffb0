"""tf.data.experimental.DatasetInitializer / table_from_dataset / index_table_from_dataset:
TF's docstring examples and TensorFlow 2.21's answers (OOV buckets included)."""

import pytest

import gpuflow as tf


def _pairs():
    keys = tf.data.Dataset.range(100)
    values = tf.data.Dataset.range(100).map(lambda x: tf.strings.as_string(x * 2))
    return tf.data.Dataset.zip((keys, values))


def test_dataset_initializer_and_table_from_dataset():
    table = tf.lookup.StaticHashTable(tf.data.experimental.DatasetInitializer(_pairs()), "")
    looked_up = table.lookup(tf.constant([0, 1, 2, 500], dtype=tf.int64))
    assert looked_up.numpy().tolist() == [b"0", b"2", b"4", b""]
    table = tf.data.experimental.table_from_dataset(
        _pairs(), default_value="n/a", key_dtype=tf.int64
    )
    looked_up = table.lookup(tf.constant([0, 1, 2, 500], dtype=tf.int64))
    assert looked_up.numpy().tolist() == [b"0", b"2", b"4", b"n/a"]
    with pytest.raises(ValueError, match="default_value` argument must be specified"):
        tf.data.experimental.table_from_dataset(_pairs())
    with pytest.raises(ValueError, match="DatasetInitializer: the dataset must produce"):
        tf.data.experimental.DatasetInitializer(tf.data.Dataset.range(3))


def test_index_table_from_dataset_with_and_without_oov_buckets():
    keys = tf.data.Dataset.range(100).map(lambda x: tf.strings.as_string(x * 2))
    table = tf.data.experimental.index_table_from_dataset(keys)
    assert table.lookup(tf.constant(["0", "2", "4", "zz"])).numpy().tolist() == [0, 1, 2, -1]
    table = tf.data.experimental.index_table_from_dataset(keys, num_oov_buckets=3, vocab_size=10)
    assert table.lookup(tf.constant(["0", "2", "18", "20", "zz"])).numpy().tolist() == [
        0,
        1,
        9,
        12,
        11,
    ]
    assert int(table.size()) == 13
