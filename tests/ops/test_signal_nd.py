"""tf.signal.fftnd / ifftnd / rfftnd / irfftnd against NumPy's n-D transforms."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 3, 4)).astype(np.float32)
C = (X + 1j * RNG.normal(size=X.shape)).astype(np.complex64)


@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
def test_complex_nd_transforms_match_numpy(norm):
    np.testing.assert_allclose(tf.signal.fftnd(C, norm=norm), np.fft.fftn(C, norm=norm), atol=1e-4)
    np.testing.assert_allclose(
        tf.signal.ifftnd(C, norm=norm), np.fft.ifftn(C, norm=norm), atol=1e-5
    )
    got = tf.signal.fftnd(C, fft_length=[5, 2], axes=[1, 2], norm=norm)
    assert got.dtype == tf.complex64 and got.shape == (2, 5, 2)
    np.testing.assert_allclose(got, np.fft.fftn(C, s=[5, 2], axes=[1, 2], norm=norm), atol=1e-4)
    assert tf.fftnd is tf.signal.fftnd


def test_real_nd_transforms_round_trip():
    spectrum = tf.signal.rfftnd(X)
    assert spectrum.dtype == tf.complex64 and spectrum.shape == (2, 3, 3)
    np.testing.assert_allclose(spectrum, np.fft.rfftn(X), atol=1e-4)
    back = tf.signal.irfftnd(spectrum)
    assert back.dtype == tf.float32
    np.testing.assert_allclose(back, X, atol=1e-5)
    inner = tf.signal.rfftnd(X.astype(np.float64), fft_length=[4, 6], axes=[1, 2])
    assert inner.dtype == tf.complex128 and inner.shape == (2, 4, 4)
    np.testing.assert_allclose(
        tf.signal.irfftnd(inner, fft_length=[4, 6], axes=[1, 2]),
        np.fft.irfftn(np.fft.rfftn(X, s=[4, 6], axes=[1, 2]), s=[4, 6], axes=[1, 2]),
        atol=1e-6,
    )


def test_nd_transform_errors_name_the_op():
    with pytest.raises(ValueError, match="rfftnd: RFFT requires tf.float32 or tf.float64"):
        tf.signal.rfftnd(C)
    with pytest.raises(ValueError, match="irfftnd: IRFFT requires tf.complex64"):
        tf.signal.irfftnd(X)
    with pytest.raises(tf.errors.InvalidArgumentError, match="fftnd: expected a complex64"):
        tf.signal.fftnd(X)
    with pytest.raises(tf.errors.InvalidArgumentError, match="fftnd: axis 3 is out of range"):
        tf.signal.fftnd(C, axes=[3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"fftnd: fft_length must be 2"):
        tf.signal.fftnd(C, fft_length=[4], axes=[1, 2])
    with pytest.raises(ValueError, match="ifftnd: norm must be one of"):
        tf.signal.ifftnd(C, norm="half")
