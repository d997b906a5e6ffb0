"""tf.linalg against NumPy on every device in float32/float64, float64 gradient checks
(every op TF differentiates), and errors that name the op."""

from __future__ import annotations

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as tf
from gpuflow import keras
from gpuflow.testing import gradcheck

R = np.random.default_rng(1)
A = R.standard_normal((2, 3, 3))
SPD = A @ np.swapaxes(A, -1, -2) + 3 * np.eye(3)
B = R.standard_normal((2, 3, 2))
C = R.standard_normal((3, 3, 2))
D = R.standard_normal((2, 3))


def _sym(x):
    return 0.5 * (x + tf.linalg.matrix_transpose(x))


# name: (gpuflow fn, NumPy reference, inputs, gradient checked)
CASES = {
    "matmul": (lambda a, b: tf.linalg.matmul(a, b), np.matmul, [A, B], True),
    "matmul_transpose_a": (
        lambda a, b: tf.linalg.matmul(a, b, transpose_a=True),
        lambda a, b: np.swapaxes(a, -1, -2) @ b,
        [A, B],
        True,
    ),
    "matmul_adjoint_b": (
        lambda a, b: tf.linalg.matmul(b, a, adjoint_b=True, transpose_a=True),
        lambda a, b: np.swapaxes(b, -1, -2) @ np.swapaxes(a, -1, -2),
        [A, B],
        True,
    ),
    "matmul_broadcast": (lambda a, b: tf.matmul(a, b[0]), lambda a, b: a @ b[0], [A, B], True),
    "matvec": (
        lambda a, b: tf.linalg.matvec(a, b[..., 0]),
        lambda a, b: (a @ b)[..., 0],
        [A, B],
        True,
    ),
    "inv": (tf.linalg.inv, np.linalg.inv, [SPD], True),
    "det": (tf.linalg.det, np.linalg.det, [SPD], True),
    "slogdet": (lambda a: tf.linalg.slogdet(a)[1], lambda a: np.linalg.slogdet(a)[1], [SPD], True),
    "logdet": (tf.linalg.logdet, lambda a: np.linalg.slogdet(a)[1], [SPD], True),
    "solve": (tf.linalg.solve, np.linalg.solve, [SPD, B], True),
    "cholesky": (lambda a: tf.linalg.cholesky(_sym(a)), np.linalg.cholesky, [SPD], True),
    "eigh_values": (lambda a: tf.linalg.eigh(_sym(a))[0], np.linalg.eigvalsh, [SPD], True),
    "eigvalsh": (lambda a: tf.linalg.eigvalsh(_sym(a)), np.linalg.eigvalsh, [SPD], True),
    "eigh_vectors_abs": (
        lambda a: tf.abs(tf.linalg.eigh(_sym(a))[1]),
        lambda a: np.abs(np.linalg.eigh(a)[1]),
        [SPD],
        True,
    ),
    "svd_values": (
        lambda a: tf.linalg.svd(a, compute_uv=False),
        lambda a: np.linalg.svd(a, compute_uv=False),
        [A],
        True,
    ),
    "svd_values_tall": (lambda b: tf.linalg.svd(b)[0], lambda b: np.linalg.svd(b)[1], [B], True),
    "qr_r_abs": (
        lambda a: tf.abs(tf.linalg.qr(a)[1]),
        lambda a: np.abs(np.linalg.qr(a)[1]),
        [A],
        True,
    ),
    "qr_q_abs_tall": (
        lambda b: tf.abs(tf.linalg.qr(b)[0]),
        lambda b: np.abs(np.linalg.qr(b)[0]),
        [B],
        True,
    ),
    "norm_euclidean": (lambda a: tf.norm(a), lambda a: np.sqrt((a**2).sum()), [A], True),
    "norm_axis_ord1": (lambda a: tf.norm(a, ord=1, axis=1), lambda a: np.abs(a).sum(1), [A], True),
    "norm_fro_pair": (
        lambda a: tf.linalg.norm(a, ord="fro", axis=[-2, -1]),
        lambda a: np.linalg.norm(a, "fro", axis=(-2, -1)),
        [A],
        True,
    ),
    "norm_matrix_inf": (
        lambda a: tf.norm(a, ord=np.inf, axis=[1, 2]),
        lambda a: np.linalg.norm(a, np.inf, axis=(1, 2)),
        [A],
        True,
    ),
    "trace": (tf.linalg.trace, lambda a: np.trace(a, axis1=-2, axis2=-1), [A], True),
    "diag": (tf.linalg.diag, lambda d: np.stack([np.diag(v) for v in d]), [D], True),
    "diag_part": (tf.linalg.diag_part, lambda a: np.diagonal(a, axis1=-2, axis2=-1), [A], True),
    "band_part": (
        lambda a: tf.linalg.band_part(a, 1, 0),
        lambda a: np.tril(a) - np.tril(a, -2),
        [A],
        True,
    ),
    "tensordot": (
        lambda a, b: tf.tensordot(a, b, axes=[[1, 2], [1, 0]]),
        lambda a, b: np.tensordot(a, b, axes=[[1, 2], [1, 0]]),
        [A, C],
        True,
    ),
    "einsum": (
        lambda a, b: tf.einsum("bij,bjk->bik", a, b),
        lambda a, b: np.einsum("bij,bjk->bik", a, b),
        [A, B],
        True,
    ),
    "einsum_sum_out": (
        lambda a: tf.einsum("bij->j", a),
        lambda a: np.einsum("bij->j", a),
        [A],
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_numpy(name, device):
    fn, ref, inputs, _ = CASES[name]
    for dtype in ("float32", "float64"):
        out = fn(*[tf.constant(a.astype(dtype), device=device) for a in inputs])
        assert out.dtype == dtype and out.device == device
        assert_close(
            out, ref(*inputs), dtype, **({"rtol": 1e-4, "atol": 1e-4} if dtype == "float32" else {})
        )


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c[3]))
def test_gradients(name):
    fn, _, inputs, _ = CASES[name]
    gradcheck(fn, inputs)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2)])
