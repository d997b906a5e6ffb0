"""A RaggedTensor never passes for a dense tensor; from_sparse needs right-ragged input."""

from __future__ import annotations

import pytest

import gpuflow as tf


def test_ops_on_uniform_rows_still_give_ragged_tensors():
    rt = tf.ragged.constant([[1, 2], [3, 4]])
    outs = (tf.add(rt, 1), tf.math.square(rt), tf.where(rt > 1, rt, 0), tf.cast(rt, tf.int64))
    for out in outs:
        assert isinstance(out, tf.RaggedTensor), type(out)
    assert tf.add(rt, 1).to_list() == [[2, 3], [4, 5]]
    with pytest.raises(ValueError, match="RaggedTensor arguments are not supported"):
        tf.convert_to_tensor(rt)


def test_from_sparse_refuses_gaps_and_other_ranks():
    dense = tf.sparse.from_dense([[0, 1], [2, 0]])  # row 0's entry sits at column 1
    with pytest.raises(tf.errors.InvalidArgumentError, match="not right-ragged"):
        tf.RaggedTensor.from_sparse(dense)
    with pytest.raises(ValueError, match=r"rank\(st_input\) must be 2"):
        tf.RaggedTensor.from_sparse(tf.sparse.SparseTensor([[0, 0, 0]], [1], [1, 1, 1]))
    rt = tf.ragged.constant([[1, 2], [], [3]])
    assert tf.RaggedTensor.from_sparse(rt.to_sparse()).to_list() == [[1, 2], [], [3]]
