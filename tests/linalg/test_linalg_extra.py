"""tf.linalg lu / lu_solve / lu_reconstruct / lu_matrix_inverse, expm, logm, sqrtm, eig,
eigvals, eigh_tridiagonal, tridiagonal_solve / matmul, banded_triangular_solve and
tensor_diag(_part): against NumPy references and literals printed by TensorFlow 2.21
(marked), gradients by finite differences, and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.testing import gradcheck

R = np.random.default_rng(7)
A33 = np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 10]])
NS = np.array([[2.0, 1, 0], [0.5, 3, 1], [0, 1, 4]])  # non-symmetric, positive spectrum


def _expm_taylor(a, terms=80):
    out, term = np.eye(a.shape[-1]), np.eye(a.shape[-1])
    for k in range(1, terms):
        term = term @ a / k
        out = out + term
    return out


def _lu_reference(a):
    """Doolittle LU with partial pivoting, one matrix, plain loops."""
    a = a.astype(np.float64).copy()
    n = a.shape[0]
    perm = list(range(n))
    for k in range(n):
        piv = k + int(np.argmax(np.abs(a[k:, k])))
        a[[k, piv]] = a[[piv, k]]
        perm[k], perm[piv] = perm[piv], perm[k]
        for i in range(k + 1, n):
            a[i, k] /= a[k, k]
            for j in range(k + 1, n):
                a[i, j] -= a[i, k] * a[k, j]
    return a, np.array(perm)


# ------------------------------------------------------------------------------ LU


def test_lu_matches_tensorflow_literal():
    lu, p = tf.linalg.lu(tf.constant(A33, tf.float32))
    # printed by TensorFlow 2.21: tf.linalg.lu([[1,2,3],[4,5,6],[7,8,10]])
    want = [
        [7.0, 8.0, 10.0],
        [0.14285715, 0.8571428, 1.5714285],
        [0.5714286, 0.4999998, -0.4999998],
    ]
    np.testing.assert_allclose(lu.numpy(), want, atol=1e-5)
    assert p.dtype == tf.int32 and p.numpy().tolist() == [2, 0, 1]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lu_batched_against_reference(dtype):
    a = R.standard_normal((2, 3, 5, 5)).astype(dtype)
    lu, p = tf.linalg.lu(a, output_idx_type=tf.int64)
    assert lu.shape == (2, 3, 5, 5) and p.shape == (2, 3, 5) and p.dtype == tf.int64
    for i in range(2):
        for j in range(3):
            ref, perm = _lu_reference(a[i, j])
            np.testing.assert_allclose(lu.numpy()[i, j], ref, rtol=1e-4, atol=1e-4)
            assert p.numpy()[i, j].tolist() == perm.tolist()
    back = tf.linalg.lu_reconstruct(lu, p).numpy()
    np.testing.assert_allclose(back, a, atol=1e-4 if dtype == np.float32 else 1e-12)


def test_lu_complex_and_no_gradient():
    a = R.standard_normal((4, 4)) + 1j * R.standard_normal((4, 4))
    lu, p = tf.linalg.lu(a)
    np.testing.assert_allclose(tf.linalg.lu_reconstruct(lu, p).numpy(), a, atol=1e-12)
    x = tf.Variable(A33)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.linalg.lu(x)[0])
    with pytest.raises(LookupError, match="lu"):
        tape.gradient(y, x)


def test_lu_solve_and_inverse():
    a = R.standard_normal((3, 4, 4))
    b = R.standard_normal((3, 4, 2))
    lu, p = tf.linalg.lu(a)
    np.testing.assert_allclose(tf.linalg.lu_solve(lu, p, b).numpy(), np.linalg.solve(a, b))
    np.testing.assert_allclose(tf.linalg.lu_matrix_inverse(lu, p).numpy(), np.linalg.inv(a))
    # rhs batch broadcast against one factorization
    lu1, p1 = tf.linalg.lu(a[0])
    np.testing.assert_allclose(
        tf.linalg.lu_solve(lu1, p1, b).numpy(), np.linalg.solve(a[0], b), atol=1e-12
    )


def test_lu_solve_gradient():
    a = R.standard_normal((4, 4)) + 4 * np.eye(4)
    lu, p = tf.linalg.lu(a)
    gradcheck(lambda f, b: tf.linalg.lu_solve(f, p, b), [lu.numpy(), R.standard_normal((4, 2))])


def test_lu_errors():
    with pytest.raises(Exception, match="lu.*square"):
        tf.linalg.lu(np.ones((2, 3)))
    with pytest.raises(TypeError, match="lu.*float"):
        tf.linalg.lu(np.ones((2, 2), np.int32))
    lu, p = tf.linalg.lu(A33)
    with pytest.raises(Exception, match="lu_solve.*rhs"):
        tf.linalg.lu_solve(lu, p, np.ones((2, 1)))
    with pytest.raises(Exception, match="lu_reconstruct.*perm"):
        tf.linalg.lu_reconstruct(lu, [0, 1])


# ------------------------------------------------------------------------------ expm


@pytest.mark.parametrize("scale", [0.001, 0.1, 0.5, 1.5, 4.0, 30.0])
def test_expm_against_taylor_every_pade_degree(scale):
    a = R.standard_normal((2, 4, 4)) * scale / 4
    # the Taylor sum loses digits for large norms: compare at a scaled-down power
    if scale > 2:
        want = np.stack([np.linalg.matrix_power(_expm_taylor(m / 64), 64) for m in a])
    else:
        want = np.stack([_expm_taylor(m) for m in a])
    got = tf.linalg.expm(a).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    got32 = tf.linalg.expm(a.astype(np.float32)).numpy()
    assert got32.dtype == np.float32
    np.testing.assert_allclose(got32, want, rtol=2e-5, atol=1e-5 * np.abs(want).max())


def test_expm_tensorflow_literal_and_complex():
    # printed by TensorFlow 2.21: tf.linalg.expm(NS) in float64
    want = [
        [10.5473654, 17.64756404, 12.41169266],
        [8.82378202, 40.6066221, 42.47094936],
        [6.20584633, 42.47094936, 76.87172512],
    ]
    np.testing.assert_allclose(tf.linalg.expm(NS).numpy(), want, rtol=1e-8)
    theta = 0.7
    rot = tf.linalg.expm(np.array([[0, -theta], [theta, 0]], np.complex128) * 1j).numpy()
    np.testing.assert_allclose(
        rot, [[math.cosh(theta), -1j * math.sinh(theta)], [1j * math.sinh(theta), math.cosh(theta)]]
    )
    assert tf.linalg.expm(np.zeros((0, 0))).shape == (0, 0)


def test_expm_gradient_first_and_second_order():
    gradcheck(tf.linalg.expm, [R.standard_normal((2, 3, 3))])
    gradcheck(tf.linalg.expm, [R.standard_normal((3, 3)) * 3])  # with squarings
    x = tf.Variable(R.standard_normal((3, 3)) * 0.5)
    w = R.standard_normal((3, 3))
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(tf.linalg.expm(x) * w)
        g = inner.gradient(y, x)
        z = tf.reduce_sum(g * g)
    h = outer.gradient(z, x).numpy()

    # finite difference of the first gradient's square norm
    def gsq(m):
        v = tf.Variable(m)
        with tf.GradientTape() as t:
            yy = tf.reduce_sum(tf.linalg.expm(v) * w)
        return float(tf.reduce_sum(t.gradient(yy, v) ** 2).numpy())

    e = np.zeros((3, 3))
    e[1, 2] = 1e-6
    base = x.numpy()
    np.testing.assert_allclose(h[1, 2], (gsq(base + e) - gsq(base - e)) / 2e-6, rtol=1e-5)


# ------------------------------------------------------------------------------ sqrtm


def test_sqrtm_tensorflow_literal_and_gradient():
    # printed by TensorFlow 2.21: tf.linalg.sqrtm(NS) and the gradient of
    # reduce_sum(sqrtm(x) * [[1,2,3],[4,5,6],[7,8,9]]) in float64
    want = [
        [1.39517969, 0.32596249, -0.02637648],
        [0.16298125, 1.6947657, 0.27320953],
        [-0.01318824, 0.27320953, 1.98116347],
    ]
    want_grad = [
        [0.25630486, 0.51255895, 0.79196503],
        [0.99874142, 1.12058972, 1.32900032],
        [1.8307631, 1.86223113, 2.06271696],
    ]
    np.testing.assert_allclose(tf.linalg.sqrtm(NS).numpy(), want, atol=1e-8)
    x = tf.Variable(NS)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.linalg.sqrtm(x) * np.arange(1.0, 10.0).reshape(3, 3))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want_grad, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
def test_sqrtm_squares_back(dtype):
    m = R.standard_normal((3, 4, 4))
    a = m @ np.swapaxes(m, -1, -2) + 0.5 * np.eye(4)
    if dtype == np.complex128:
        a = a + 0.3j * R.standard_normal((3, 4, 4))
    a = a.astype(dtype)
    s = tf.linalg.sqrtm(a).numpy()
    assert s.dtype == dtype
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(s @ s, a, atol=tol * np.abs(a).max())
    assert tf.matrix_square_root is tf.linalg.sqrtm


def test_sqrtm_defective_and_negative():
    jordan = np.array([[4.0, 1.0], [0.0, 4.0]])  # not diagonalizable
    np.testing.assert_allclose(
        tf.linalg.sqrtm(jordan).numpy(), [[2.0, 0.25], [0.0, 2.0]], atol=1e-12
    )
    np.testing.assert_allclose(tf.linalg.sqrtm(np.diag([0.0, 9.0])).numpy(), np.diag([0, 3.0]))
    # TensorFlow 2.21 gives NaN for a real matrix with a negative eigenvalue
    assert np.isnan(tf.linalg.sqrtm(np.diag([-1.0, 4.0])).numpy()).all()


def test_sqrtm_gradient_check():
    m = R.standard_normal((2, 3, 3))
    gradcheck(tf.linalg.sqrtm, [m @ np.swapaxes(m, -1, -2) + np.eye(3)])


# ------------------------------------------------------------------------------ logm


def test_logm_tensorflow_literal_and_roundtrip():
    # printed by TensorFlow 2.21: tf.linalg.logm(complex(NS))
    want = [
        [0.64100344, 0.43275889, -0.06444421],
        [0.21637944, 1.00931813, 0.30387047],
        [-0.0322221, 0.30387047, 1.3454107],
    ]
    np.testing.assert_allclose(tf.linalg.logm(NS.astype(np.complex128)).numpy(), want, atol=1e-7)
    a = R.standard_normal((2, 4, 4)) + 1j * R.standard_normal((2, 4, 4)) + 3 * np.eye(4)
    log = tf.linalg.logm(a)
    np.testing.assert_allclose(tf.linalg.expm(log).numpy(), a, atol=1e-10)
    log32 = tf.linalg.logm(a.astype(np.complex64))
    assert log32.dtype == tf.complex64
    np.testing.assert_allclose(log32.numpy(), log.numpy(), atol=1e-4)


def test_logm_refuses_real_input():
    with pytest.raises(TypeError, match="logm.*complex64 or complex128"):
        tf.linalg.logm(NS)


# ------------------------------------------------------------------------------ eig


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64])
def test_eig_satisfies_definition(dtype):
    a = R.standard_normal((2, 5, 5)).astype(dtype)
    e, v = tf.linalg.eig(a)
    want_dt = tf.complex128 if dtype == np.float64 else tf.complex64
    assert e.dtype == want_dt and v.dtype == want_dt
    e, v = e.numpy(), v.numpy()
    tol = 1e-4 if dtype != np.float64 else 1e-10
    np.testing.assert_allclose(a @ v, v * e[..., None, :], atol=tol * 10)
    np.testing.assert_allclose(np.linalg.norm(v, axis=-2), 1, atol=tol)
    ref = np.linalg.eigvals(a.astype(np.complex128)).ravel()
    got = tf.linalg.eigvals(a).numpy().ravel()
    # every reference eigenvalue has a computed one next to it (order may differ)
    assert np.abs(got[None, :] - ref[:, None]).min(axis=1).max() < tol * 10


def test_eig_top_level_and_rotation():
    # TensorFlow 2.21: tf.eig([[0,1],[-1,0]]) -> eigenvalues [1j, -1j]
    assert tf.eig is tf.linalg.eig and tf.eigvals is tf.linalg.eigvals
    e = tf.eigvals(np.array([[0.0, 1.0], [-1.0, 0.0]], np.float32)).numpy()
    np.testing.assert_allclose(np.sort_complex(e), [-1j, 1j], atol=1e-6)


def test_eig_no_gradient():
    x = tf.Variable(NS)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.math.real(tf.linalg.eigvals(x)))
    with pytest.raises((LookupError, NotImplementedError), match="eigvals|complex"):
        tape.gradient(y, x)


# ------------------------------------------------------------------------------ tridiagonal

COMPACT = np.array([[1.0, 2, 0], [4, 5, 6], [0, 7, 8]])  # super, main, sub rows
DENSE = np.array([[4.0, 1, 0], [7, 5, 2], [0, 8, 6]])


def test_tridiagonal_solve_formats():
    rhs = np.array([1.0, 2, 3])
    want = [0.5714285, -1.2857141, 2.2142856]  # TensorFlow 2.21, compact format, float32
    np.testing.assert_allclose(tf.linalg.tridiagonal_solve(COMPACT, rhs).numpy(), want, rtol=1e-5)
    seq = [COMPACT[0], COMPACT[1], COMPACT[2]]
    np.testing.assert_allclose(
        tf.linalg.tridiagonal_solve(seq, rhs, diagonals_format="sequence").numpy(), want, rtol=1e-5
    )
    np.testing.assert_allclose(
        tf.linalg.tridiagonal_solve(DENSE, rhs, diagonals_format="matrix").numpy(),
        np.linalg.solve(DENSE, rhs),
    )
    r2 = np.array([[1.0, 2, 3], [0, 1, 0]])
    np.testing.assert_allclose(
        tf.linalg.tridiagonal_solve(COMPACT, r2, transpose_rhs=True).numpy(),
        np.linalg.solve(DENSE, r2.T),
    )


def test_tridiagonal_solve_batched_and_gradient():
    main = R.standard_normal((2, 5)) + 4
    sup, sub = R.standard_normal((2, 5)), R.standard_normal((2, 5))
    rhs = R.standard_normal((2, 5, 3))
    dense = np.stack(
        [np.diag(main[i]) + np.diag(sup[i, :-1], 1) + np.diag(sub[i, 1:], -1) for i in range(2)]
    )
    got = tf.linalg.tridiagonal_solve(np.stack([sup, main, sub], axis=-2), rhs).numpy()
    np.testing.assert_allclose(got, np.linalg.solve(dense, rhs))
    gradcheck(tf.linalg.tridiagonal_solve, [np.stack([sup, main, sub], axis=-2), rhs])


def test_tridiagonal_solve_gradient_literal():
    # TensorFlow 2.21: gradient of reduce_sum(tridiagonal_solve(x, [[1],[2],[3]])**2)
    x = tf.Variable(COMPACT.astype(np.float32))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.linalg.tridiagonal_solve(x, [[1.0], [2.0], [3.0]]) ** 2)
    want = [
        [34.16327, 33.25948, 0.0],
        [-15.183674, -19.311954, -12.720847],
        [0.0, 8.583091, 7.3862977],
    ]
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want, rtol=1e-4, atol=1e-5)


def test_tridiagonal_matmul():
    rhs = np.array([[1.0, 2], [3, 4], [5, 6]])
    want = [[7.0, 12.0], [32.0, 46.0], [54.0, 68.0]]  # TensorFlow 2.21
    np.testing.assert_allclose(tf.linalg.tridiagonal_matmul(COMPACT, rhs).numpy(), want)
    np.testing.assert_allclose(
        tf.linalg.tridiagonal_matmul(list(COMPACT), rhs, diagonals_format="sequence").numpy(), want
    )
    np.testing.assert_allclose(
        tf.linalg.tridiagonal_matmul(DENSE, rhs, diagonals_format="matrix").numpy(), want
    )
    gradcheck(tf.linalg.tridiagonal_matmul, [COMPACT, rhs])


def test_tridiagonal_errors():
    with pytest.raises(Exception, match="tridiagonal_solve.*3, M"):
        tf.linalg.tridiagonal_solve(np.ones((2, 3)), np.ones(3))
    with pytest.raises(Exception, match="tridiagonal_solve.*rhs"):
        tf.linalg.tridiagonal_solve(COMPACT, np.ones(4))
    with pytest.raises(ValueError, match="diagonals_format"):
        tf.linalg.tridiagonal_solve(COMPACT, np.ones(3), diagonals_format="banded")


def test_banded_triangular_solve():
    bands = np.array([[1.0, 2, 3, 4], [5, 6, 7, 8]])
    ones = np.ones((4, 1))
    # TensorFlow 2.21 literals (float32)
    np.testing.assert_allclose(
        tf.linalg.banded_triangular_solve(bands, ones).numpy().ravel(),
        [1.0, -2.5, 6.1666665, -12.083333],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        tf.linalg.banded_triangular_solve(bands, ones, lower=False).numpy().ravel(),
        [0.17261904, 0.13690476, 0.08928572, 0.125],
        rtol=1e-6,
    )
    low = np.diag(bands[0]) + np.diag(bands[1, 1:], -1)
    np.testing.assert_allclose(
        tf.linalg.banded_triangular_solve(bands, ones, adjoint=True).numpy(),
        np.linalg.solve(low.T, ones),
    )
    gradcheck(tf.linalg.banded_triangular_solve, [bands + 3, R.standard_normal((4, 2))])


def test_eigh_tridiagonal():
    alpha, beta = np.array([1.0, 2, 3, 4]), np.array([1.0, 1, 1])
    dense = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
    w_ref, _ = np.linalg.eigh(dense)
    np.testing.assert_allclose(tf.linalg.eigh_tridiagonal(alpha, beta).numpy(), w_ref)
    # TensorFlow 2.21 literals (float32)
    np.testing.assert_allclose(
        tf.linalg.eigh_tridiagonal(alpha, beta, select="i", select_range=[1, 2]).numpy(),
        [1.8227171, 3.1772828],
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        tf.linalg.eigh_tridiagonal(alpha, beta, select="v", select_range=[0.5, 3.0]).numpy(),
        [1.822717],
        rtol=1e-6,
    )
    w, v = tf.linalg.eigh_tridiagonal(alpha, beta, eigvals_only=False)
    np.testing.assert_allclose(dense @ v.numpy(), v.numpy() * w.numpy(), atol=1e-10)
    cb = np.array([1j, 2.0, 1 - 1j])
    wc = tf.linalg.eigh_tridiagonal(alpha.astype(complex), cb).numpy()
    herm = np.diag(alpha).astype(complex) + np.diag(cb, 1) + np.diag(np.conj(cb), -1)
    np.testing.assert_allclose(wc, np.linalg.eigvalsh(herm))
    with pytest.raises(ValueError, match="eigh_tridiagonal"):
        tf.linalg.eigh_tridiagonal(alpha, beta[:2])


def test_tensor_diag_and_part():
    d = R.standard_normal((2, 3))
    full = tf.linalg.tensor_diag(d).numpy()
    want = np.zeros((2, 3, 2, 3))
    for i in range(2):
        for j in range(3):
            want[i, j, i, j] = d[i, j]
    np.testing.assert_array_equal(full, want)
    np.testing.assert_array_equal(tf.linalg.tensor_diag_part(full).numpy(), d)
    gradcheck(tf.linalg.tensor_diag_part, [R.standard_normal((2, 3, 2, 3))])
    with pytest.raises(Exception, match="tensor_diag_part.*D \\+ D"):
        tf.linalg.tensor_diag_part(np.ones((2, 3, 3, 2)))


def test_adjoint_conjugates_complex_matrices():
    a = R.standard_normal((2, 3, 3)) + 1j * R.standard_normal((2, 3, 3))
    want = np.conj(np.swapaxes(a, -1, -2))
    np.testing.assert_array_equal(tf.linalg.adjoint(a).numpy(), want)
    np.testing.assert_array_equal(tf.linalg.matrix_transpose(a, conjugate=True).numpy(), want)
    np.testing.assert_array_equal(tf.linalg.matrix_transpose(a).numpy(), np.swapaxes(a, -1, -2))
    np.testing.assert_allclose(tf.matmul(a, a, adjoint_a=True).numpy(), want @ a)
    np.testing.assert_allclose(tf.matmul(a, a, adjoint_b=True).numpy(), a @ want)


def test_host_computed_ops_replay_inside_function():
    @tf.function
    def f(a):
        lu, p = tf.linalg.lu(a)
        w = tf.linalg.eigh_tridiagonal(a[0], a[1, :1])
        return lu, p, tf.linalg.eigvals(a), w, tf.math.nextafter(a, a + 1)

    for a in (A33[:2, :2], NS[:2, :2], A33[1:, 1:]):
        lu, p, e, w, nxt = f(tf.constant(a))
        ref, perm = _lu_reference(a)
        np.testing.assert_allclose(lu.numpy(), ref)
        assert p.numpy().tolist() == perm.tolist()
        np.testing.assert_allclose(np.sort(e.numpy().real), np.sort(np.linalg.eigvals(a).real))
        sym = np.diag(a[0]) + np.diag(a[1, :1], 1) + np.diag(a[1, :1], -1)
        np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(sym))
        np.testing.assert_array_equal(nxt.numpy(), np.nextafter(a, a + 1))
