"""tf.train.Checkpoint(iterator=iter(ds)): the iterator's position is saved and restored."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import FailedPreconditionError, InvalidArgumentError


def _take(iterator, n):
    return [np.asarray(next(iterator)).tolist() for _ in range(n)]


def test_range_iterator_resumes_after_the_saved_element(tmp_path):
    it = iter(gf.data.Dataset.range(20))
    ckpt = gf.train.Checkpoint(step=gf.Variable(0), iterator=it)
    assert _take(it, 5) == [0, 1, 2, 3, 4]
    path = ckpt.save(str(tmp_path / "ckpt"))
    assert _take(it, 5) == [5, 6, 7, 8, 9]
    ckpt.restore(path)
    assert _take(it, 5) == [5, 6, 7, 8, 9]


def _pipeline():
    return gf.data.Dataset.range(60).shuffle(16).map(lambda x: x * 3).batch(5).repeat(3).prefetch(2)


def test_unseeded_shuffle_repeat_and_prefetch_continue_exactly(tmp_path):
    it = iter(_pipeline())
    ckpt = gf.train.Checkpoint(iterator=it)
    _take(it, 14)  # into the second epoch (12 batches per epoch)
    path = ckpt.write(str(tmp_path / "c"))
    expected = _take(it, 20)  # through the third epoch's reshuffle
    ckpt.read(path)
    assert _take(it, 20) == expected
    # a new pipeline object (new unseeded shuffle seed, as in a restarted program)
    fresh = iter(_pipeline())
    gf.train.Checkpoint(iterator=fresh).read(path)
    assert _take(fresh, 20) == expected


def test_random_dataset_and_sampling_restore(tmp_path):
    def make():
        a = gf.data.Dataset.range(0, 100)
        b = gf.data.Dataset.range(100, 200)
        mixed = gf.data.Dataset.sample_from_datasets([a, b], weights=[0.5, 0.5])
        return gf.data.Dataset.zip((mixed, gf.data.Dataset.random()))

    it = iter(make())
    ckpt = gf.train.Checkpoint(iterator=it)
    _take(it, 7)
    path = ckpt.write(str(tmp_path / "c"))
    expected = _take(it, 10)
    fresh = iter(make())
    gf.train.Checkpoint(iterator=fresh).read(path)
    assert _take(fresh, 10) == expected


def test_from_generator_iterator_cannot_be_saved(tmp_path):
    def gen():
        yield from range(5)

    ds = gf.data.Dataset.from_generator(gen, output_signature=gf.TensorSpec((), gf.int64))
    it = iter(ds)
    next(it)
    with pytest.raises(FailedPreconditionError, match="from_generator"):
        gf.train.Checkpoint(iterator=it).save(str(tmp_path / "c"))


def test_restoring_into_a_shorter_dataset_says_so(tmp_path):
    it = iter(gf.data.Dataset.range(10))
    _take(it, 6)
    path = gf.train.Checkpoint(iterator=it).write(str(tmp_path / "c"))
    short = iter(gf.data.Dataset.range(3))
    with pytest.raises(InvalidArgumentError, match="produced 6 elements.*ends after 3"):
        gf.train.Checkpoint(iterator=short).read(path)


def test_checkpoint_manager_restores_the_latest_iterator_position(tmp_path):
    it = iter(gf.data.Dataset.range(30).batch(2))
    ckpt = gf.train.Checkpoint(iterator=it)
    manager = gf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    _take(it, 3)
    manager.save()
    _take(it, 4)
    manager.save()
    expected = _take(it, 2)
    ckpt.restore(manager.latest_checkpoint)
    assert _take(it, 2) == expected
