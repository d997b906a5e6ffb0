"""tf.signal: frame / overlap_and_add, rfft family, mel matrices and MFCCs."""

import numpy as np
import tensorflow as tf

x = tf.range(10, dtype=tf.float32)
f = tf.signal.frame(x, frame_length=4, frame_step=3)
assert f.shape == (3, 4)
np.testing.assert_array_equal(f, [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
fp = tf.signal.frame(x, 4, 3, pad_end=True, pad_value=-1.0)
assert fp.shape == (4, 4)
np.testing.assert_array_equal(fp[3], [9, -1, -1, -1])
short = tf.signal.frame(tf.range(3.0), 4, 2)
assert short.shape == (0, 4)
batch = tf.signal.frame(tf.reshape(tf.range(12.0), [2, 6]), 2, 2)
assert batch.shape == (2, 3, 2)
ax0 = tf.signal.frame(tf.reshape(tf.range(12.0), [6, 2]), 3, 3, axis=0)
assert ax0.shape == (2, 3, 2)
np.testing.assert_array_equal(ax0[1, :, 1], [7, 9, 11])

# overlap_and_add inverts non-overlapping frames and sums overlapping ones.
np.testing.assert_array_equal(tf.signal.overlap_and_add(tf.signal.frame(x, 5, 5), 5), x)
ola = tf.signal.overlap_and_add(tf.ones([3, 4]), 2)
assert ola.shape == (8,)
np.testing.assert_array_equal(ola, [1, 1, 2, 2, 2, 2, 1, 1])
ola_b = tf.signal.overlap_and_add(tf.ones([2, 3, 4]), 2)
assert ola_b.shape == (2, 8)

# rfft / irfft, with fft_length cropping or padding the signal.
sig = tf.constant([1.0, 2.0, 0.0, -1.0, 0.5, 3.0])
spec = tf.signal.rfft(sig)
assert spec.dtype == tf.complex64 and spec.shape == (4,)
np.testing.assert_allclose(spec, np.fft.rfft(sig.numpy()), atol=1e-5)
np.testing.assert_allclose(tf.signal.irfft(spec), sig, atol=1e-5)
padded = tf.signal.rfft(sig, fft_length=[8])
np.testing.assert_allclose(padded, np.fft.rfft(sig.numpy(), 8), atol=1e-5)
cropped = tf.signal.rfft(sig, fft_length=[4])
np.testing.assert_allclose(cropped, np.fft.rfft(sig.numpy()[:4]), atol=1e-5)
odd = tf.signal.irfft(tf.signal.rfft(sig[:5]), fft_length=[5])
np.testing.assert_allclose(odd, sig[:5], atol=1e-5)
img = tf.random.stateless_normal([3, 4], seed=[1, 1])
np.testing.assert_allclose(tf.signal.rfft2d(img), np.fft.rfft2(img.numpy()), atol=1e-4)
c = tf.complex(sig, -sig)
np.testing.assert_allclose(tf.signal.ifft(tf.signal.fft(c)), c, atol=1e-5)
np.testing.assert_allclose(tf.signal.fftshift(tf.range(5)), np.fft.fftshift(np.arange(5)))
try:
    tf.signal.rfft(tf.constant([1, 2, 3]))
except (TypeError, ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("rfft of int32 should raise")

# Mel filterbank: [num_spectrogram_bins, num_mel_bins], non-negative, zero DC row.
mel = tf.signal.linear_to_mel_weight_matrix(
    num_mel_bins=8,
    num_spectrogram_bins=33,
    sample_rate=8000,
    lower_edge_hertz=20.0,
    upper_edge_hertz=3800.0,
)
assert mel.shape == (33, 8) and mel.dtype == tf.float32
assert float(tf.reduce_min(mel)) >= 0.0
np.testing.assert_array_equal(mel[0], np.zeros(8))
peaks = tf.argmax(mel, axis=0).numpy()
assert (np.diff(peaks) > 0).all()
m64 = tf.signal.linear_to_mel_weight_matrix(4, 9, 100, 10.0, 50.0, dtype=tf.float64)
assert m64.dtype == tf.float64 and m64.shape == (9, 4)
try:
    tf.signal.linear_to_mel_weight_matrix(4, 9, 100, upper_edge_hertz=80.0)
except ValueError:
    pass
else:
    raise AssertionError("an upper edge above Nyquist should raise")

# STFT -> magnitude -> mel -> log -> MFCCs.
t = tf.linspace(0.0, 1.0, 8000)
wave = tf.sin(2 * np.pi * 440.0 * t)[tf.newaxis]
stfts = tf.signal.stft(wave, frame_length=256, frame_step=128, fft_length=64)
mags = tf.abs(stfts)
assert mags.shape == (1, 61, 33)
log_mel = tf.math.log(tf.tensordot(mags, mel, 1) + 1e-6)
assert log_mel.shape == (1, 61, 8)
mfccs = tf.signal.mfccs_from_log_mel_spectrograms(log_mel)
assert mfccs.shape == (1, 61, 8)
# MFCCs are the unnormalized DCT-II scaled by 1/sqrt(2 * num_mel_bins).
np.testing.assert_allclose(mfccs, tf.signal.dct(log_mel) / np.sqrt(16.0), rtol=1e-4, atol=1e-4)
dct = tf.signal.dct(log_mel, type=2, norm="ortho")
np.testing.assert_allclose(dct[..., 1:], mfccs[..., 1:], rtol=1e-4, atol=1e-4)
np.testing.assert_allclose(tf.signal.idct(dct, type=2, norm="ortho"), log_mel, atol=1e-3)

# inverse_stft with the matching window function reconstructs the interior.
w = tf.random.stateless_normal([1, 512], seed=[5, 6])
st = tf.signal.stft(w, 64, 16)
inv = tf.signal.inverse_stft(st, 64, 16, window_fn=tf.signal.inverse_stft_window_fn(16))
np.testing.assert_allclose(inv[0, 64:-64], w[0, 64 : 512 - 64], atol=1e-4)
print("ok")
