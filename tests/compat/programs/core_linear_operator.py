# tf.linalg.LinearOperator: structured matrices used through one interface (matmul, solve,
# determinants, composition), as in a Gaussian-process or normalizing-flow model.
import numpy as np
import tensorflow as tf

L = tf.linalg
rng = np.random.default_rng(0)
u = tf.constant(rng.standard_normal((4, 2)), tf.float64)
noise = L.LinearOperatorDiag(tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64))
cov = L.LinearOperatorLowRankUpdate(noise, u)  # D + U U^T
dense = np.diag([1.0, 2.0, 3.0, 4.0]) + u.numpy() @ u.numpy().T
assert cov.shape == (4, 4) and cov.is_self_adjoint
np.testing.assert_allclose(cov.to_dense().numpy(), dense, atol=1e-12)
y = tf.constant([1.0, -1.0, 0.5, 2.0], tf.float64)
np.testing.assert_allclose(cov.solvevec(y).numpy(), np.linalg.solve(dense, y.numpy()), atol=1e-10)
np.testing.assert_allclose(cov.log_abs_determinant().numpy(), np.linalg.slogdet(dense)[1])

# operator algebra stays structured
diag = L.LinearOperatorDiag([2.0, 4.0])
assert isinstance(diag.inverse(), L.LinearOperatorDiag)
assert isinstance(diag @ diag, L.LinearOperatorDiag)
np.testing.assert_allclose((diag @ diag).diag.numpy(), [4.0, 16.0])
full = L.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
comp = L.LinearOperatorComposition([full, diag])
np.testing.assert_allclose(comp.to_dense().numpy(), [[2.0, 8.0], [6.0, 16.0]])
np.testing.assert_allclose(comp.determinant().numpy(), -2.0 * 8.0, rtol=1e-6)
np.testing.assert_allclose(full.matmul(tf.ones([2, 1]), adjoint=True).numpy(), [[4.0], [6.0]])
np.testing.assert_allclose(full.adjoint().to_dense().numpy(), [[1.0, 3.0], [2.0, 4.0]])
inv = full.inverse()
np.testing.assert_allclose(inv.matvec([1.0, 0.0]).numpy(), [-2.0, 1.5], rtol=1e-6)

ident = L.LinearOperatorIdentity(3, batch_shape=[2])
assert ident.shape == (2, 3, 3) and ident.batch_shape == (2,)
scaled = L.LinearOperatorScaledIdentity(3, 2.0)
np.testing.assert_allclose(scaled.determinant().numpy(), 8.0)
block = L.LinearOperatorBlockDiag([full, diag])
assert block.shape == (4, 4)
np.testing.assert_allclose(block.matvec([1.0, 1.0, 1.0, 1.0]).numpy(), [3.0, 7.0, 2.0, 4.0])
kron = L.LinearOperatorKronecker([full, diag])
np.testing.assert_allclose(
    kron.to_dense().numpy(), np.kron(full.to_dense().numpy(), np.diag([2.0, 4.0]))
)
tril = L.LinearOperatorLowerTriangular([[2.0, 9.0], [1.0, 4.0]])
np.testing.assert_allclose(tril.solvevec([2.0, 5.0]).numpy(), [1.0, 1.0])
perm = L.LinearOperatorPermutation([2, 0, 1])
np.testing.assert_allclose(perm.matvec([10.0, 20.0, 30.0]).numpy(), [30.0, 10.0, 20.0])
house = L.LinearOperatorHouseholder([1.0, 0.0])
np.testing.assert_allclose(house.to_dense().numpy(), [[-1.0, 0.0], [0.0, 1.0]])
toep = L.LinearOperatorToeplitz(col=[1.0, 2.0, 3.0], row=[1.0, 4.0, 5.0])
np.testing.assert_allclose(toep.to_dense().numpy()[0], [1.0, 4.0, 5.0])
circ = L.LinearOperatorCirculant(tf.constant([3.0, 1.0, 1.0]), input_output_dtype=tf.float32)
# kernel ifft([3, 1, 1]) = [5/3, 2/3, 2/3]
np.testing.assert_allclose(circ.to_dense().numpy(), np.full((3, 3), 2 / 3) + np.eye(3), atol=1e-6)
tri = L.LinearOperatorTridiag([[1.0, 1.0, 0.0], [4.0, 4.0, 4.0], [0.0, 1.0, 1.0]])
np.testing.assert_allclose(tri.matvec([1.0, 1.0, 1.0]).numpy(), [5.0, 6.0, 5.0])
zeros = L.LinearOperatorZeros(2)
np.testing.assert_allclose(zeros.add_to_tensor(tf.ones([2, 2])).numpy(), np.ones((2, 2)))
try:
    full.matmul(tf.ones([3, 1]))
    raise AssertionError("expected a shape error")
except ValueError:
    pass

# gradients flow into the tensors an operator holds
scale = tf.Variable([1.0, 2.0])
with tf.GradientTape() as tape:
    loss = L.LinearOperatorDiag(scale).log_abs_determinant()
np.testing.assert_allclose(tape.gradient(loss, scale).numpy(), [1.0, 0.5])
print("linear operators ok")
