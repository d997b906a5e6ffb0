# Special functions of tf.math: lgamma, digamma, erfinv, ndtri, bessel_i0e/i1e, polyval.
import math

import numpy as np
import tensorflow as tf

x = tf.constant([0.5, 1.0, 3.5, 10.0], tf.float64)
np.testing.assert_allclose(
    tf.math.lgamma(x).numpy(), [math.lgamma(v) for v in x.numpy()], rtol=1e-12
)
euler = 0.5772156649015329
np.testing.assert_allclose(tf.math.digamma(tf.constant([1.0], tf.float64)).numpy(), [-euler])

y = tf.constant([-0.9, -0.1, 0.0, 0.5, 0.99], tf.float64)
inv = tf.math.erfinv(y)
np.testing.assert_allclose([math.erf(v) for v in inv.numpy()], y.numpy(), atol=1e-12)
np.testing.assert_allclose(
    tf.math.ndtri(tf.constant([0.5, 0.975])).numpy(), [0.0, 1.959964], rtol=1e-6
)

# exponentially scaled Bessel functions stay finite where exp(|x|) overflows
large = tf.math.bessel_i0e(tf.constant([0.0, 1.0, 800.0]))
np.testing.assert_allclose(large.numpy(), [1.0, 0.4657596, 1 / np.sqrt(2 * np.pi * 800)], rtol=2e-4)
np.testing.assert_allclose(tf.math.bessel_i1e(tf.constant([0.0, 1.0])).numpy(), [0.0, 0.2079104])

# derivatives: d/dx lgamma = digamma
v = tf.Variable([2.5, 4.0])
with tf.GradientTape() as tape:
    total = tf.reduce_sum(tf.math.lgamma(v))
np.testing.assert_allclose(tape.gradient(total, v).numpy(), tf.math.digamma(v).numpy(), rtol=1e-5)

assert float(tf.math.polyval([2.0, -3.0, 1.0], tf.constant(4.0))) == 21.0
print("special math ok")
