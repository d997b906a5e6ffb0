"""keras.layers.STFTSpectrogram, keras.layers.MelSpectrogram and keras.initializers.STFT:
against NumPy's rfft and values from Keras 3 on TensorFlow 2.21 (with SciPy; pasted)."""

import numpy as np
import pytest

import gpuflow as tf

L = tf.keras.layers


def _audio(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def test_stft_initializer_is_a_windowed_fourier_basis():
    real = tf.keras.initializers.STFT("real", "hann", "density", False)((8, 1, 5)).numpy()
    imag = tf.keras.initializers.STFTInitializer("imag", None, None)((8, 1, 5)).numpy()
    frame = _audio(8)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(8) / 7)  # symmetric hann
    spectrum = np.fft.rfft(frame * window / np.sqrt((window**2).sum()))
    np.testing.assert_allclose(frame @ real[:, 0, :], spectrum.real, atol=1e-5)
    np.testing.assert_allclose(frame @ imag[:, 0, :], np.fft.rfft(frame).imag, atol=1e-5)
    config = tf.keras.initializers.STFT("imag", "hamming", "spectrum", True).get_config()
    assert config == {"side": "imag", "window": "hamming", "periodic": True, "scaling": "spectrum"}
    assert isinstance(tf.keras.initializers.get("stft"), tf.keras.initializers.STFT)
    with pytest.raises(ValueError, match="side should be 'real' or 'imag'"):
        tf.keras.initializers.STFT("both")
    with pytest.raises(ValueError, match="unknown window 'hanx'"):
        tf.keras.initializers.STFT("real", "hanx")
    with pytest.raises(ValueError, match=r"window` must be equal to \[frame_length\]"):
        tf.keras.initializers.STFT("real", np.ones(3))((8, 1, 5))


def test_stft_spectrogram_modes_against_rfft():
    signal = _audio((2, 300, 2))
    layer = L.STFTSpectrogram(mode="stft", frame_length=32, window=None, scaling=None)
    out = layer(signal).numpy()  # (batch, frames, channels * 2 * freqs)
    assert out.shape == (2, 17, 2 * 34)  # (300 - 32) // 16 + 1 frames
    frames = np.stack([signal[:, i * 16 : i * 16 + 32, :] for i in range(17)], axis=1)
    spectrum = np.fft.rfft(frames, axis=2)  # (batch, frames, freqs, channels)
    np.testing.assert_allclose(out[..., :17], spectrum[..., 0].real, atol=1e-4)
    np.testing.assert_allclose(out[..., 17:34], spectrum[..., 0].imag, atol=1e-4)
    np.testing.assert_allclose(out[..., 34:51], spectrum[..., 1].real, atol=1e-4)
    # Keras' log mode (hann, density scaling), values from Keras 3
    rng = np.random.default_rng(0)  # the draws of the Keras run
    rng.normal(size=(2, 4000))
    keras_signal = rng.normal(size=(2, 300, 2)).astype("float32")
    log = L.STFTSpectrogram(mode="log", frame_length=64)(keras_signal).numpy()
    assert log.shape == (2, 8, 66)
    np.testing.assert_allclose(
        log[0, :2, :3], [[-1.387739, -0.596789, -0.536906], [-1.119461, -1.591078, -0.343208]],
        atol=1e-4,
    )  # fmt: skip
    np.testing.assert_allclose(log.mean(), -0.32985792, atol=1e-5)


def test_stft_spectrogram_shapes_training_and_errors():
    signal = _audio((2, 300, 2))
    first = L.STFTSpectrogram(
        "psd", frame_length=32, expand_dims=True, data_format="channels_first"
    )
    assert first(np.transpose(signal, (0, 2, 1))).shape == (2, 2, 17, 17)
    same = L.STFTSpectrogram("imag", frame_length=32, padding="same")
    assert same(signal).shape == (2, 19, 34) and [w.name for w in same.weights] == ["imag_kernel"]
    assert same.compute_output_shape((None, 300, 2)) == (None, 19, 34)
    inp = tf.keras.Input((300, 1))
    out = tf.keras.layers.GlobalAveragePooling1D()(L.STFTSpectrogram(frame_length=32)(inp))
    model = tf.keras.Model(inp, tf.keras.layers.Dense(1)(out))
    model.compile("adam", "mse")
    before = model.layers[1].real_kernel.numpy().copy()
    model.fit(signal[..., :1], np.ones((2, 1)), epochs=1, verbose=0)
    assert not np.allclose(before, model.layers[1].real_kernel.numpy())  # trainable kernels
    with pytest.raises(ValueError, match="`frame_step` should be a positive integer"):
        L.STFTSpectrogram(frame_length=32, frame_step=64)
    with pytest.raises(ValueError, match="output mode is invalid"):
        L.STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match="`fft_length` should be not less than"):
        L.STFTSpectrogram(frame_length=32, fft_length=16)
    with pytest.warns(UserWarning, match="recommended to be a power of two"):
        L.STFTSpectrogram(frame_length=32, fft_length=48)


def test_mel_spectrogram_values_and_config():
    audio = _audio((2, 4000))
    layer = L.MelSpectrogram(
        fft_length=512, sequence_stride=128, num_mel_bins=40, sampling_rate=8000
    )
    out = layer(audio).numpy()
    assert out.shape == (2, 40, 32) and layer.compute_output_shape((2, 4000)) == (2, 40, 32)
    np.testing.assert_allclose(
        out[0, :3, :3],
        [[27.772388, 23.825783, 22.180250], [28.643017, 23.968800, 21.759964],
         [19.444908, 19.804232, 21.921177]],
        atol=2e-3,
    )  # fmt: skip
    np.testing.assert_allclose(out.mean(), 29.583826, atol=1e-3)
    assert out.max() - out.min() <= 80.0 + 1e-4  # top_db
    single = L.MelSpectrogram(fft_length=256, sequence_stride=64)(audio[0])
    assert tuple(single.shape) == (128, 63)
    # power_to_db=False, mag_exp=1: the mel filter bank applied to STFT magnitudes
    linear = L.MelSpectrogram(fft_length=64, sequence_stride=32, num_mel_bins=8,
                              power_to_db=False, mag_exp=1.0, window=None)  # fmt: skip
    x = audio[:1, :256]
    padded = np.pad(x, [[0, 0], [32, 32]], mode="reflect")
    frames = np.stack([padded[0, i * 32 : i * 32 + 64] for i in range(9)])
    magnitude = np.abs(np.fft.rfft(frames, axis=-1))
    from gpuflow.layers.preprocessing.mel_spectrogram import linear_to_mel_weight_matrix

    weights = linear_to_mel_weight_matrix(8, 33, 16000, 20.0, 8000)
    np.testing.assert_allclose(linear(x).numpy()[0], (magnitude @ weights).T, rtol=1e-4, atol=1e-4)
    config = layer.get_config()
    assert (config["fft_length"], config["num_mel_bins"], config["max_freq"]) == (512, 40, 4000)
    with pytest.raises(ValueError, match="must be greater than or equal to"):
        L.MelSpectrogram(fft_length=256, sequence_length=512)
    with pytest.raises(ValueError, match='must be one of `"hann"`, `"hamming"`'):
        L.MelSpectrogram(window="blackman")
