# Linear algebra: matmul variants, inverse, determinant, solve, decompositions, norms.
import numpy as np
import tensorflow as tf

a = tf.constant([[4.0, 1.0], [2.0, 3.0]])
b = tf.constant([[1.0], [2.0]])
np.testing.assert_allclose(
    tf.linalg.matmul(a, a, transpose_b=True).numpy(), a.numpy() @ a.numpy().T
)
np.testing.assert_allclose(tf.linalg.matvec(a, tf.constant([1.0, 1.0])).numpy(), [5.0, 5.0])
inv = tf.linalg.inv(a)
np.testing.assert_allclose((a @ inv).numpy(), np.eye(2), atol=1e-6)
np.testing.assert_allclose(tf.linalg.det(a).numpy(), 10.0, rtol=1e-6)
sign, logdet = tf.linalg.slogdet(a)
np.testing.assert_allclose([sign.numpy(), logdet.numpy()], [1.0, np.log(10.0)], rtol=1e-6)
x = tf.linalg.solve(a, b)
np.testing.assert_allclose((a @ x).numpy(), b.numpy(), atol=1e-6)
spd = tf.constant([[4.0, 2.0], [2.0, 3.0]])
chol = tf.linalg.cholesky(spd)
np.testing.assert_allclose(tf.matmul(chol, chol, transpose_b=True).numpy(), spd.numpy(), atol=1e-6)
e, v = tf.linalg.eigh(spd)
np.testing.assert_allclose(e.numpy(), np.linalg.eigvalsh(spd.numpy()), rtol=1e-5)
np.testing.assert_allclose(
    (v @ tf.linalg.diag(e) @ tf.transpose(v)).numpy(), spd.numpy(), atol=1e-5
)
s, u, w = tf.linalg.svd(a)
np.testing.assert_allclose((u @ tf.linalg.diag(s) @ tf.transpose(w)).numpy(), a.numpy(), atol=1e-5)
q, r = tf.linalg.qr(a)
np.testing.assert_allclose((q @ r).numpy(), a.numpy(), atol=1e-5)
np.testing.assert_allclose(tf.linalg.trace(a).numpy(), 7.0)
np.testing.assert_allclose(tf.linalg.diag_part(a).numpy(), [4.0, 3.0])
np.testing.assert_allclose(tf.norm(a).numpy(), np.sqrt(30.0), rtol=1e-6)
np.testing.assert_allclose(tf.norm(a, ord=1, axis=[-2, -1]).numpy(), 6.0)
np.testing.assert_allclose(
    tf.linalg.band_part(tf.ones([3, 3]), 0, -1).numpy(), np.triu(np.ones((3, 3)))
)
batch = tf.random.normal([5, 3, 4], seed=1)
assert tf.matmul(batch, tf.ones([4, 2])).shape == (5, 3, 2)
np.testing.assert_allclose(
    tf.einsum("bij,jk->bik", batch, tf.ones([4, 2])).numpy(),
    tf.matmul(batch, tf.ones([4, 2])).numpy(),
    rtol=1e-5,
)
np.testing.assert_allclose(tf.tensordot(a, a, axes=1).numpy(), (a @ a).numpy())
np.testing.assert_allclose(tf.einsum("ij,ij->", a, a).numpy(), 30.0)
print("ok")
