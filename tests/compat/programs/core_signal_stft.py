# tf.signal: the spectrogram of a sum of sines (stft), log-mel features and MFCCs, and the
# inverse STFT that gives the waveform back.
import numpy as np
import tensorflow as tf

rate = 16000
t = np.arange(rate // 2) / rate
noise = np.random.default_rng(0).standard_normal(t.shape) * 0.01
wave = (np.sin(2 * np.pi * 1000 * t) + 0.8 * np.sin(2 * np.pi * 3000 * t) + noise).astype(
    np.float32
)
waveform = tf.constant(wave)

frame_length, frame_step = 512, 256
stft = tf.signal.stft(waveform, frame_length=frame_length, frame_step=frame_step)
assert stft.dtype == tf.complex64
assert stft.shape == (1 + (len(wave) - frame_length) // frame_step, frame_length // 2 + 1)
spectrogram = tf.abs(stft)
assert spectrogram.dtype == tf.float32

# the two loudest bins of the average spectrum are the two tones
mean_spectrum = tf.reduce_mean(spectrogram, axis=0).numpy()
top_two = sorted(np.argsort(mean_spectrum)[-2:])
hz_per_bin = rate / frame_length
assert [round(b * hz_per_bin) for b in top_two] == [1000, 3000], top_two
# same spectrum as NumPy's FFT of hann-windowed frames
frames = tf.signal.frame(waveform, frame_length, frame_step).numpy()
window = tf.signal.hann_window(frame_length).numpy()
np.testing.assert_allclose(
    spectrogram.numpy(), np.abs(np.fft.rfft(frames * window)), rtol=1e-3, atol=1e-3
)

# log-mel spectrogram and MFCCs, as in the audio tutorials
mel_matrix = tf.signal.linear_to_mel_weight_matrix(
    num_mel_bins=40,
    num_spectrogram_bins=stft.shape[-1],
    sample_rate=rate,
    lower_edge_hertz=80.0,
    upper_edge_hertz=7600.0,
)
mel = tf.tensordot(spectrogram, mel_matrix, 1)
log_mel = tf.math.log(mel + 1e-6)
mfccs = tf.signal.mfccs_from_log_mel_spectrograms(log_mel)[..., :13]
assert mel_matrix.shape == (257, 40) and mfccs.shape == (stft.shape[0], 13)
assert bool(tf.reduce_all(tf.math.is_finite(mfccs)))
expected_c0 = tf.reduce_sum(log_mel, axis=-1) * 2 / np.sqrt(2 * 40)
np.testing.assert_allclose(mfccs[:, 0].numpy(), expected_c0.numpy(), rtol=1e-4)

# the inverse STFT with the matching window gives the waveform back (away from the ends)
rebuilt = tf.signal.inverse_stft(
    stft, frame_length, frame_step, window_fn=tf.signal.inverse_stft_window_fn(frame_step)
)
inner = slice(frame_length, int(rebuilt.shape[0]) - frame_length)
np.testing.assert_allclose(rebuilt.numpy()[inner], wave[inner], atol=1e-4)

# FFT basics
x = tf.constant([1.0, 2.0, 3.0, 4.0])
np.testing.assert_allclose(tf.signal.rfft(x).numpy(), np.fft.rfft([1.0, 2.0, 3.0, 4.0]), atol=1e-6)
np.testing.assert_allclose(tf.signal.irfft(tf.signal.rfft(x)).numpy(), x.numpy(), atol=1e-6)
z = tf.complex(x, -x)
np.testing.assert_allclose(tf.signal.ifft(tf.signal.fft(z)).numpy(), z.numpy(), atol=1e-6)
np.testing.assert_array_equal(tf.signal.fftshift(tf.range(5)).numpy(), [3, 4, 0, 1, 2])
print("stft ok")
