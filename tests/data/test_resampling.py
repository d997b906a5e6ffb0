"""Dataset.rejection_resample: (class, element) pairs whose classes follow the target
distribution, with a given or an estimated initial distribution; determinism by seed;
argument errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def _imbalanced(n=2000, share=0.1, seed=0):
    labels = (np.random.default_rng(seed).random(n) < share).astype(np.int64)
    return tf.data.Dataset.from_tensor_slices((np.arange(float(n)), labels)), labels


@pytest.mark.parametrize("initial", [[0.9, 0.1], None])
def test_classes_follow_the_target(initial):
    ds, _ = _imbalanced()
    resampled = ds.rejection_resample(
        lambda x, y: y, target_dist=[0.5, 0.5], initial_dist=initial, seed=3
    )
    pairs = list(resampled.as_numpy_iterator())
    classes = np.array([c for c, _ in pairs])
    assert len(pairs) > 150 and abs(classes.mean() - 0.5) < 0.08
    assert all(c == element[1] for c, element in pairs)  # the pair holds the element's class
    spec = resampled.element_spec
    assert spec[0] == tf.TensorSpec((), tf.int64) and len(spec[1]) == 2


def test_same_seed_same_elements_and_no_rejection_when_target_is_initial():
    ds, labels = _imbalanced()
    run = lambda: [  # noqa: E731
        float(e[0])
        for _, e in ds.rejection_resample(
            lambda x, y: y, [0.5, 0.5], [0.9, 0.1], seed=5
        ).as_numpy_iterator()
    ]
    assert run() == run()
    same = ds.rejection_resample(lambda x, y: y, [0.9, 0.1], [0.9, 0.1], seed=1)
    assert len(list(same.as_numpy_iterator())) == len(labels)  # m = 1: the original stream


def test_errors():
    ds, _ = _imbalanced(50)
    with pytest.raises(ValueError, match="target_dist must be a non-empty 1-D list"):
        ds.rejection_resample(lambda x, y: y, target_dist=[[0.5, 0.5]])
    with pytest.raises(ValueError, match="need one length"):
        ds.rejection_resample(lambda x, y: y, [0.5, 0.5], initial_dist=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="outside \\[0, 2\\)"):
        list(ds.rejection_resample(lambda x, y: y + 5, [0.5, 0.5], seed=1))
