"""tf.signal: FFTs against NumPy, framing / overlap-add, windows and mel matrices against
TensorFlow's formulas (values from TensorFlow 2.21 where marked), STFT round trips,
DCTs against their definitions, MFCCs, gradients through the real-valued ops."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.testing import gradcheck

RNG = np.random.default_rng(0)
R = RNG.standard_normal((3, 8))
Z = (RNG.standard_normal((3, 8)) + 1j * RNG.standard_normal((3, 8))).astype(np.complex64)


def test_complex_ffts_match_numpy():
    z = tf.constant(Z)
    for fn, ref in [
        (tf.signal.fft, np.fft.fft),
        (tf.signal.ifft, np.fft.ifft),
        (tf.signal.fft2d, np.fft.fft2),
        (tf.signal.ifft2d, np.fft.ifft2),
    ]:
        out = fn(z)
        assert out.dtype == tf.complex64
        np.testing.assert_allclose(out.numpy(), ref(Z), rtol=1e-4, atol=1e-5)
    cube = Z.reshape(3, 2, 4)
    np.testing.assert_allclose(
        tf.signal.fft3d(tf.constant(cube)).numpy(), np.fft.fftn(cube), rtol=1e-4, atol=1e-5
    )


def test_real_ffts_lengths_and_dtypes():
    x = tf.constant(R)  # float64 -> complex128
    spec = tf.signal.rfft(x)
    assert spec.dtype == tf.complex128 and tuple(spec.shape) == (3, 5)
    np.testing.assert_allclose(spec.numpy(), np.fft.rfft(R), rtol=1e-12)
    np.testing.assert_allclose(tf.signal.rfft(x, [6]).numpy(), np.fft.rfft(R, 6), rtol=1e-12)
    back = tf.signal.irfft(spec)
    assert back.dtype == tf.float64
    np.testing.assert_allclose(back.numpy(), R, atol=1e-12)
    assert tuple(tf.signal.irfft(spec, [7]).shape) == (3, 7)
    np.testing.assert_allclose(tf.signal.irfft2d(tf.signal.rfft2d(x)).numpy(), R, atol=1e-12)
    assert tf.signal.rfft(tf.constant(R, tf.float32)).dtype == tf.complex64


def test_fft_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="fft: expected a complex64"):
        tf.signal.fft(tf.constant(R))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rfft: expected a float32"):
        tf.signal.rfft(tf.constant(Z))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 2"):
        tf.signal.fft2d(tf.constant(Z[0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="fft_length must be a list of 1"):
        tf.signal.rfft(tf.constant(R), [4, 4])


def test_fftshift():
    x = tf.constant(np.arange(10).reshape(2, 5))
    np.testing.assert_array_equal(tf.signal.fftshift(x).numpy(), np.fft.fftshift(x.numpy()))
    np.testing.assert_array_equal(
        tf.signal.ifftshift(x, axes=1).numpy(), np.fft.ifftshift(x.numpy(), axes=1)
    )


def test_frame_and_overlap_and_add():
    x = tf.constant(np.arange(10.0))
    frames = tf.signal.frame(x, 4, 3)
    np.testing.assert_array_equal(frames.numpy(), [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    padded = tf.signal.frame(x, 4, 3, pad_end=True, pad_value=-1)
    np.testing.assert_array_equal(padded.numpy()[-1], [9, -1, -1, -1])
    assert tuple(padded.shape) == (4, 4)
    along0 = tf.signal.frame(tf.ones([7, 2]), 3, 2, axis=0)
    assert tuple(along0.shape) == (3, 3, 2)
    assert tuple(tf.signal.frame(tf.ones([2]), 3, 1).shape) == (0, 3)
    summed = tf.signal.overlap_and_add(tf.ones([3, 4]), 2)
    np.testing.assert_array_equal(summed.numpy(), [1, 1, 2, 2, 2, 2, 1, 1])
    gradcheck(lambda s: tf.signal.frame(s, 3, 2, pad_end=True) * 2.0, [R])
    gradcheck(lambda s: tf.signal.overlap_and_add(s, 2), [R.reshape(2, 3, 4)])


def test_windows():
    # TensorFlow 2.21: hann_window(10), hann_window(9, periodic=False) (float32)
    np.testing.assert_allclose(
        tf.signal.hann_window(10).numpy(),
        [
            0.0,
            0.0954915,
            0.3454915,
            0.6545085,
            0.9045085,
            1.0,
            0.9045085,
            0.6545085,
            0.3454915,
            0.0954915,
        ],
        atol=1e-6,
    )
    n = np.arange(9)
    np.testing.assert_allclose(
        tf.signal.hann_window(9, periodic=False).numpy(),
        0.5 - 0.5 * np.cos(2 * np.pi * n / 8),
        atol=1e-7,
    )
    hamming = tf.signal.hamming_window(7, dtype=tf.float64)
    assert hamming.dtype == tf.float64
    # TensorFlow's "periodic" adds one point only to even lengths: 7 points use N = 6
    np.testing.assert_allclose(hamming.numpy(), 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(7) / 6))
    assert tf.signal.hann_window(1).numpy().tolist() == [1.0]
    with pytest.raises(ValueError, match="floating point"):
        tf.signal.hann_window(4, dtype=tf.int32)


def test_stft_of_a_sine_peaks_at_its_frequency_and_inverts():
    rate, freq = 8000, 1000.0
    t = np.arange(2048) / rate
    x = tf.constant(np.sin(2 * np.pi * freq * t).astype(np.float32))
    spec = tf.signal.stft(x, frame_length=256, frame_step=128)
    assert spec.dtype == tf.complex64 and tuple(spec.shape) == (15, 129)
    peak = np.argmax(np.abs(spec.numpy()), axis=-1)
    assert np.all(peak == round(freq / rate * 256))  # bin 32
    back = tf.signal.inverse_stft(spec, 256, 128, window_fn=tf.signal.inverse_stft_window_fn(128))
    # exact away from the first and last half frame
    np.testing.assert_allclose(
        back.numpy()[256:-256], x.numpy()[256 : back.shape[0] - 256], atol=1e-5
    )


def test_linear_to_mel_weight_matrix():
    m = tf.signal.linear_to_mel_weight_matrix(40, 129, 8000, 20.0, 4000.0).numpy()
    assert m.shape == (129, 40) and m.dtype == np.float32
    assert np.all(m[0] == 0) and np.all(m >= 0) and np.all(m <= 1)
    # each filter is a triangle peaking at 1 between its band edges (mel scale of HTK)
    mel = 1127.0 * np.log1p(np.linspace(0, 4000, 129) / 700.0)
    edges = np.linspace(1127.0 * np.log1p(20 / 700.0), 1127.0 * np.log1p(4000 / 700.0), 42)
    k = 10
    lower = (mel - edges[k]) / (edges[k + 1] - edges[k])
    upper = (edges[k + 2] - mel) / (edges[k + 2] - edges[k + 1])
    expected = np.maximum(0, np.minimum(lower, upper))
    expected[0] = 0
    np.testing.assert_allclose(m[:, k], expected, atol=1e-6)
    with pytest.raises(ValueError, match="upper_edge_hertz must not be larger than the Nyquist"):
        tf.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0, sample_rate=8000)


def _dct_reference(x, kind, norm=None):
    n = x.shape[-1]
    j = np.arange(n)
    out = np.zeros_like(x)
    for k in range(n):
        if kind == 1:
            out[..., k] = (
                x[..., 0]
                + (-1) ** k * x[..., -1]
                + 2 * (x[..., 1:-1] * np.cos(np.pi * k * j[1:-1] / (n - 1))).sum(-1)
            )
        elif kind == 2:
            out[..., k] = 2 * (x * np.cos(np.pi * k * (2 * j + 1) / (2 * n))).sum(-1)
        elif kind == 3:
            out[..., k] = x[..., 0] + 2 * (
                x[..., 1:] * np.cos(np.pi * j[1:] * (2 * k + 1) / (2 * n))
            ).sum(-1)
        else:
            out[..., k] = 2 * (x * np.cos(np.pi * (2 * j + 1) * (2 * k + 1) / (4 * n))).sum(-1)
    if norm == "ortho" and kind == 2:
        out[..., 0] *= math.sqrt(1 / (4 * n))
        out[..., 1:] *= math.sqrt(1 / (2 * n))
    return out


@pytest.mark.parametrize("kind", [1, 2, 3, 4])
def test_dct_types_against_definitions(kind):
    x = tf.constant(R)
    np.testing.assert_allclose(tf.signal.dct(x, type=kind).numpy(), _dct_reference(R, kind))
    # idct is the DCT of the inverse type, unscaled (as TensorFlow)
    inverse_kind = {1: 1, 2: 3, 3: 2, 4: 4}[kind]
    np.testing.assert_allclose(
        tf.signal.idct(x, type=kind).numpy(), _dct_reference(R, inverse_kind)
    )
    if kind != 1:
        ortho = tf.signal.dct(x, type=kind, norm="ortho")
        np.testing.assert_allclose(
            tf.signal.idct(ortho, type=kind, norm="ortho").numpy(), R, atol=1e-12
        )
    gradcheck(lambda v: tf.signal.dct(v, type=kind), [R])


def test_dct_arguments():
    np.testing.assert_allclose(
        tf.signal.dct(tf.constant(R), n=5).numpy(), _dct_reference(R[:, :5], 2)
    )
    with pytest.raises(ValueError, match="Normalization is not supported for the Type-I"):
        tf.signal.dct(tf.constant(R), type=1, norm="ortho")
    with pytest.raises(NotImplementedError, match="axis must be -1"):
        tf.signal.dct(tf.constant(R), axis=0)


def test_mfccs_scale_of_tensorflow():
    logmel = tf.constant(R)
    mfcc = tf.signal.mfccs_from_log_mel_spectrograms(logmel).numpy()
    np.testing.assert_allclose(mfcc, _dct_reference(R, 2) / math.sqrt(2 * 8))


def _numeric_grad(f, x0, eps=1e-6):
    num = np.zeros_like(x0)
    for idx in np.ndindex(x0.shape):
        a, b = x0.copy(), x0.copy()
        a[idx] += eps
        b[idx] -= eps
        num[idx] = (f(a) - f(b)) / (2 * eps)
    return num


@pytest.mark.parametrize("n,fft_length", [(16, 16), (12, 16), (20, 16)])
def test_rfft_magnitude_gradient_matches_finite_differences(n, fft_length):
    """rfft passes a gradient from its complex output to its real input (abs of a complex
    tensor gives g * z / |z|, as TensorFlow), with the input zero-padded or cropped."""
    rng = np.random.default_rng(n)
    x0 = rng.normal(size=(2, n))
    w = rng.normal(size=(2, fft_length // 2 + 1))
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        spectrum = tf.abs(tf.signal.rfft(x, [fft_length]))
        loss = tf.reduce_sum(tf.square(spectrum) * w + spectrum)
    grad = tape.gradient(loss, x).numpy()

    def f(a):
        mag = np.abs(np.fft.rfft(a, n=fft_length))
        return np.sum(mag**2 * w + mag)

    np.testing.assert_allclose(grad, _numeric_grad(f, x0), atol=1e-6)


def test_rfft2d_and_stft_magnitude_gradients():
    rng = np.random.default_rng(5)
    x0 = rng.normal(size=(5, 6))
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.abs(tf.signal.rfft2d(x, [4, 8])))
    np.testing.assert_allclose(
        tape.gradient(loss, x).numpy(),
        _numeric_grad(lambda a: np.abs(np.fft.rfft2(a, s=(4, 8))).sum(), x0),
        atol=1e-6,
    )
    wave0 = rng.normal(size=(40,))
    wave = tf.Variable(wave0)
    with tf.GradientTape() as tape:
        mag = tf.abs(tf.signal.stft(wave, frame_length=16, frame_step=8, pad_end=True))
        loss = tf.reduce_sum(tf.math.log(tf.square(mag) + 1e-3))
    grad = tape.gradient(loss, wave).numpy()

    def f(a):
        return tf.reduce_sum(
            tf.math.log(
                tf.square(tf.abs(tf.signal.stft(tf.constant(a), 16, 8, pad_end=True))) + 1e-3
            )
        ).numpy()

    np.testing.assert_allclose(grad, _numeric_grad(f, wave0), rtol=1e-5, atol=1e-5)
