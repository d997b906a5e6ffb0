# Complex tensors: creation, arithmetic, parts, magnitudes and phases, casts.
import numpy as np
import tensorflow as tf

real = tf.constant([1.0, -2.0, 0.5])
imag = tf.constant([2.0, 0.0, -1.5])
z = tf.complex(real, imag)
assert z.dtype == tf.complex64 and z.dtype.is_complex
assert z.dtype.real_dtype == tf.float32
zn = np.array([1 + 2j, -2 + 0j, 0.5 - 1.5j], np.complex64)
np.testing.assert_allclose(z.numpy(), zn)

np.testing.assert_allclose(tf.math.real(z).numpy(), real.numpy())
np.testing.assert_allclose(tf.math.imag(z).numpy(), imag.numpy())
np.testing.assert_allclose(tf.abs(z).numpy(), np.abs(zn), rtol=1e-6)
np.testing.assert_allclose(tf.math.angle(z).numpy(), np.angle(zn), rtol=1e-6)
np.testing.assert_allclose(tf.math.conj(z).numpy(), np.conj(zn))

product = z * tf.math.conj(z)  # |z|^2 on the real axis
np.testing.assert_allclose(tf.math.real(product).numpy(), np.abs(zn) ** 2, rtol=1e-6)
np.testing.assert_allclose(tf.math.imag(product).numpy(), [0.0, 0.0, 0.0], atol=1e-6)
np.testing.assert_allclose((z / (z + 1)).numpy(), zn / (zn + 1), rtol=1e-6)
np.testing.assert_allclose(tf.exp(z).numpy(), np.exp(zn), rtol=1e-5)
np.testing.assert_allclose(tf.reduce_sum(z).numpy(), zn.sum(), rtol=1e-6)
m = tf.reshape(tf.complex(tf.range(4.0), tf.ones([4])), [2, 2])
np.testing.assert_allclose(tf.matmul(m, m).numpy(), m.numpy() @ m.numpy(), rtol=1e-6)

c128 = tf.constant([1 + 1j])
assert c128.dtype == tf.complex128
assert tf.cast(tf.constant([3.0]), tf.complex64).numpy().tolist() == [3 + 0j]
np.testing.assert_allclose(tf.math.real(tf.cast(c128, tf.complex64)).numpy(), [1.0])
assert tf.as_dtype("complex64") == tf.complex64

# Euler's formula on the unit circle
theta = tf.constant([0.0, np.pi / 2, np.pi], tf.float64)
unit = tf.exp(tf.complex(tf.zeros_like(theta), theta))
np.testing.assert_allclose(tf.math.real(unit).numpy(), np.cos(theta.numpy()), atol=1e-12)
np.testing.assert_allclose(tf.math.imag(unit).numpy(), np.sin(theta.numpy()), atol=1e-12)
print("complex ok")
