"""tf.linalg.LinearOperator*: every operator's dense matrix against a NumPy construction,
and every method (matmul/matvec/solve/solvevec with adjoints, determinant, log |det|,
diag_part, trace, add_to_tensor, inverse, adjoint) against NumPy on that dense matrix;
TensorFlow 2.21 literals where the layout is TF's convention; hints and errors."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

L = tf.linalg
R = np.random.default_rng(3)


def _spd(n, batch=()):
    m = R.standard_normal(batch + (n, n))
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def _kron(a, b):
    return np.kron(a, b)


def _cases():
    a = R.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    d = R.uniform(1, 2, (2, 3))
    tril = R.standard_normal((3, 3)) + 4 * np.eye(3)
    f2 = R.standard_normal((2, 2)) + 2 * np.eye(2)
    u = R.standard_normal((3, 2))
    du = R.uniform(1, 2, 2)
    col, row = R.standard_normal(4) + np.array([5, 0, 0, 0]), R.standard_normal(4)
    tri = R.standard_normal((3, 4)) + np.array([[0], [5], [0]])
    v = R.standard_normal(3)
    perm = np.array([2, 0, 3, 1])
    house = np.eye(3) - 2 * np.outer(v, v) / (v @ v)
    toe = np.array(
        [[col[max(i - j, 0)] if i >= j else row[j - i] for j in range(4)] for i in range(4)]
    )
    tri_dense = np.diag(tri[1]) + np.diag(tri[0, :-1], 1) + np.diag(tri[2, 1:], -1)
    block = np.zeros((5, 5))
    block[:2, :2], block[2:, 2:] = f2, np.diag(d[0])
    return {
        "full": (L.LinearOperatorFullMatrix(a), a),
        "diag": (L.LinearOperatorDiag(d), np.stack([np.diag(x) for x in d])),
        "identity": (
            L.LinearOperatorIdentity(3, batch_shape=[2], dtype=tf.float64),
            np.tile(np.eye(3), (2, 1, 1)),
        ),
        "scaled_identity": (
            L.LinearOperatorScaledIdentity(3, np.array([2.0, -3.0])),
            np.array([2.0, -3.0])[:, None, None] * np.eye(3),
        ),
        "lower_triangular": (L.LinearOperatorLowerTriangular(tril), np.tril(tril)),
        "composition": (
            L.LinearOperatorComposition([L.LinearOperatorFullMatrix(a), L.LinearOperatorDiag(d)]),
            a @ np.stack([np.diag(x) for x in d]),
        ),
        "inversion": (L.LinearOperatorInversion(L.LinearOperatorFullMatrix(a)), np.linalg.inv(a)),
        "adjoint": (L.LinearOperatorAdjoint(L.LinearOperatorFullMatrix(a)), np.swapaxes(a, -1, -2)),
        "block_diag": (
            L.LinearOperatorBlockDiag([L.LinearOperatorFullMatrix(f2), L.LinearOperatorDiag(d[0])]),
            block,
        ),
        "kronecker": (
            L.LinearOperatorKronecker(
                [L.LinearOperatorFullMatrix(f2), L.LinearOperatorFullMatrix(tril)]
            ),
            _kron(f2, tril),
        ),
        "low_rank_update": (
            L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag(d[0]), u, diag_update=du),
            np.diag(d[0]) + u @ np.diag(du) @ u.T,
        ),
        "toeplitz": (L.LinearOperatorToeplitz(col, row), toe),
        "block_lower_triangular": (
            L.LinearOperatorBlockLowerTriangular(
                [
                    [L.LinearOperatorFullMatrix(f2)],
                    [L.LinearOperatorFullMatrix(u), L.LinearOperatorLowerTriangular(tril)],
                ]
            ),
            np.block([[f2, np.zeros((2, 3))], [u, np.tril(tril)]]),
        ),
        "householder": (L.LinearOperatorHouseholder(v), house),
        "permutation": (L.LinearOperatorPermutation(perm, dtype=tf.float64), np.eye(4)[perm]),
        "tridiag": (L.LinearOperatorTridiag(tri), tri_dense),
        "circulant": (
            L.LinearOperatorCirculant(np.array([6.0, -1.5, -1.5]), input_output_dtype=tf.float64),
            np.array([[1.0, 2.5, 2.5], [2.5, 1.0, 2.5], [2.5, 2.5, 1.0]]),  # TF 2.21 literal
        ),
    }


CASES = _cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_dense_and_methods(name):
    op, dense = CASES[name]
    n = dense.shape[-1]
    assert tuple(op.shape) == dense.shape
    assert op.batch_shape == dense.shape[:-2] and op.domain_dimension == n
    assert op.range_dimension == dense.shape[-2] and op.tensor_rank == dense.ndim
    assert op.shape_tensor().numpy().tolist() == list(dense.shape)
    np.testing.assert_allclose(op.to_dense().numpy(), dense, atol=1e-12)
    x = R.standard_normal(dense.shape[:-2] + (n, 2))
    xt = np.swapaxes(x, -1, -2)
    dt = np.swapaxes(dense, -1, -2)
    np.testing.assert_allclose(op.matmul(x).numpy(), dense @ x, atol=1e-10)
    np.testing.assert_allclose(op.matmul(xt, adjoint_arg=True).numpy(), dense @ x, atol=1e-10)
    np.testing.assert_allclose(op.matmul(x, adjoint=True).numpy(), dt @ x, atol=1e-10)
    np.testing.assert_allclose((op @ x).numpy(), dense @ x, atol=1e-10)
    np.testing.assert_allclose(op.matvec(x[..., 0]).numpy(), (dense @ x)[..., 0], atol=1e-10)
    np.testing.assert_allclose(
        op.matvec(x[..., 0], adjoint=True).numpy(), (dt @ x)[..., 0], atol=1e-10
    )
    np.testing.assert_allclose(op.solve(x).numpy(), np.linalg.solve(dense, x), atol=1e-9)
    np.testing.assert_allclose(op.solve(x, adjoint=True).numpy(), np.linalg.solve(dt, x), atol=1e-9)
    np.testing.assert_allclose(
        op.solve(xt, adjoint_arg=True).numpy(), np.linalg.solve(dense, x), atol=1e-9
    )
    np.testing.assert_allclose(
        op.solvevec(x[..., 0]).numpy(), np.linalg.solve(dense, x)[..., 0], atol=1e-9
    )
    np.testing.assert_allclose(op.determinant().numpy(), np.linalg.det(dense), rtol=1e-9)
    np.testing.assert_allclose(
        op.log_abs_determinant().numpy(), np.linalg.slogdet(dense)[1], atol=1e-10
    )
    np.testing.assert_allclose(
        op.diag_part().numpy(), np.diagonal(dense, axis1=-2, axis2=-1), atol=1e-12
    )
    np.testing.assert_allclose(op.trace().numpy(), np.trace(dense, axis1=-2, axis2=-1))
    y = R.standard_normal(dense.shape)
    np.testing.assert_allclose(op.add_to_tensor(y).numpy(), dense + y, atol=1e-12)
    np.testing.assert_allclose(op.inverse().to_dense().numpy(), np.linalg.inv(dense), atol=1e-9)
    np.testing.assert_allclose(op.adjoint().to_dense().numpy(), dt, atol=1e-12)
    np.testing.assert_allclose(op.H.to_dense().numpy(), dt, atol=1e-12)
    s = np.linalg.svd(dense, compute_uv=False)
    np.testing.assert_allclose(op.cond().numpy(), s.max(-1) / s.min(-1), rtol=1e-8)


def test_operator_algebra_returns_operators():
    d = L.LinearOperatorDiag([1.0, 2.0, 3.0])
    f = L.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
    # class names printed by TensorFlow 2.21 for the same calls
    assert type(d.inverse()).__name__ == "LinearOperatorDiag"
    assert type(d @ d).__name__ == "LinearOperatorDiag"
    assert type(f.inverse()).__name__ == "LinearOperatorInversion"
    assert type(f.adjoint()).__name__ == "LinearOperatorAdjoint"
    assert type(L.LinearOperatorInversion(f).inverse()).__name__ == "LinearOperatorFullMatrix"
    comp = f @ f
    assert comp.name == "LinearOperatorFullMatrix_o_LinearOperatorFullMatrix"
    np.testing.assert_allclose(comp.to_dense().numpy(), [[7.0, 10.0], [15.0, 22.0]])
    assert f.is_square and f.is_non_singular is None and d.is_self_adjoint
    np.testing.assert_allclose(f.solve(f).to_dense().numpy(), np.eye(2), atol=1e-6)


def test_eigvals_and_cholesky():
    a = _spd(3)
    op = L.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True)
    np.testing.assert_allclose(op.eigvals().numpy(), np.linalg.eigvalsh(a))
    np.testing.assert_allclose(op.cholesky().to_dense().numpy(), np.linalg.cholesky(a))
    np.testing.assert_allclose(
        L.LinearOperatorDiag([4.0, 9.0], is_positive_definite=True).cholesky().to_dense().numpy(),
        np.diag([2.0, 3.0]),
    )
    with pytest.raises(NotImplementedError, match="self-adjoint"):
        L.LinearOperatorFullMatrix(a).eigvals()
    with pytest.raises(ValueError, match="Cholesky"):
        L.LinearOperatorFullMatrix(a).cholesky()


def test_permutation_and_toeplitz_layout_match_tensorflow():
    # TensorFlow 2.21 literals
    np.testing.assert_array_equal(
        L.LinearOperatorPermutation([1, 2, 0]).to_dense().numpy(),
        [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
    )
    np.testing.assert_array_equal(
        L.LinearOperatorToeplitz(col=[1.0, 2, 3], row=[1.0, 4, 5]).to_dense().numpy(),
        [[1, 4, 5], [2, 1, 4], [3, 2, 1]],
    )
    c = L.LinearOperatorCirculant(np.array([1.0, 2, 3], np.complex64))
    assert c.dtype == tf.complex64
    np.testing.assert_allclose(
        c.to_dense().numpy()[0], [2.0, -0.5 + 0.28867513j, -0.5 - 0.28867513j], atol=1e-6
    )
    h = np.fft.ifft([1.0, 2, 3])
    np.testing.assert_allclose(c.convolution_kernel().numpy(), h, atol=1e-6)


def test_zeros_operator():
    z = L.LinearOperatorZeros(2, 3, is_square=False, is_self_adjoint=False)
    assert z.shape == (2, 3) and not z.is_square
    np.testing.assert_array_equal(z.matmul(np.ones((3, 4), np.float32)).numpy(), np.zeros((2, 4)))
    with pytest.raises(NotImplementedError, match="singular"):
        L.LinearOperatorZeros(2).solve(np.ones((2, 1), np.float32))
    with pytest.raises(ValueError, match="num_rows\\(2\\) != num_columns\\(3\\)"):
        L.LinearOperatorZeros(2, 3)
    with pytest.raises(ValueError, match="self-adjoint matrix is always square"):
        L.LinearOperatorZeros(2, 3, is_square=False)
    assert L.LinearOperatorZeros(3).determinant().numpy() == 0


def test_hint_and_shape_errors():
    f = L.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        f.matmul(np.ones((3, 2), np.float32))
    with pytest.raises(ValueError, match="positive definite matrix is always non-singular"):
        L.LinearOperatorFullMatrix(np.eye(2), is_positive_definite=True, is_non_singular=False)
    with pytest.raises(ValueError, match="singular"):
        L.LinearOperatorFullMatrix(np.eye(2), is_non_singular=False).inverse()
    with pytest.raises(ValueError, match="non square"):
        L.LinearOperatorFullMatrix(np.ones((2, 3))).inverse()
    with pytest.raises(NotImplementedError, match="not be square"):
        L.LinearOperatorFullMatrix(np.ones((2, 3))).determinant()
    with pytest.raises(TypeError, match="float or complex"):
        L.LinearOperatorFullMatrix(np.ones((2, 2), np.int32))
    with pytest.raises(TypeError, match="same dtype"):
        L.LinearOperatorComposition(
            [L.LinearOperatorDiag([1.0, 2.0]), L.LinearOperatorDiag(np.array([1.0, 2.0]))]
        )


def test_user_subclass_with_matmul_only():
    class Shift(L.LinearOperator):
        """Cyclic shift, defined by its matmul alone."""

        def __init__(self, n):
            super().__init__(dtype=tf.float64, is_square=True, name="Shift")
            self.n = n

        def _shape(self):
            return tf.TensorShape([self.n, self.n])

        def _matmul(self, x, adjoint=False, adjoint_arg=False):
            x = tf.linalg.adjoint(x) if adjoint_arg else x
            return tf.roll(x, shift=-1 if adjoint else 1, axis=-2)

    op = Shift(3)
    want = np.roll(np.eye(3), 1, axis=0)
    np.testing.assert_allclose(op.to_dense().numpy(), want)
    np.testing.assert_allclose(
        op.solvevec([1.0, 2.0, 3.0]).numpy(), np.linalg.solve(want, [1, 2, 3])
    )
    np.testing.assert_allclose(op.determinant().numpy(), np.linalg.det(want))


def test_gradients_flow_to_operator_tensors():
    d = tf.Variable([1.0, 2.0, 3.0])
    u = tf.Variable(R.standard_normal((3, 1)))
    x = np.arange(3.0)
    with tf.GradientTape() as tape:
        op = L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag(tf.cast(d, tf.float64)), u)
        y = tf.reduce_sum(op.solvevec(x)) + op.log_abs_determinant()
    gd, gu = tape.gradient(y, [d, u])

    # central differences on the dense formula
    def f(dv, uv):
        m = np.diag(dv) + uv @ uv.T
        return np.linalg.solve(m, x).sum() + np.linalg.slogdet(m)[1]

    eps = 1e-6
    for i in range(3):
        e = np.zeros(3)
        e[i] = eps
        fd = (f(d.numpy() + e, u.numpy()) - f(d.numpy() - e, u.numpy())) / (2 * eps)
        np.testing.assert_allclose(gd.numpy()[i], fd, rtol=1e-4)
    e = np.zeros((3, 1))
    e[1, 0] = eps
    fd = (f(d.numpy(), u.numpy() + e) - f(d.numpy(), u.numpy() - e)) / (2 * eps)
    np.testing.assert_allclose(gu.numpy()[1, 0], fd, rtol=1e-5)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_block_circulant_against_convolution(depth):
    cls = {
        1: L.LinearOperatorCirculant,
        2: L.LinearOperatorCirculant2D,
        3: L.LinearOperatorCirculant3D,
    }
    dims = (4, 3, 2)[:depth]
    spectrum = R.standard_normal(dims) + 1j * R.standard_normal(dims) + 4
    op = cls[depth](spectrum, input_output_dtype=tf.complex128)
    size = int(np.prod(dims))
    assert op.shape == (size, size) and op.block_depth == depth
    # applying the operator is periodic convolution: ifftn(spectrum * fftn(x))
    x = R.standard_normal(dims) + 1j * R.standard_normal(dims)
    want = np.fft.ifftn(spectrum * np.fft.fftn(x)).reshape(-1)
    np.testing.assert_allclose(op.matvec(x.reshape(-1)).numpy(), want, atol=1e-12)
    np.testing.assert_allclose(op.determinant().numpy(), np.prod(spectrum), rtol=1e-10)
    dense = op.to_dense().numpy()
    np.testing.assert_allclose(op.solvevec(want).numpy(), x.reshape(-1), atol=1e-10)
    np.testing.assert_allclose(op.adjoint().to_dense().numpy(), np.conj(dense.T), atol=1e-12)


def test_conjugate_gradient():
    spd = _spd(4, (2,))
    op = L.LinearOperatorFullMatrix(spd, is_self_adjoint=True, is_positive_definite=True)
    rhs = R.standard_normal((2, 4))
    state = L.experimental.conjugate_gradient(op, rhs, tol=1e-12, max_iter=50)
    np.testing.assert_allclose(state.x.numpy(), np.linalg.solve(spd, rhs[..., None])[..., 0])
    assert int(state.i.numpy()) <= 6 and type(state).__name__ == "CGState"
    # TensorFlow 2.21: two steps from zero on [[4,1,0],[1,3,1],[0,1,2]], rhs [1, 2, 3]
    small = L.LinearOperatorFullMatrix(
        np.array([[4.0, 1, 0], [1, 3, 1], [0, 1, 2]]),
        is_self_adjoint=True,
        is_positive_definite=True,
    )
    two = L.experimental.conjugate_gradient(small, np.array([1.0, 2, 3]), max_iter=2)
    np.testing.assert_allclose(two.x.numpy(), [0.04923077, 0.32923077, 1.30153846], rtol=1e-7)
    assert int(two.i.numpy()) == 2
    with pytest.raises(ValueError, match="self-adjoint, positive definite"):
        L.experimental.conjugate_gradient(L.LinearOperatorFullMatrix(spd), rhs)


def test_variables_are_collected():
    v = tf.Variable([1.0, 2.0])
    w = tf.Variable([[1.0, 0.0], [0.0, 1.0]], trainable=False)
    op = L.LinearOperatorComposition([L.LinearOperatorDiag(v), L.LinearOperatorFullMatrix(w)])
    assert len(op.variables) == 2
    assert op.trainable_variables == (v,)
    assert L.LinearOperatorIdentity(2).variables == ()


def test_block_operators_take_and_return_blockwise_lists():
    # TF's LinearOperatorBlockLowerTriangular docstring: batch shapes of the blocks broadcast
    rng = np.random.default_rng(0)
    L = tf.linalg
    o44 = L.LinearOperatorFullMatrix(tf.constant(rng.normal(size=[2, 3, 4, 4]), tf.float32))
    o54 = L.LinearOperatorFullMatrix(tf.constant(rng.normal(size=[1, 3, 5, 4]), tf.float32))
    m55 = tf.constant(rng.normal(size=[1, 3, 5, 5]), tf.float32) + 5 * tf.eye(5)
    op = L.LinearOperatorBlockLowerTriangular([[o44], [o54, L.LinearOperatorFullMatrix(m55)]])
    x4 = tf.constant(rng.normal(size=[2, 1, 4]), tf.float32)
    x5 = tf.constant(rng.normal(size=[2, 3, 5]), tf.float32)
    y = op.matvec([x4, x5])
    assert isinstance(y, list) and [tuple(b.shape) for b in y] == [(2, 3, 4), (2, 3, 5)]
    whole = op.matvec(tf.concat([tf.broadcast_to(x4, [2, 3, 4]), x5], -1))
    np.testing.assert_allclose(tf.concat(y, -1).numpy(), whole.numpy(), rtol=1e-5)
    back = op.solvevec(y)
    np.testing.assert_allclose(back[1].numpy(), x5.numpy(), rtol=1e-3, atol=1e-3)
    cols = op.matmul([tf.ones([2, 3, 4, 2]), tf.ones([2, 3, 5, 2])])
    assert [tuple(b.shape) for b in cols] == [(2, 3, 4, 2), (2, 3, 5, 2)]
    diag = L.LinearOperatorBlockDiag(
        [L.LinearOperatorDiag([1.0, 2.0]), L.LinearOperatorDiag([3.0])]
    )
    parts = diag.matvec([tf.constant([1.0, 1.0]), tf.constant([2.0])])
    assert [p.numpy().tolist() for p in parts] == [[1.0, 2.0], [6.0]]
    assert diag.matvec(tf.constant([1.0, 1.0, 2.0])).numpy().tolist() == [1.0, 2.0, 6.0]
