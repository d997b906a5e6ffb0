"""Dataset.save / Dataset.load in gpuflow's own format: round trips of nested elements,
shards, compression, cardinality, no pickles, and the errors for foreign or missing data."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as tf


def test_round_trip_of_nested_elements(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(
        ({"a": np.arange(6.0), "b": np.arange(12).reshape(6, 2)}, np.arange(6) % 2)
    )
    ds.save(tmp_path / "ds")
    back = tf.data.Dataset.load(str(tmp_path / "ds"))
    assert back.element_spec == ds.element_spec
    assert int(back.cardinality()) == 6
    for (d1, y1), (d2, y2) in zip(ds.as_numpy_iterator(), back.as_numpy_iterator()):
        assert d1["a"] == d2["a"] and d1["b"].tolist() == d2["b"].tolist() and y1 == y2
    index = json.loads((tmp_path / "ds" / "gpuflow_dataset.json").read_text())
    assert index["format"] == "gpuflow-dataset" and index["shards"][0]["elements"] == 6
    with np.load(tmp_path / "ds" / "shard-00000.npz", allow_pickle=False) as data:
        assert sorted(data.files)[:3] == ["e0_0", "e0_1", "e0_2"]


def test_shards_compression_and_variable_shapes(tmp_path):
    ds = tf.data.Dataset.range(1, 8).map(lambda n: tf.range(n))  # elements of growing length
    ds.save(tmp_path / "s", compression="GZIP", shard_func=lambda x: tf.size(x) % 3)
    back = tf.data.Dataset.load(tmp_path / "s")
    got = sorted(tuple(x.tolist()) for x in back.as_numpy_iterator())
    assert got == sorted(tuple(range(n)) for n in range(1, 8))
    assert len(list((tmp_path / "s").glob("shard-*.npz"))) == 3


def test_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="no dataset saved by gpuflow"):
        tf.data.Dataset.load(tmp_path / "missing")
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "dataset_spec.pb").write_bytes(b"")
    with pytest.raises(tf.errors.NotFoundError, match="TensorFlow's saved-dataset format"):
        tf.data.Dataset.load(tmp_path / "tf")
    tf.data.Dataset.range(3).save(tmp_path / "r")
    with pytest.raises(ValueError, match="does not match the saved"):
        tf.data.Dataset.load(tmp_path / "r", element_spec=tf.TensorSpec([], tf.float32))
    with pytest.raises(ValueError, match="compression must be None or 'GZIP'"):
        tf.data.Dataset.range(3).save(tmp_path / "z", compression="ZLIB")


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_round_trip_of_strings_ragged_and_sparse(tmp_path, compression):
    words = np.array([b"a\x00", b"", "h\u00e9".encode()], dtype=object)
    ds = tf.data.Dataset.from_tensor_slices(
        {
            "word": words,
            "ids": tf.ragged.constant([[1, 2], [], [3]]),
            "tokens": tf.ragged.constant([[["x"], ["y", "z"]], [], [["w"]]]),
        }
    ).map(lambda d: (d, tf.sparse.from_dense(tf.fill([2], tf.strings.length(d["word"])))))
    ds.save(tmp_path / "ds", compression=compression)
    back = tf.data.Dataset.load(str(tmp_path / "ds"), compression=compression)
    assert back.element_spec == ds.element_spec
    got = list(back)
    assert [d["word"].numpy() for d, _ in got] == list(words)  # NUL and UTF-8 bytes kept
    assert [d["ids"].numpy().tolist() for d, _ in got] == [[1, 2], [], [3]]
    assert isinstance(got[0][0]["tokens"], tf.RaggedTensor)
    assert [d["tokens"].to_list() for d, _ in got] == [[[b"x"], [b"y", b"z"]], [], [[b"w"]]]
    assert isinstance(got[0][1], tf.SparseTensor)
    assert [tf.sparse.to_dense(s).numpy().tolist() for _, s in got] == [[2, 2], [0, 0], [3, 3]]
    with np.load(tmp_path / "ds" / "shard-00000.npz", allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)  # no pickles
