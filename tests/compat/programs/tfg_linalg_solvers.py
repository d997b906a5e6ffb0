"""tf.linalg: band_part, triangular_solve, lstsq, expm, logdet, eigh, and friends."""

import numpy as np
import tensorflow as tf

m = tf.reshape(tf.range(1.0, 17.0), [4, 4])
mn = m.numpy()
np.testing.assert_array_equal(tf.linalg.band_part(m, 0, -1), np.triu(mn))
np.testing.assert_array_equal(tf.linalg.band_part(m, -1, 0), np.tril(mn))
np.testing.assert_array_equal(tf.linalg.band_part(m, 1, 1), np.triu(np.tril(mn, 1), -1))
np.testing.assert_array_equal(tf.linalg.band_part(m, 0, 0), np.diag(np.diag(mn)))
np.testing.assert_array_equal(tf.linalg.diag_part(m, k=1), [2.0, 7.0, 12.0])
np.testing.assert_array_equal(tf.linalg.set_diag(m, tf.zeros(4)), mn - np.diag(np.diag(mn)))
np.testing.assert_array_equal(tf.linalg.diag([1.0, 2.0], k=1), np.diag([1.0, 2.0], 1))

# Triangular solves, lower and upper, adjoint, several right-hand sides.
lower = tf.constant([[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [-1.0, 0.5, 4.0]])
rhs = tf.constant([[2.0, 1.0], [4.0, 0.0], [3.0, -2.0]])
sol = tf.linalg.triangular_solve(lower, rhs, lower=True)
np.testing.assert_allclose(lower @ sol, rhs, atol=1e-5)
sol_t = tf.linalg.triangular_solve(lower, rhs, lower=True, adjoint=True)
np.testing.assert_allclose(tf.transpose(lower) @ sol_t, rhs, atol=1e-5)
upper = tf.transpose(lower)
np.testing.assert_allclose(tf.linalg.triangular_solve(upper, rhs, lower=False), sol_t, atol=1e-5)
batched = tf.linalg.triangular_solve(tf.stack([lower, 2 * lower]), tf.stack([rhs, rhs]))
np.testing.assert_allclose(batched[1], sol / 2, atol=1e-5)

# Least squares: exact for consistent systems, l2_regularizer shrinks the solution.
a = tf.constant([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]], tf.float64)
b = tf.constant([[1.0], [3.0], [5.0], [7.0]], tf.float64)
coef = tf.linalg.lstsq(a, b)
np.testing.assert_allclose(coef[:, 0], [1.0, 2.0], atol=1e-10)
ridge = tf.linalg.lstsq(a, b, l2_regularizer=10.0)
ata = a.numpy().T @ a.numpy()
expected = np.linalg.solve(ata + 10.0 * np.eye(2), a.numpy().T @ b.numpy())
np.testing.assert_allclose(ridge, expected, atol=1e-8)
assert float(tf.norm(ridge)) < float(tf.norm(coef))
wide = tf.linalg.lstsq(tf.transpose(a), tf.constant([[1.0], [2.0]], tf.float64))
np.testing.assert_allclose(tf.transpose(a) @ wide, [[1.0], [2.0]], atol=1e-8)

