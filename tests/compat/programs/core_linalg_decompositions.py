# Matrix decompositions and functions of tf.linalg: LU and its solvers, expm / logm / sqrtm,
# the general eigenproblem, tridiagonal and banded systems, and the special functions
# tf.math added beside them.
import numpy as np
import tensorflow as tf

a = tf.constant([[4.0, 3.0, 2.0], [2.0, 1.0, 3.0], [3.0, 2.0, 1.0]], tf.float64)
b = tf.constant([[1.0], [2.0], [3.0]], tf.float64)

lu, perm = tf.linalg.lu(a)
assert perm.dtype == tf.int32
np.testing.assert_allclose(tf.linalg.lu_reconstruct(lu, perm).numpy(), a.numpy(), atol=1e-12)
x = tf.linalg.lu_solve(lu, perm, b)
np.testing.assert_allclose(tf.matmul(a, x).numpy(), b.numpy(), atol=1e-12)
np.testing.assert_allclose(
    tf.linalg.lu_matrix_inverse(lu, perm).numpy(), np.linalg.inv(a.numpy()), atol=1e-12
)

# expm of a rotation generator is a rotation; logm takes it back (complex, as TF needs)
theta = 0.6
gen = tf.constant([[0.0, -theta], [theta, 0.0]], tf.float64)
rot = tf.linalg.expm(gen)
np.testing.assert_allclose(
    rot.numpy(), [[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], atol=1e-12
)
back = tf.linalg.logm(tf.cast(rot, tf.complex128))
np.testing.assert_allclose(back.numpy(), gen.numpy(), atol=1e-10)

spd = tf.constant([[5.0, 2.0], [2.0, 3.0]], tf.float64)
root = tf.linalg.sqrtm(spd)
np.testing.assert_allclose(tf.matmul(root, root).numpy(), spd.numpy(), atol=1e-12)
np.testing.assert_allclose(tf.linalg.matrix_transpose(root).numpy(), root.numpy(), atol=1e-12)

# the gradient of trace(expm(t * A)) in t is trace(A expm(t A))
t = tf.Variable(0.5, dtype=tf.float64)
with tf.GradientTape() as tape:
    total = tf.linalg.trace(tf.linalg.expm(t * a))
want = tf.linalg.trace(tf.matmul(a, tf.linalg.expm(0.5 * a)))
np.testing.assert_allclose(tape.gradient(total, t).numpy(), want.numpy(), rtol=1e-8)

e, v = tf.linalg.eig(a)
assert e.dtype == tf.complex128 and v.dtype == tf.complex128
ac = tf.cast(a, tf.complex128)
np.testing.assert_allclose(tf.matmul(ac, v).numpy(), (v * e[None, :]).numpy(), atol=1e-10)
ev = tf.linalg.eigvals(tf.constant([[0.0, 1.0], [-1.0, 0.0]]))
np.testing.assert_allclose(sorted(ev.numpy().imag), [-1.0, 1.0], atol=1e-6)

# tridiagonal: compact rows (superdiagonal, diagonal, subdiagonal)
diags = tf.constant([[1.0, 1.0, 0.0], [4.0, 4.0, 4.0], [0.0, 1.0, 1.0]], tf.float64)
rhs = tf.constant([1.0, 2.0, 3.0], tf.float64)
dense = np.array([[4.0, 1.0, 0.0], [1.0, 4.0, 1.0], [0.0, 1.0, 4.0]])
sol = tf.linalg.tridiagonal_solve(diags, rhs)
np.testing.assert_allclose(sol.numpy(), np.linalg.solve(dense, rhs.numpy()), atol=1e-12)
prod = tf.linalg.tridiagonal_matmul(diags, tf.reshape(rhs, [3, 1]))
np.testing.assert_allclose(prod.numpy()[:, 0], dense @ rhs.numpy(), atol=1e-12)
w = tf.linalg.eigh_tridiagonal(
    tf.constant([4.0, 4.0, 4.0], tf.float64), tf.constant([1.0, 1.0], tf.float64)
)
np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(dense), atol=1e-10)

bands = tf.constant([[2.0, 2.0, 2.0], [0.0, 1.0, 1.0]], tf.float64)  # diagonal, subdiagonal
y = tf.linalg.banded_triangular_solve(bands, tf.ones([3, 1], tf.float64))
lower = np.array([[2.0, 0, 0], [1, 2, 0], [0, 1, 2]])
np.testing.assert_allclose(y.numpy(), np.linalg.solve(lower, np.ones((3, 1))), atol=1e-12)

d = tf.linalg.tensor_diag(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
assert d.shape == (2, 2, 2, 2)
np.testing.assert_allclose(tf.linalg.tensor_diag_part(d).numpy(), [[1.0, 2.0], [3.0, 4.0]])

# tf.math functions beside them
x64 = tf.constant([0.5, 2.0, 6.0], tf.float64)
np.testing.assert_allclose(tf.math.igamma(1.0 + 0 * x64, x64).numpy(), 1 - np.exp(-x64.numpy()))
np.testing.assert_allclose(
    (tf.math.igamma(3.0 + 0 * x64, x64) + tf.math.igammac(3.0 + 0 * x64, x64)).numpy(), 1.0
)
np.testing.assert_allclose(
    tf.math.betainc(2.0 + 0 * x64, 1.0 + 0 * x64, x64 / 10).numpy(), (x64.numpy() / 10) ** 2
)
np.testing.assert_allclose(
    tf.math.zeta(tf.constant(2.0, tf.float64), tf.constant(1.0, tf.float64)).numpy(), np.pi**2 / 6
)
np.testing.assert_allclose(
    tf.math.polygamma(tf.constant(1.0, tf.float64), tf.constant(1.0, tf.float64)).numpy(),
    np.pi**2 / 6,
)
np.testing.assert_allclose(tf.math.erfc(tf.math.erfcinv(x64 / 4)).numpy(), x64.numpy() / 4)
cl = tf.math.cumulative_logsumexp(tf.constant([0.0, 0.0, 0.0]), exclusive=True)
np.testing.assert_allclose(cl.numpy(), [-np.inf, 0.0, np.log(2.0)], rtol=1e-6)
np.testing.assert_allclose(tf.math.accumulate_n([tf.ones([2]), tf.ones([2])]).numpy(), [2.0, 2.0])
top = tf.math.approx_max_k(tf.constant([[3.0, 9.0, 1.0, 7.0]]), 2)
assert top[0].numpy().tolist() == [[9.0, 7.0]] and top[1].numpy().tolist() == [[1, 3]]
step = tf.math.nextafter(tf.constant([1.0], tf.float64), tf.constant([2.0], tf.float64))
assert step.numpy()[0] == 1.0 + np.finfo(np.float64).eps
print("linalg decompositions ok")
