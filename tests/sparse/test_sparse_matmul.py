"""tf.sparse.sparse_dense_matmul: values vs NumPy, float64 gradient checks, errors."""

from __future__ import annotations

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as tf
from gpuflow.testing import gradcheck

ROWS_COLS = np.array([[0, 1], [0, 3], [1, 0], [2, 2], [2, 3], [3, 1], [3, 1]])  # (3,1) twice


@pytest.mark.parametrize("adjoint_a", [False, True])
@pytest.mark.parametrize("adjoint_b", [False, True])
def test_matches_numpy(device, float_dtype, adjoint_a, adjoint_b):
    rng = np.random.default_rng(0)
    values = rng.normal(size=len(ROWS_COLS)).astype(float_dtype)
    dense_a = np.zeros((4, 5), np.float64)
    np.add.at(dense_a, tuple(ROWS_COLS.T), values.astype(np.float64))
    a = dense_a.T if adjoint_a else dense_a
    b = rng.normal(size=(3, a.shape[1]) if adjoint_b else (a.shape[1], 3)).astype(float_dtype)
    with tf.device(device):
        st = tf.SparseTensor(ROWS_COLS, values, [4, 5])
        out = tf.sparse.sparse_dense_matmul(
            st, tf.constant(b), adjoint_a=adjoint_a, adjoint_b=adjoint_b
        )
    expected = a @ (b.T if adjoint_b else b).astype(np.float64)
    assert out.dtype == np.dtype(float_dtype) and out.device == device
    assert_close(out.numpy(), expected, float_dtype)


@pytest.mark.parametrize(
    "adjoint_a, adjoint_b", [(False, False), (True, False), (False, True), (True, True)]
)
def test_gradcheck_values_and_dense(device, adjoint_a, adjoint_b):
    rng = np.random.default_rng(1)
    values = rng.normal(size=len(ROWS_COLS))
    k = 4 if adjoint_a else 5
    b = rng.normal(size=(2, k) if adjoint_b else (k, 2))

    def fn(v, dense):
        st = tf.SparseTensor(ROWS_COLS, v, [4, 5])
        return tf.sparse.sparse_dense_matmul(st, dense, adjoint_a=adjoint_a, adjoint_b=adjoint_b)

    with tf.device(device):
        assert gradcheck(fn, [values, b], device=device)


def test_gradients_match_dense_matmul(device):
    """Against the densified product (duplicate positions sum in both)."""
    rng = np.random.default_rng(2)
    values = rng.normal(size=len(ROWS_COLS))
    b = rng.normal(size=(5, 3))
    with tf.device(device):
        v, dense = tf.constant(values), tf.Variable(b)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(v)
            st = tf.SparseTensor(ROWS_COLS, v, [4, 5])
            sparse_out = tf.reduce_sum(tf.sparse.sparse_dense_matmul(st, dense) ** 2)
            densified = tf.sparse.to_dense(st, validate_indices=False)
            dense_out = tf.reduce_sum(tf.matmul(densified, dense) ** 2)
        for target in (dense, v):
            np.testing.assert_allclose(
                tape.gradient(sparse_out, target).numpy(),
                tape.gradient(dense_out, target).numpy(),
                rtol=1e-10,
            )


def test_gradcheck_to_dense_reduce_and_structural_ops(device):
    rng = np.random.default_rng(3)
    idx = np.array([[0, 1], [1, 0], [1, 2], [2, 1]])
    values = rng.normal(size=4)

    def chain(v):
        st = tf.SparseTensor(idx, v, [3, 3])
        st = tf.sparse.reorder(tf.sparse.reshape(st, [9, 1]))
        st = tf.sparse.concat(0, [st, tf.sparse.slice(st, [2, 0], [5, 1])])
        summed = tf.sparse.reduce_sum(st, axis=1)
        return (
            tf.sparse.to_dense(tf.sparse.add(st, st)) * 2.0
            + summed[:, None]
            + tf.sparse.reduce_max(st, axis=0)
        )

    with tf.device(device):
        assert gradcheck(chain, [values], device=device)


def test_errors_name_the_shapes(device):
    with tf.device(device):
        st = tf.SparseTensor([[0, 0]], [1.0], [2, 3])
        with pytest.raises(
            tf.errors.InvalidArgumentError, match=r"inner sizes differ: A is \[2, 3\]"
        ):
            tf.sparse.sparse_dense_matmul(st, tf.ones([4, 2]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="rank-2"):
            tf.sparse.sparse_dense_matmul(st, tf.ones([3]))
        with pytest.raises(TypeError, match="must be a SparseTensor"):
            tf.sparse.sparse_dense_matmul(tf.ones([2, 3]), tf.ones([3, 2]))
