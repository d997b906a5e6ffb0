"""tf.io.SparseFeature in parse_example / parse_single_example (checked against TF 2.21)."""

import pytest

import gpuflow as tf


def _example(ix, val, ix1=None, name=None):
    feature = {
        "ix": tf.train.Feature(int64_list=tf.train.Int64List(value=ix)),
        "val": tf.train.Feature(float_list=tf.train.FloatList(value=val)),
    }
    if ix1 is not None:
        feature["ix1"] = tf.train.Feature(int64_list=tf.train.Int64List(value=ix1))
    if name is not None:
        feature["name"] = tf.train.Feature(bytes_list=tf.train.BytesList(value=name))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


RECORDS = [
    _example([3, 1], [0.5, 1.5], [0, 2]),
    _example([], [], [], [b"x"]),
    _example([0], [2.0], [1]),
]


def test_sparse_feature_sorted_by_index_after_the_batch_dimension():
    features = {
        "sp": tf.io.SparseFeature("ix", "val", tf.float32, 5),
        "name": tf.io.VarLenFeature(tf.string),
    }
    out = tf.io.parse_example(RECORDS, features)
    assert list(out) == ["name", "sp"]  # index and value keys not asked for are left out
    sp = out["sp"]
    assert sp.indices.numpy().tolist() == [[0, 1], [0, 3], [2, 0]]
    assert sp.values.numpy().tolist() == [1.5, 0.5, 2.0]
    assert sp.dense_shape.numpy().tolist() == [3, 5]
    dense = tf.sparse.to_dense(sp).numpy().tolist()
    assert dense[0] == [0.0, 1.5, 0.0, 0.5, 0.0] and dense[2][0] == 2.0


def test_several_index_keys_and_a_value_key_asked_for_too():
    features = {
        "m": tf.io.SparseFeature(["ix", "ix1"], "val", tf.float32, [5, 3]),
        "val": tf.io.VarLenFeature(tf.float32),
    }
    out = tf.io.parse_example(RECORDS, features)
    assert list(out) == ["val", "m"]
    assert out["m"].indices.numpy().tolist() == [[0, 1, 2], [0, 3, 0], [2, 0, 1]]
    assert out["m"].dense_shape.numpy().tolist() == [3, 5, 3]
    assert out["val"].values.numpy().tolist() == [0.5, 1.5, 2.0]


def test_single_example_already_sorted_keeps_the_order():
    feature = tf.io.SparseFeature("ix", "val", tf.float32, 5, already_sorted=True)
    sp = tf.io.parse_single_example(RECORDS[0], {"sp": feature})["sp"]
    assert sp.indices.numpy().tolist() == [[3], [1]]
    assert sp.values.numpy().tolist() == [0.5, 1.5]
    assert sp.dense_shape.numpy().tolist() == [5]


def test_conflicting_dtypes_and_mismatched_lengths_raise():
    with pytest.raises(ValueError, match="Conflicting type"):
        tf.io.parse_example(
            RECORDS,
            {
                "a": tf.io.SparseFeature("ix", "val", tf.float32, 5),
                "b": tf.io.SparseFeature("val", "ix", tf.int64, 5),
            },
        )
    with pytest.raises(ValueError, match="same lengths"):
        tf.io.parse_example(
            [_example([1, 2], [1.0])], {"sp": tf.io.SparseFeature("ix", "val", tf.float32, 5)}
        )
