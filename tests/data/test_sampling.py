"""Dataset.sample_from_datasets and Dataset.choose_from_datasets."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.data import Dataset


def values(ds):
    return [int(v) for v in ds.as_numpy_iterator()]


def test_choose_from_datasets_as_tensorflow():
    a, b = Dataset.range(3), Dataset.range(100, 105)
    choices = Dataset.from_tensor_slices(np.array([0, 1, 1, 0, 0, 0, 1], dtype=np.int64))
    # The values TensorFlow 2.21 gives.
    assert values(Dataset.choose_from_datasets([a, b], choices)) == [0, 100, 101, 1, 2]
    assert values(Dataset.choose_from_datasets([a, b], choices, stop_on_empty_dataset=False)) == [
        0,
        100,
        101,
        1,
        2,
        102,
    ]
    with pytest.raises(TypeError, match="scalar int64"):
        Dataset.choose_from_datasets([a, b], Dataset.from_tensor_slices([0, 1]))
    bad = Dataset.from_tensor_slices(np.array([0, 2], dtype=np.int64))
    with pytest.raises(gf.errors.InvalidArgumentError, match="yielded 2, outside"):
        list(Dataset.choose_from_datasets([a, b], bad))


def test_sample_from_datasets_uses_everything_and_repeats_with_a_seed():
    a, b = Dataset.range(50), Dataset.range(100, 150)
    mixed = Dataset.sample_from_datasets([a, b], weights=[0.3, 0.7], seed=5)
    got = values(mixed)
    assert sorted(got) == list(range(50)) + list(range(100, 150))
    assert got == values(Dataset.sample_from_datasets([a, b], weights=[0.3, 0.7], seed=5))
    assert got[:50] != list(range(50))
    stopped = values(
        Dataset.sample_from_datasets([a.take(2), b], seed=5, stop_on_empty_dataset=True)
    )
    assert len(stopped) < 52
    endless = Dataset.sample_from_datasets([a.repeat(), b.repeat()], seed=1)
    assert int(endless.cardinality()) == gf.data.INFINITE_CARDINALITY
    share = np.mean(np.array(values(endless.take(2000))) >= 100)
    assert 0.4 < share < 0.6


def test_sample_from_datasets_errors_name_the_specs_and_weights():
    with pytest.raises(TypeError, match=r"compatible element specs.*int64.*float32"):
        Dataset.sample_from_datasets([Dataset.range(2), Dataset.from_tensor_slices([1.0])])
    with pytest.raises(ValueError, match="non-negative"):
        Dataset.sample_from_datasets([Dataset.range(2)] * 2, weights=[1.0, -1.0])
