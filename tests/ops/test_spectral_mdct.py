"""tf.signal Kaiser / KBD / Vorbis windows and the MDCT (values from TensorFlow 2.21)."""

import numpy as np
import pytest

import gpuflow as tf


def test_windows():
    np.testing.assert_allclose(
        tf.signal.kaiser_window(6, beta=5.0).numpy(),
        [0.03671, 0.4149, 0.91381, 0.91381, 0.4149, 0.03671],
        atol=1e-5,
    )
    np.testing.assert_allclose(
        tf.signal.kaiser_window(7, beta=3.0).numpy(), np.kaiser(7, 3.0), rtol=1e-6
    )
    assert tf.signal.kaiser_window(1).numpy().tolist() == [1.0]
    kbd = tf.signal.kaiser_bessel_derived_window(8, beta=4.0).numpy()
    np.testing.assert_allclose(kbd[:4], [0.19028, 0.54351, 0.8394, 0.98173], atol=1e-5)
    np.testing.assert_allclose(kbd[:4] ** 2 + kbd[4:] ** 2, 1.0, atol=1e-6)  # Princen-Bradley
    vorbis = tf.signal.vorbis_window(6, dtype=tf.float64)
    assert vorbis.dtype == tf.float64
    np.testing.assert_allclose(vorbis.numpy()[:3], [0.10503, 0.70711, 0.99447], atol=1e-5)


def test_mdct_and_its_inverse():
    x = np.random.default_rng(0).normal(size=(2, 64)).astype(np.float32)
    m = tf.signal.mdct(x, 16)
    assert m.shape == (2, 7, 8)
    np.testing.assert_allclose(m.numpy()[0, 1, :4], [0.674, -7.4673, -0.4563, -1.3813], atol=1e-3)
    back = tf.signal.inverse_mdct(m)
    np.testing.assert_allclose(back.numpy()[:, 8:-8], x[:, 8:-8], atol=1e-4)
    ortho = tf.signal.mdct(x, 16, norm="ortho", window_fn=tf.signal.kaiser_bessel_derived_window)
    again = tf.signal.inverse_mdct(
        ortho, norm="ortho", window_fn=tf.signal.kaiser_bessel_derived_window
    )
    np.testing.assert_allclose(again.numpy()[:, 8:-8], x[:, 8:-8], atol=1e-4)
    plain = tf.signal.mdct(x, 16, window_fn=None, pad_end=True)
    assert plain.shape == (2, 8, 8)
    np.testing.assert_allclose(plain.numpy()[0, 0, :3], [7.5647, 5.7147, -1.8555], atol=1e-3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="multiple of 4"):
        tf.signal.mdct(x, 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="norm must be None or 'ortho'"):
        tf.signal.inverse_mdct(m, norm="forward")