# expm, logm-free checks, logdet and slogdet of an SPD matrix.
z = tf.zeros([3, 3])
np.testing.assert_allclose(tf.linalg.expm(z), np.eye(3), atol=1e-6)
rot = tf.constant([[0.0, -np.pi / 2], [np.pi / 2, 0.0]], tf.float64)
np.testing.assert_allclose(tf.linalg.expm(rot), [[0.0, -1.0], [1.0, 0.0]], atol=1e-10)
diag = tf.linalg.diag(tf.constant([1.0, 2.0], tf.float64))
np.testing.assert_allclose(tf.linalg.expm(diag), np.diag(np.exp([1.0, 2.0])), rtol=1e-10)
spd = tf.constant([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], tf.float64)
np.testing.assert_allclose(tf.linalg.logdet(spd), np.log(np.linalg.det(spd.numpy())), rtol=1e-10)
sign, logabs = tf.linalg.slogdet(tf.constant([[0.0, 2.0], [3.0, 0.0]]))
assert float(sign) == -1.0
np.testing.assert_allclose(logabs, np.log(6.0), rtol=1e-6)
chol = tf.linalg.cholesky(spd)
np.testing.assert_allclose(chol @ tf.transpose(chol), spd, atol=1e-12)
x = tf.linalg.cholesky_solve(chol, tf.constant([[1.0], [2.0], [3.0]], tf.float64))
np.testing.assert_allclose(spd @ x, [[1.0], [2.0], [3.0]], atol=1e-10)

# eigh: ascending eigenvalues, orthonormal eigenvectors; eigvalsh agrees.
e, v = tf.linalg.eigh(spd)
assert (np.diff(e.numpy()) > 0).all()
np.testing.assert_allclose(tf.transpose(v) @ v, np.eye(3), atol=1e-10)
np.testing.assert_allclose(spd @ v, v * e, atol=1e-10)
np.testing.assert_allclose(tf.linalg.eigvalsh(spd), e, atol=1e-12)
be, _ = tf.linalg.eigh(tf.stack([tf.eye(2), 3 * tf.eye(2)]))
np.testing.assert_allclose(be, [[1.0, 1.0], [3.0, 3.0]])

# Solvers, inverse, pinv, norms, traces, QR and SVD shapes.
np.testing.assert_allclose(tf.linalg.solve(spd, spd), np.eye(3), atol=1e-10)
np.testing.assert_allclose(tf.linalg.inv(spd) @ spd, np.eye(3), atol=1e-10)
pinv = tf.linalg.pinv(a)
np.testing.assert_allclose(pinv @ a, np.eye(2), atol=1e-10)
np.testing.assert_allclose(tf.linalg.trace(m), 34.0)
np.testing.assert_allclose(tf.norm(m, ord="fro", axis=[-2, -1]), np.linalg.norm(mn))
np.testing.assert_allclose(tf.norm(m, ord=1, axis=[-2, -1]), np.linalg.norm(mn, 1))
np.testing.assert_allclose(tf.norm(m, ord=np.inf, axis=[-2, -1]), np.linalg.norm(mn, np.inf))
q, r = tf.linalg.qr(a)
assert q.shape == (4, 2) and r.shape == (2, 2)
qf, rf = tf.linalg.qr(a, full_matrices=True)
assert qf.shape == (4, 4) and rf.shape == (4, 2)
s = tf.linalg.svd(a, compute_uv=False)
np.testing.assert_allclose(s, np.linalg.svd(a.numpy(), compute_uv=False), rtol=1e-10)
s2, u, vv = tf.linalg.svd(a)
np.testing.assert_allclose(u @ tf.linalg.diag(s2) @ tf.transpose(vv), a, atol=1e-10)
assert tf.linalg.matrix_transpose(tf.zeros([2, 3, 5])).shape == (2, 5, 3)
assert tf.linalg.matmul(tf.ones([2, 3]), tf.ones([2, 3]), transpose_b=True).shape == (2, 2)
# A matrix that is not positive definite factors to NaNs (no error); others are unharmed.
bad = tf.linalg.cholesky(tf.stack([tf.constant([[1.0, 2.0], [2.0, 1.0]]), 4.0 * tf.eye(2)]))
assert bool(tf.reduce_all(tf.math.is_nan(bad[0][:, 0])))
np.testing.assert_allclose(bad[1], 2.0 * np.eye(2))
try:
    tf.debugging.check_numerics(bad, "cholesky failed")
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("check_numerics should catch the NaN factor")
try:
    tf.linalg.inv(tf.zeros([2, 3]))
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("inverse of a non-square matrix should raise")
print("ok")
