"""Unary ops that keep zeros zero take SparseTensors, as TensorFlow dispatches them."""

from __future__ import annotations

import pytest

import gpuflow as tf


def test_zero_preserving_unary_ops_return_sparse_tensors():
    st = tf.sparse.SparseTensor([[0, 0], [1, 2]], [-4.0, 9.0], [2, 3])
    out = tf.math.abs(st)
    assert isinstance(out, tf.sparse.SparseTensor)
    assert out.values.numpy().tolist() == [4.0, 9.0]
    assert out.indices.numpy().tolist() == [[0, 0], [1, 2]]
    assert tf.math.sqrt(out).values.numpy().tolist() == [2.0, 3.0]
    assert tf.math.negative(st).values.numpy().tolist() == [4.0, -9.0]
    cast = tf.cast(st, tf.int32)
    assert cast.dtype == tf.int32 and cast.values.numpy().tolist() == [-4, 9]
    assert tf.sparse.to_dense(tf.math.square(st)).numpy().tolist() == [[16, 0, 0], [0, 0, 81]]


def test_ops_that_would_change_zeros_refuse_sparse_tensors():
    st = tf.sparse.SparseTensor([[0, 0]], [1.0], [1, 2])
    with pytest.raises(ValueError):
        tf.math.exp(st)
