"""tf.data.experimental: pad_to_cardinality, save/load, snapshot, tf.Example readers."""

import numpy as np
import pytest

import gpuflow as tf


def test_pad_to_cardinality_marks_real_and_fake_elements():
    ds = tf.data.Dataset.range(3).map(lambda x: {"x": x, "y": tf.cast(x, tf.float32) * 2})
    padded = ds.apply(tf.data.experimental.pad_to_cardinality(5))
    got = list(padded.as_numpy_iterator())
    assert [bool(e["valid"]) for e in got] == [True, True, True, False, False]
    assert [int(e["x"]) for e in got] == [0, 1, 2, 0, 0]
    assert int(padded.cardinality()) == 5
    with pytest.raises(ValueError, match="more than cardinality=5"):
        tf.data.Dataset.range(6).map(lambda x: {"x": x}).apply(
            tf.data.experimental.pad_to_cardinality(5)
        )
    with pytest.raises(ValueError, match="must be dicts"):
        tf.data.Dataset.range(2).apply(tf.data.experimental.pad_to_cardinality(5))


def test_save_load_and_snapshot_read_back(tmp_path):
    tf.data.experimental.save(tf.data.Dataset.range(4), str(tmp_path / "saved"))
    assert list(tf.data.experimental.load(str(tmp_path / "saved")).as_numpy_iterator()) == [
        0,
        1,
        2,
        3,
    ]
    snap = tf.data.Dataset.range(4).map(_tripled).snapshot(str(tmp_path / "snap"))
    assert list(snap.as_numpy_iterator()) == [0, 3, 6, 9] and len(_CALLS) == 4
    assert any((tmp_path / "snap").iterdir())  # written on the first full pass
    # the same pipeline built again reads the snapshot instead of running its map
    again = tf.data.Dataset.range(4).map(_tripled).snapshot(str(tmp_path / "snap"))
    again.element_spec  # noqa: B018 - the map runs once for the spec
    calls = len(_CALLS)
    assert list(again.as_numpy_iterator()) == [0, 3, 6, 9] and len(_CALLS) == calls
    assert len(list((tmp_path / "snap").iterdir())) == 1
    # another pipeline at the same path gets its own snapshot (a fingerprint directory)
    other = tf.data.Dataset.range(3).snapshot(str(tmp_path / "snap"))
    assert list(other.as_numpy_iterator()) == [0, 1, 2]
    assert len(list((tmp_path / "snap").iterdir())) == 2


_CALLS: list = []


def _tripled(x):
    _CALLS.append(1)
    return x * 3


def _example(i):
    feature = {
        "a": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
        "label": tf.train.Feature(float_list=tf.train.FloatList(value=[i / 2])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def test_batched_features_from_tfrecord_files(tmp_path):
    path = str(tmp_path / "data.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        for i in range(5):
            writer.write(_example(i))
    features = {
        "a": tf.io.FixedLenFeature([], tf.int64),
        "label": tf.io.FixedLenFeature([], tf.float32),
    }
    batches = tf.data.experimental.make_batched_features_dataset(
        path, 2, features, label_key="label", num_epochs=1, shuffle=False
    )
    got = [(x["a"].numpy().tolist(), y.numpy().tolist()) for x, y in batches]
    assert got == [([0, 1], [0.0, 0.5]), ([2, 3], [1.0, 1.5]), ([4], [2.0])]
    parsed = (
        tf.data.TFRecordDataset(path)
        .batch(5)
        .apply(tf.data.experimental.parse_example_dataset(features))
    )
    (element,) = list(parsed)
    np.testing.assert_array_equal(element["a"].numpy(), [0, 1, 2, 3, 4])
    with pytest.raises(ValueError, match="label_key 'y'"):
        tf.data.experimental.make_batched_features_dataset(path, 2, features, label_key="y")
