"""``gpuflow.signal``: TensorFlow's ``tf.signal`` (FFTs, framing, windows, STFT, mel
filters, DCT, MFCCs). Complex results are forward only (no gradients through them)."""

from .ops.fft import (  # noqa: F401
    fft,
    fft2d,
    fft3d,
    fftshift,
    ifft,
    ifft2d,
    ifft3d,
    ifftshift,
    irfft,
    irfft2d,
    irfft3d,
    rfft,
    rfft2d,
    rfft3d,
)
from .ops.fft_nd import fftnd, ifftnd, irfftnd, rfftnd  # noqa: F401
from .ops.spectral import (  # noqa: F401
    dct,
    frame,
    hamming_window,
    hann_window,
    idct,
    inverse_stft,
    inverse_stft_window_fn,
    linear_to_mel_weight_matrix,
    mfccs_from_log_mel_spectrograms,
    overlap_and_add,
    stft,
)
from .ops.spectral_mdct import (  # noqa: F401
    inverse_mdct,
    kaiser_bessel_derived_window,
    kaiser_window,
    mdct,
    vorbis_window,
)

__all__ = [n for n in dir() if not n.startswith("_")]
