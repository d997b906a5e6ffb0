"""Keras 3.15's associative_scan, cholesky_inverse, eig, lu_factor and jvp through
tf.keras.ops, against NumPy and sequential loops."""

import numpy as np
import tensorflow as tf

ops = tf.keras.ops
rng = np.random.default_rng(4)


def check(value, expected, atol=1e-4):
    np.testing.assert_allclose(ops.convert_to_numpy(value), expected, rtol=1e-4, atol=atol)


x = rng.normal(size=(9, 3)).astype("float32")
check(ops.associative_scan(lambda a, b: a + b, x), np.cumsum(x, axis=0))
check(ops.associative_scan(lambda a, b: a + b, x, reverse=True), np.cumsum(x[::-1], 0)[::-1])
check(ops.associative_scan(ops.maximum, x, axis=1), np.maximum.accumulate(x, axis=1))
# Composition of affine maps y -> a * y + b: associative, not commutative.
a, b = rng.normal(size=6).astype("float32"), rng.normal(size=6).astype("float32")
scanned = ops.associative_scan(lambda p, q: (q[0] * p[0], q[0] * p[1] + q[1]), (a, b))
y, ys = 0.0, []
for ai, bi in zip(a, b):
    y = ai * y + bi
    ys.append(y)
check(scanned[1], ys)

m = rng.normal(size=(3, 3)).astype("float32")
spd = m @ m.T + 3 * np.eye(3, dtype="float32")
low = np.linalg.cholesky(spd).astype("float32")
check(ops.cholesky_inverse(low), np.linalg.inv(spd))
check(ops.cholesky_inverse(low.T, upper=True), np.linalg.inv(spd))

values, vectors = ops.eig(spd)
np.testing.assert_allclose(
    np.sort(ops.convert_to_numpy(values).real), np.linalg.eigvalsh(spd), rtol=1e-4
)
vecs = ops.convert_to_numpy(vectors)
np.testing.assert_allclose(spd @ vecs, vecs * ops.convert_to_numpy(values), atol=1e-4)

g = rng.normal(size=(4, 4)).astype("float32")
lu, pivots = ops.lu_factor(g)
lu, pivots = ops.convert_to_numpy(lu), ops.convert_to_numpy(pivots)
rebuilt = (np.tril(lu, -1) + np.eye(4)) @ np.triu(lu)
np.testing.assert_allclose(g, rebuilt[pivots], atol=1e-5)

primal = (tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]))
tangent = (tf.constant([1.0, 0.0]), tf.constant([0.0, 1.0]))
out, jvp_out = ops.jvp(lambda u, v: u * v + ops.sin(u), primal, tangent)
check(out, [3.0 + np.sin(1.0), 8.0 + np.sin(2.0)])
check(jvp_out, [3.0 + np.cos(1.0), 2.0])
_, jvp_sq, aux = ops.jvp(
    lambda u: (u**2, "aux"), (tf.constant([3.0]),), (tf.constant([1.0]),), has_aux=True
)
check(jvp_sq, [6.0])
assert aux == "aux"
print("ok")
