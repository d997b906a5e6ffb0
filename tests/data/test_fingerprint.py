"""Dataset.fingerprint and Dataset.load's reader_func."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

D = tf.data.Dataset


def _same(a, b) -> bool:
    return bool(a.fingerprint() == b.fingerprint())


def test_fingerprints_name_what_a_pipeline_computes():
    fp = D.range(3).fingerprint()
    assert fp.dtype == tf.uint64 and fp.shape == ()
    assert _same(D.range(3), D.range(3)) and not _same(D.range(3), D.range(4))
    assert _same(D.range(3).map(lambda x: x + 1), D.range(3).map(lambda x: x + 1))
    assert not _same(D.range(3).map(lambda x: x + 1), D.range(3).map(lambda x: x + 2))
    assert not _same(D.range(3).map(lambda x: x + 1), D.range(3).map(lambda x: x - 1))
    data = np.arange(4.0)
    assert _same(D.from_tensor_slices(data), D.from_tensor_slices(data.copy()))
    assert not _same(D.from_tensor_slices(data), D.from_tensor_slices(data + 1))
    assert _same(D.range(8).shuffle(4, seed=1), D.range(8).shuffle(4, seed=1))
    assert not _same(D.range(8).batch(2), D.range(8).batch(3))
    offset = 5
    shifted = D.range(3).map(lambda x: x + offset)
    offset = 6
    assert not _same(shifted, D.range(3).map(lambda x: x + offset))  # closure values count
    ds = D.range(3).cache()
    before = ds.fingerprint()
    list(ds)  # iterating (filling the cache) does not change it
    assert bool(before == ds.fingerprint())


def test_load_with_reader_func_reads_the_shards_its_way(tmp_path):
    path = str(tmp_path / "saved")
    D.range(6).save(path, shard_func=lambda x: x % 2)
    assert list(D.load(path).as_numpy_iterator()) == [0, 2, 4, 1, 3, 5]
    interleaved = D.load(path, reader_func=lambda shards: shards.interleave(lambda d: d))
    assert list(interleaved.as_numpy_iterator()) == [0, 1, 2, 3, 4, 5]
    first_only = D.load(path, reader_func=lambda shards: shards.take(1).flat_map(lambda d: d))
    assert list(first_only.as_numpy_iterator()) == [0, 2, 4]
    with pytest.raises(TypeError, match="reader_func must return a Dataset"):
        D.load(path, reader_func=lambda shards: 3)


def test_load_with_reader_func_knows_the_saved_cardinality(tmp_path):
    # as TF: the captioning tutorial's tqdm(ds) over a loaded, shuffled, padded_batch dataset
    path = str(tmp_path / "saved")
    D.range(10).map(lambda x: (x, 2 * x)).enumerate().save(path, shard_func=lambda i, x: i % 3)
    loaded = D.load(path, reader_func=lambda s: s.shuffle(3).interleave(lambda d: d, 2))
    assert int(loaded.cardinality()) == 10 and len(loaded) == 10
    batched = loaded.map(lambda i, x: x).shuffle(5).padded_batch(4)
    assert int(batched.cardinality()) == 3 and len(list(batched)) == 3
    assert sorted(int(i) for i, _ in loaded) == list(range(10))
