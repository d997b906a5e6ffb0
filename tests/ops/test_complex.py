"""Complex tensors: dtypes, creation, promotion, arithmetic, real/imag/angle/conj/abs,
casts, refusals where TensorFlow has no order, gradients through complex values with
TensorFlow's convention, and the clear error where an op has no complex gradient yet."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

ZN = np.array([[1 + 2j, -3 + 0.5j], [0.25 - 1j, 2 + 0j]], np.complex64)


def test_dtypes_and_creation():
    assert tf.complex64.is_complex and not tf.complex64.is_floating
    assert tf.complex64.real_dtype == tf.float32 and tf.complex128.real_dtype == tf.float64
    assert tf.as_dtype("complex128") is tf.complex128 and tf.complex64.size == 8
    assert tf.constant(1 + 2j).dtype == tf.complex128  # Python complex: complex128, as TF
    assert tf.constant(ZN).dtype == tf.complex64
    assert tf.zeros([2], tf.complex64).dtype == tf.complex64
    z = tf.complex(tf.constant([1.0, 2.0]), tf.constant([3.0, -4.0]))
    assert z.dtype == tf.complex64
    np.testing.assert_array_equal(z.numpy(), [1 + 3j, 2 - 4j])
    z64 = tf.complex(tf.constant([1.0], tf.float64), 2 * tf.ones([1], tf.float64))
    assert z64.dtype == tf.complex128


def test_arithmetic_matches_numpy():
    z = tf.constant(ZN)
    w = tf.constant(ZN.T.copy())
    for got, want in [
        (z * z + z / (z + 1), ZN * ZN + ZN / (ZN + 1)),
        (z - 2.5j, ZN - 2.5j),
        (tf.matmul(z, w), ZN @ ZN.T),
        (tf.reduce_sum(z, axis=1), ZN.sum(axis=1)),
        (tf.reduce_mean(z), ZN.mean()),
        (tf.exp(z), np.exp(ZN)),
        (tf.sqrt(z), np.sqrt(ZN)),
        (tf.transpose(z), ZN.T),
        (tf.concat([z, z], 0), np.concatenate([ZN, ZN])),
    ]:
        assert got.dtype == tf.complex64
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
    # as TensorFlow, a complex64 tensor and a float64 tensor do not add (no implicit cast)
    with pytest.raises(tf.errors.InvalidArgumentError, match="complex64.*float64"):
        z + tf.constant([1.0, 2.0], tf.float64)


def test_parts_and_casts():
    z = tf.constant(ZN)
    np.testing.assert_array_equal(tf.math.real(z).numpy(), ZN.real)
    np.testing.assert_array_equal(tf.math.imag(z).numpy(), ZN.imag)
    np.testing.assert_allclose(tf.math.angle(z).numpy(), np.angle(ZN), rtol=1e-6)
    np.testing.assert_array_equal(tf.math.conj(z).numpy(), np.conj(ZN))
    np.testing.assert_allclose(tf.abs(z).numpy(), np.abs(ZN), rtol=1e-6)
    assert tf.math.real(z).dtype == tf.float32 and tf.abs(z).dtype == tf.float32
    x = tf.constant([-1.0, 2.0])
    assert tf.math.real(x) is x and tf.math.conj(x) is x
    assert tf.math.imag(x).numpy().tolist() == [0.0, 0.0]
    np.testing.assert_allclose(tf.math.angle(x).numpy(), [np.pi, 0.0])  # as TF for reals
    np.testing.assert_array_equal(tf.cast(z, tf.float32).numpy(), ZN.real)  # TF: real part
    assert tf.cast(x, tf.complex128).numpy().tolist() == [-1 + 0j, 2 + 0j]


def test_parts_of_a_scalar_stay_scalars():
    z = tf.complex(3.0, 4.0)
    for part, want in ((tf.math.real, 3.0), (tf.math.imag, 4.0), (tf.math.conj, 3 - 4j)):
        got = part(z)
        assert got.shape == () and got.numpy() == want
    assert tf.math.angle(z).shape == () and tf.abs(z).shape == ()


def test_refusals():
    z = tf.constant(ZN)
    with pytest.raises(TypeError, match="complex numbers are not supported"):
        tf.constant([1 + 2j], dtype=tf.float32)
    with pytest.raises(TypeError, match="multiply: complex numbers are not supported"):
        tf.constant([1.0]) * 1j
    for fn in (tf.reduce_max, tf.argmax, tf.sort, tf.nn.relu, lambda t: tf.maximum(t, t)):
        with pytest.raises(tf.errors.InvalidArgumentError, match="complex tensors have no order"):
            fn(z)
    with pytest.raises(tf.errors.InvalidArgumentError, match="complex tensors have no order"):
        _ = z < z
    with pytest.raises(tf.errors.InvalidArgumentError, match="float32 or both float64"):
        tf.complex(tf.constant([1.0]), tf.constant([1.0], tf.float64))


def test_gradients_through_complex_values():
    # expected values from TensorFlow 2.21 (the gradient of z is conj(dL/dz))
    x = tf.Variable([1.0, -2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.abs(tf.complex(x, x)))
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), [2**0.5, -(2**0.5)], rtol=1e-6)
    with tf.GradientTape() as tape:
        z = tf.complex(x, 2 * x)
        conj_ratio = tf.math.conj(z) / tf.complex(3.0, 1.0)
        loss = tf.reduce_sum(tf.math.imag(conj_ratio) + tf.math.real(z * z))
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), [-6.7, 11.3], rtol=1e-5)
    a = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    w = tf.constant([[1 + 1j, 2j], [0.5, -1j]], tf.complex64)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.math.real(tf.matmul(tf.cast(a, tf.complex64), w)))
    np.testing.assert_allclose(tape.gradient(loss, a).numpy(), [[1, 0.5], [1, 0.5]])
    with tf.GradientTape() as tape:
        z = tf.cast(tf.reshape(a, [1, 2, 2]), tf.complex64)
        scaled = tf.signal.ifft2d(z) * tf.constant(1 + 2j, tf.complex64)
        loss = tf.reduce_sum(tf.math.imag(scaled) + tf.math.real(tf.signal.fft2d(z)) * a.numpy())
    np.testing.assert_allclose(tape.gradient(loss, a).numpy(), [[12, -2], [-4, 0]], atol=1e-5)


def test_fft_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(2, 3, 4))
    weights = rng.normal(size=(2, 3, 4))

    def loss_of(values):
        z = tf.cast(values, tf.complex128)
        spectrum = tf.signal.fft(z) + tf.signal.ifft2d(z) * tf.constant(0.5 - 1j)
        return tf.reduce_sum(tf.math.real(spectrum) * weights + tf.math.imag(spectrum) ** 2)

    x = tf.Variable(base)
    with tf.GradientTape() as tape:
        loss = loss_of(x)
    grad = tape.gradient(loss, x).numpy()
    numeric = np.zeros_like(base)
    for i in np.ndindex(base.shape):
        step = np.zeros_like(base)
        step[i] = 1e-6
        up, down = loss_of(tf.constant(base + step)), loss_of(tf.constant(base - step))
        numeric[i] = (float(up) - float(down)) / 2e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


def test_gradients_through_complex_values_raise_where_unsupported():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.math.real(tf.exp(tf.cast(x, tf.complex64))))
    with pytest.raises(NotImplementedError, match="Exp: gradients through complex values"):
        tape.gradient(loss, x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.math.angle(tf.complex(x, x)))
    with pytest.raises(NotImplementedError, match="Angle: gradients through complex values"):
        tape.gradient(loss, x)
    z = tf.Variable(tf.constant(ZN))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.abs(z))
    with pytest.raises(NotImplementedError, match="with respect to complex tensors"):
        tape.gradient(loss, z)


def test_complex_ops_inside_function():
    @tf.function
    def spectrum(x):
        return tf.abs(tf.signal.rfft(x))

    for scale in (1.0, 3.0):
        x = np.sin(np.arange(16) * 0.5).astype(np.float32) * scale
        np.testing.assert_allclose(
            spectrum(tf.constant(x)).numpy(), np.abs(np.fft.rfft(x)), rtol=1e-4, atol=1e-5
        )
