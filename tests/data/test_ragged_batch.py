"""Dataset.ragged_batch: ragged components as RaggedTensors, the others dense."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.data import Dataset

LENGTHS = [2, 0, 3, 1, 4]


def _rows():
    for n in LENGTHS:
        yield np.arange(n, dtype=np.int32), np.int32(n)


def _dataset():
    return Dataset.from_generator(
        _rows, output_signature=(gf.TensorSpec((None,), gf.int32), gf.TensorSpec((), gf.int32))
    )


def test_unknown_dims_become_ragged_rows_and_the_rest_stays_dense(device):
    ds = _dataset().ragged_batch(2)
    tokens_spec, length_spec = ds.element_spec
    assert tokens_spec == gf.RaggedTensorSpec((None, None), gf.int32, 1, gf.int64)
    assert length_spec == gf.TensorSpec((None,), gf.int32)
    with gf.device(device):
        batches = list(ds.prefetch(2))
    assert [b[0].to_list() for b in batches] == [[[0, 1], []], [[0, 1, 2], [0]], [[0, 1, 2, 3]]]
    assert [b[1].numpy().tolist() for b in batches] == [[2, 0], [3, 1], [4]]
    assert {b[0].flat_values.device.short for b in batches} == {device}
    assert all(isinstance(b[1], gf.Tensor) for b in batches)


def test_drop_remainder_and_the_batch_dimension():
    ds = _dataset().ragged_batch(2, drop_remainder=True)
    assert ds.element_spec[0].shape == (2, None)
    assert [b[0].to_list() for b in ds] == [[[0, 1], []], [[0, 1, 2], [0]]]
    assert ds.cardinality().numpy() == gf.data.UNKNOWN_CARDINALITY


def test_known_shapes_batch_densely_and_differing_rows_still_batch():
    dense = Dataset.from_tensor_slices(np.ones((4, 3), np.float32)).ragged_batch(3)
    assert dense.element_spec == gf.TensorSpec((None, 3), gf.float32)
    assert [tuple(b.shape) for b in dense] == [(3, 3), (1, 3)]
    # a mapped spec has the first element's exact shape; rows that differ still go ragged
    mapped = (
        Dataset.from_tensor_slices(np.array(LENGTHS))
        .map(lambda n: gf.ones(gf.stack([n]), gf.int32))
        .ragged_batch(2)
    )
    first = next(iter(mapped))
    assert first.to_list() == [[1, 1], []]


def test_bad_inputs_are_named():
    with pytest.raises(NotImplementedError, match="row_splits_dtype=int32"):
        _dataset().ragged_batch(2, row_splits_dtype=gf.int32)
    any_rank = Dataset.from_generator(
        lambda: (np.zeros((1,) * n, np.float32) for n in (1, 2)),
        output_signature=gf.TensorSpec(None, gf.float32),
    )
    with pytest.raises(ValueError, match="ragged_batch: component 0.*different ranks"):
        list(any_rank.ragged_batch(2))


def test_rows_unknown_in_several_axes_are_ragged_up_to_the_last_unknown_one():
    # TensorFlow's rule: ragged_rank = the last unknown axis (values from TF 2.21)
    rows_2d = Dataset.from_generator(
        lambda: (np.zeros((n, n), np.float32) for n in (1, 2)),
        output_signature=gf.TensorSpec((None, None), gf.float32),
    ).ragged_batch(2)
    assert rows_2d.element_spec == gf.RaggedTensorSpec((None, None, None), gf.float32, 2)
    assert [b.to_list() for b in rows_2d] == [[[[0.0]], [[0.0, 0.0], [0.0, 0.0]]]]
    rows_n3 = Dataset.from_generator(
        lambda: (np.full((n, 3), n, np.float32) for n in (1, 2)),
        output_signature=gf.TensorSpec((None, 3), gf.float32),
    ).ragged_batch(2)
    assert rows_n3.element_spec == gf.RaggedTensorSpec((None, None, 3), gf.float32, 1)
    assert [b.to_list() for b in rows_n3] == [[[[1.0] * 3], [[2.0] * 3, [2.0] * 3]]]


def test_stopping_early_leaves_no_thread():
    before = set(threading.enumerate())
    iterator = iter(_dataset().repeat().ragged_batch(2).prefetch(3))
    next(iterator)
    del iterator
    assert set(threading.enumerate()) <= before
