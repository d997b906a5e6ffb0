"""tf.signal windows and the MDCT round trip used by audio codecs."""

import numpy as np
import tensorflow as tf

kaiser = tf.signal.kaiser_window(9, beta=6.0)
np.testing.assert_allclose(kaiser.numpy(), np.kaiser(9, 6.0), rtol=1e-5)
kbd = tf.signal.kaiser_bessel_derived_window(16).numpy()
np.testing.assert_allclose(kbd[:8] ** 2 + kbd[8:] ** 2, np.ones(8), atol=1e-6)
vorbis = tf.signal.vorbis_window(16).numpy()
np.testing.assert_allclose(vorbis[:8] ** 2 + vorbis[8:] ** 2, np.ones(8), atol=1e-6)

rng = np.random.default_rng(1)
audio = rng.normal(size=(3, 256)).astype(np.float32)
coefficients = tf.signal.mdct(audio, frame_length=32)
assert coefficients.shape == (3, 15, 16)
restored = tf.signal.inverse_mdct(coefficients)
assert restored.shape == (3, 256)
np.testing.assert_allclose(restored.numpy()[:, 16:-16], audio[:, 16:-16], atol=1e-4)

# an orthonormal MDCT keeps the energy of the windowed frames
ortho = tf.signal.mdct(audio, 32, norm="ortho", window_fn=tf.signal.kaiser_bessel_derived_window)
back = tf.signal.inverse_mdct(ortho, norm="ortho", window_fn=tf.signal.kaiser_bessel_derived_window)
np.testing.assert_allclose(back.numpy()[:, 16:-16], audio[:, 16:-16], atol=1e-4)
print("ok")