def test_svd_gradients_through_u_v_and_s(shape):
    a = R.standard_normal(shape)
    gradcheck(lambda x: tf.linalg.svd(x)[1] ** 2 + tf.reduce_sum(tf.linalg.svd(x)[0]), [a])
    gradcheck(lambda x: tf.linalg.svd(x)[2] ** 2, [a])


def test_svd_and_qr_reconstruct_and_say_where_they_have_no_gradient():
    a = tf.constant(A[0])
    s, u, v = tf.linalg.svd(a)
    np.testing.assert_allclose((u.numpy() * s.numpy()) @ v.numpy().T, A[0], atol=1e-10)
    q, r = tf.linalg.qr(a)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), A[0], atol=1e-10)
    wide = tf.constant(B[0].T)
    q, r = tf.linalg.qr(wide)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), B[0].T, atol=1e-10)
    # a wide matrix is differentiable through its square part, as in TF 2.21
    assert gradcheck(lambda x: tf.linalg.qr(x)[1] + tf.reduce_sum(tf.linalg.qr(x)[0]), [wide])
    tall = tf.constant(B[0])
    with tf.GradientTape() as tape:
        tape.watch(tall)
        total = tf.reduce_sum(tf.linalg.qr(tall, full_matrices=True)[0])
    with pytest.raises(LookupError, match="qr with full_matrices=True"):
        tape.gradient(total, tall)


ERRORS = {
    "matmul": (
        lambda: tf.linalg.matmul(tf.ones([2, 3]), tf.ones([2, 3])),
        ValueError,
        "matmul: inner dimensions differ",
    ),
    "matmul_rank": (lambda: tf.matmul(tf.ones([3]), tf.ones([3, 1])), ValueError, "matmul"),
    "matvec": (lambda: tf.linalg.matvec(tf.ones([2, 3]), tf.ones([2])), ValueError, "matmul"),
    "inv": (lambda: tf.linalg.inv(tf.ones([2, 3])), ValueError, "inv: expected square"),
    "inv_singular": (lambda: tf.linalg.inv(tf.zeros([2, 2])), ValueError, "inv:"),
    "det": (lambda: tf.linalg.det(tf.ones([3])), ValueError, "det"),
    "solve": (lambda: tf.linalg.solve(tf.eye(2), tf.ones([3, 1])), ValueError, "solve: rhs"),
    "cholesky": (lambda: tf.linalg.cholesky(tf.ones([2, 3])), ValueError, "cholesky: expected"),
    "eigh": (lambda: tf.linalg.eigh(tf.constant([[1, 0], [0, 1]])), TypeError, "eigh"),
    "norm": (lambda: tf.norm(tf.ones([2]), ord="nuclear"), ValueError, "norm: 'ord' must be"),
    "trace": (lambda: tf.linalg.trace(tf.ones([2])), ValueError, "diag_part"),
    "band_part": (lambda: tf.linalg.band_part(tf.ones([2, 2]), -2, 0), ValueError, "band_part"),
    "tensordot": (
        lambda: tf.tensordot(tf.ones([2, 3]), tf.ones([2, 3]), axes=1),
        ValueError,
        "tensordot",
    ),
    "einsum": (
        lambda: tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([2, 3])),
        ValueError,
        "einsum",
    ),
    "qr": (lambda: tf.linalg.qr(tf.ones([3])), ValueError, "qr"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_argument_errors_name_the_op(name):
    call, error, text = ERRORS[name]
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


def test_cholesky_of_a_matrix_not_positive_definite_is_nan_as_tensorflow():
    # TF 2.21 fills the failed matrix's lower triangle with NaN; the others are factored.
    out = tf.linalg.cholesky(tf.constant([[[1.0, 2.0], [2.0, 1.0]], [[4.0, 0.0], [0.0, 9.0]]]))
    low = np.tril(np.ones((2, 2), bool))
    assert np.isnan(out[0].numpy()[low]).all() and out[0].numpy()[0, 1] == 0.0
    np.testing.assert_allclose(out[1], [[2.0, 0.0], [0.0, 3.0]])
    assert np.isnan(tf.linalg.cholesky(tf.zeros([2, 2])).numpy()[low]).all()
    # keras.ops.cholesky checks the factor, as Keras' TensorFlow backend does.
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cholesky"):
        keras.ops.cholesky(-tf.eye(2))
