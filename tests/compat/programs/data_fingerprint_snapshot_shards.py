"""tf.data: Dataset.fingerprint names a pipeline; snapshot keeps one snapshot per
pipeline under its directory; save with shard_func and load with reader_func."""

import os

import numpy as np
import tensorflow as tf

D = tf.data.Dataset


def same(a, b):
    return bool(a.fingerprint() == b.fingerprint())


# -- fingerprints ------------------------------------------------------------------------------
fp = D.range(5).fingerprint()
assert fp.dtype == tf.uint64 and fp.shape == ()
assert same(D.range(5), D.range(5))
assert not same(D.range(5), D.range(6))
assert same(D.range(5).map(lambda x: x * 2), D.range(5).map(lambda x: x * 2))
assert not same(D.range(5).map(lambda x: x * 2), D.range(5).map(lambda x: x * 3))
values = np.array([1.5, 2.5, 3.5], np.float32)
assert same(D.from_tensor_slices(values), D.from_tensor_slices(values.copy()))
assert not same(D.from_tensor_slices(values), D.from_tensor_slices(values + 1))
assert same(D.range(9).shuffle(4, seed=3).batch(2), D.range(9).shuffle(4, seed=3).batch(2))
assert not same(D.range(9).batch(2), D.range(9).batch(3))

# -- snapshot: one directory per pipeline ------------------------------------------------------
snap_dir = os.path.join(os.getcwd(), "snapshots")
squares = D.range(4).map(lambda x: x * x).snapshot(snap_dir)
assert list(squares.as_numpy_iterator()) == [0, 1, 4, 9]
assert list(squares.as_numpy_iterator()) == [0, 1, 4, 9]  # read back on the second pass
cubes = D.range(4).map(lambda x: x * x * x).snapshot(snap_dir)
assert list(cubes.as_numpy_iterator()) == [0, 1, 8, 27]  # not the squares' snapshot
again = D.range(4).map(lambda x: x * x).snapshot(snap_dir)
assert list(again.as_numpy_iterator()) == [0, 1, 4, 9]
assert len(os.listdir(snap_dir)) == 2, os.listdir(snap_dir)

# -- save with shards, load with a reader_func ---------------------------------------------------
saved = os.path.join(os.getcwd(), "saved")
source = D.range(6).map(lambda x: {"id": x, "score": tf.cast(x, tf.float32) / 2})
source.save(saved, shard_func=lambda element: element["id"] % 3)
loaded = D.load(saved)
assert loaded.element_spec["id"].dtype == tf.int64
assert sorted(int(e["id"]) for e in loaded.as_numpy_iterator()) == list(range(6))
# a reader_func gets a dataset of the shards' datasets: here read them one after another
sequential = D.load(saved, reader_func=lambda shards: shards.flat_map(lambda shard: shard))
ids = [int(e["id"]) for e in sequential.as_numpy_iterator()]
assert sorted(ids) == list(range(6))
for start in range(0, 6, 2):  # each shard's two elements come out together, in order
    pair = ids[start : start + 2]
    assert pair[0] % 3 == pair[1] % 3 and pair[0] < pair[1], ids
one_shard = D.load(saved, reader_func=lambda shards: shards.take(1).flat_map(lambda s: s))
assert len([e for e in one_shard.as_numpy_iterator()]) == 2

zipped = os.path.join(os.getcwd(), "zipped")
D.from_tensor_slices(values).save(zipped, compression="GZIP")
back = D.load(zipped, compression="GZIP")
np.testing.assert_allclose(list(back.as_numpy_iterator()), values)

print("data_fingerprint_snapshot_shards OK")
