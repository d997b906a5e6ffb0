"""tf.lookup tables; expected ids from TensorFlow 2.21 (tensorflow-cpu), pasted in."""

import pytest

import gpuflow as tf


def _table():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [1, 2, 3])
    return tf.lookup.StaticHashTable(init, default_value=-1)


def test_key_value_initializer_dtypes():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    assert init.key_dtype == tf.string and init.value_dtype == tf.int32
    ints = tf.lookup.KeyValueTensorInitializer([1, 2], [0.5, 1.5])
    assert ints.key_dtype == tf.int32 and ints.value_dtype == tf.float32
    with pytest.raises(ValueError, match="2 keys but 1 values"):
        tf.lookup.KeyValueTensorInitializer(["a", "b"], [1])


def test_static_hash_table_lookup_size_default_export():
    table = _table()
    out = table.lookup(tf.constant(["a", "z", "c"]))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [1, -1, 3]
    assert table.lookup(tf.ragged.constant([["a"], ["z", "c"]])).to_list() == [[1], [-1, 3]]
    assert table.size().numpy() == 3 and table.size().dtype == tf.int64
    assert table.default_value.numpy() == -1
    assert (table.key_dtype, table.value_dtype) == (tf.string, tf.int32)
    keys, values = table.export()
    assert dict(zip(keys.numpy().tolist(), values.numpy().tolist())) == {
        b"a": 1,
        b"b": 2,
        b"c": 3,
    }
    assert table[tf.constant(["b"])].numpy().tolist() == [2]


def test_static_hash_table_other_dtypes():
    floats = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer([1, 2], [0.5, 1.5]), -1.0
    )
    assert floats.lookup(tf.constant([2, 5])).numpy().tolist() == [1.5, -1.0]
    words = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant([1, 2], tf.int64), ["x", "y"]), "?"
    )
    assert words.lookup(tf.constant([2, 5], tf.int64)).numpy().tolist() == [b"y", b"?"]


def test_static_hash_table_errors():
    with pytest.raises(TypeError, match="`keys` must be string, received int32"):
        _table().lookup(tf.constant([1]))
    with pytest.raises(tf.errors.FailedPreconditionError, match="different values"):
        tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "a"], [1, 2]), -1)
    init = tf.lookup.KeyValueTensorInitializer(["a"], [1])
    with pytest.raises(TypeError, match="default_value 'x'"):
        tf.lookup.StaticHashTable(init, default_value="x")


def test_static_vocabulary_table_oov_buckets_equal_tensorflow():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], tf.constant([0, 1, 2], tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=3)
    ids = table.lookup(tf.constant(["a", "z", "c", "hello", "y"]))
    assert ids.dtype == tf.int64 and ids.numpy().tolist() == [0, 4, 2, 4, 5]  # TF 2.21
    assert table.size().numpy() == 6
    ints = tf.lookup.StaticVocabularyTable(
        tf.lookup.KeyValueTensorInitializer(
            tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)
        ),
        num_oov_buckets=4,
    )
    assert ints.lookup(tf.constant([10, 7, 99, 20], tf.int64)).numpy().tolist() == [0, 2, 4, 1]


def test_static_vocabulary_table_errors():
    with pytest.raises(TypeError, match="expected int64 but got int32"):
        tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(["a"], [5]), 1)
    init = tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([0], tf.int64))
    with pytest.raises(ValueError, match="must be > 0"):
        tf.lookup.StaticVocabularyTable(init, 0)


def test_text_file_initializer(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("x\ny\nz\n")
    init = tf.lookup.TextFileInitializer(
        str(path),
        tf.string,
        tf.lookup.TextFileIndex.WHOLE_LINE,
        tf.int64,
        tf.lookup.TextFileIndex.LINE_NUMBER,
    )
    table = tf.lookup.StaticHashTable(init, -1)
    assert table.lookup(tf.constant(["y", "q"])).numpy().tolist() == [1, -1]
    columns = tmp_path / "pairs.tsv"
    columns.write_text("cat\t7\ndog\t9\n")
    pairs = tf.lookup.TextFileInitializer(str(columns), tf.string, 0, tf.int64, 1)
    assert tf.lookup.StaticHashTable(pairs, 0).lookup(["dog"]).numpy().tolist() == [9]
