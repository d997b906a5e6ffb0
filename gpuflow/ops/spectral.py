"""The rest of ``tf.signal``: frame, overlap_and_add, hann/hamming windows, stft,
inverse_stft (with inverse_stft_window_fn), linear_to_mel_weight_matrix, dct / idct and
mfccs_from_log_mel_spectrograms, written as TensorFlow writes them.

frame, overlap_and_add, the windows, dct and mfccs are built from differentiable ops
(gather, segment sums, matmul), so gradients flow through them for real inputs; stft
passes a gradient back through rfft (to the magnitude losses of audio models), while
inverse_stft goes through complex values forward only (see ``complex_ops``).
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._common import as_int, as_tensor, invalid_argument

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _float_dtype(dtype, op: str):
    dt = dtypes.as_dtype(dtype, op)
    if not dt.is_floating:
        raise ValueError(f"{op}: dtype must be a floating point type. Found {dt.name}")
    return dt


# -- framing ----------------------------------------------------------------------------
def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Overlapping frames of ``frame_length`` samples every ``frame_step`` along ``axis``:
    that axis of length ``n`` becomes two, ``[num_frames, frame_length]``.

    ``num_frames`` is ``1 + (n - frame_length) // frame_step`` (at least 0), or with
    ``pad_end`` ``ceil(n / frame_step)``, the end padded with ``pad_value``.
    """
    from .indexing import gather
    from .rearrange import pad

    x = as_tensor(signal)
    if x.ndim == 0:
        raise invalid_argument("frame", "signal must have rank >= 1, received a scalar")
    length = as_int("frame", "frame_length", frame_length, minimum=1)
    step = as_int("frame", "frame_step", frame_step, minimum=1)
    ax = as_int("frame", "axis", axis)
    if not -x.ndim <= ax < x.ndim:
        raise invalid_argument("frame", f"axis {ax} is out of range for rank {x.ndim}")
    ax %= x.ndim
    n = x.shape[ax]
    if pad_end:
        frames = -(-n // step)
        padded = max((frames - 1) * step + length, n)
        if padded > n:
            paddings = [[0, 0]] * x.ndim
            paddings[ax] = [0, padded - n]
            x = pad(x, paddings, constant_values=pad_value)
    else:
        frames = max(0, 1 + (n - length) // step) if n >= length else 0
    index = np.arange(frames)[:, None] * step + np.arange(length)[None, :]
    return gather(x, index.astype(np.int64), axis=ax)


def overlap_and_add(signal, frame_step, name=None) -> Tensor:
    """The inverse of ``frame`` on the last two axes ``[frames, frame_length]``: frames
    placed ``frame_step`` apart and summed where they overlap."""
    from .math_extra import unsorted_segment_sum
    from .shape import reshape, transpose

    x = as_tensor(signal)
    if x.ndim < 2:
        raise invalid_argument(
            "overlap_and_add", f"signal must have rank >= 2, received shape {list(x.shape)}"
        )
    step = as_int("overlap_and_add", "frame_step", frame_step, minimum=1)
    frames, length = x.shape[-2], x.shape[-1]
    if step > length:
        raise invalid_argument(
            "overlap_and_add",
            f"frame_step ({step}) must be <= frame_length ({length})",
        )
    out_length = (frames - 1) * step + length if frames else 0
    outer = list(x.shape[:-2])
    flat = reshape(x, [-1, frames * length])
    ids = (np.arange(frames)[:, None] * step + np.arange(length)[None, :]).reshape(-1)
    summed = unsorted_segment_sum(transpose(flat, [1, 0]), ids.astype(np.int32), out_length)
    return reshape(transpose(summed, [1, 0]), outer + [out_length])


# -- windows ----------------------------------------------------------------------------
def _raised_cosine(op, window_length, periodic, dtype, a, b) -> Tensor:
    from .creation import constant

    dt = _float_dtype(dtype, op)
    n = as_int(op, "window_length", window_length, minimum=0)
    if n == 1:
        return constant(np.ones([1]), dtype=dt)
    periodic = bool(periodic.numpy()) if isinstance(periodic, Tensor) else bool(periodic)
    even = 1 - n % 2
    denominator = n + int(periodic) * even - 1
    count = np.arange(n, dtype=np.float64)
    return constant(a - b * np.cos(2 * np.pi * count / denominator), dtype=dt)


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None) -> Tensor:
    """``0.5 - 0.5 cos(2 pi n / N)``: a periodic (for spectral analysis) or symmetric window."""
    return _raised_cosine("hann_window", window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None) -> Tensor:
    """``0.54 - 0.46 cos(2 pi n / N)``."""
    return _raised_cosine("hamming_window", window_length, periodic, dtype, 0.54, 0.46)


# -- short-time Fourier transform -------------------------------------------------------
def _enclosing_power_of_two(value: int) -> int:
    return int(2 ** math.ceil(math.log2(value))) if value > 1 else 1


def stft(
    signals,
    frame_length,
    frame_step,
    fft_length=None,
    window_fn=hann_window,
    pad_end=False,
    name=None,
) -> Tensor:
    """The short-time Fourier transform of real ``signals`` ``[..., samples]``:
    ``[..., frames, fft_length // 2 + 1]`` complex bins (fft_length defaults to the
    smallest power of 2 >= frame_length)."""
    from .fft import rfft

    x = as_tensor(signals)
    if x.ndim < 1:
        raise invalid_argument("stft", "signals must have rank >= 1, received a scalar")
    length = as_int("stft", "frame_length", frame_length, minimum=1)
    fft_length = (
        _enclosing_power_of_two(length)
        if fft_length is None
        else as_int("stft", "fft_length", fft_length, minimum=1)
    )
    frames = frame(x, length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames.dtype)
    return rfft(frames, [fft_length])


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A window function for ``inverse_stft`` that undoes ``forward_window_fn``'s
    amplitude where frames overlap ``frame_step`` apart (exact reconstruction)."""
    from .creation import constant

    step = as_int("inverse_stft_window_fn", "frame_step", frame_step, minimum=1)

    def inverse_window(frame_length, dtype):
        forward = forward_window_fn(frame_length, dtype=dtype)
        w = forward.numpy().astype(np.float64)
        length = w.shape[0]
        overlaps = -(-length // step)
        denom = np.pad(w * w, (0, overlaps * step - length)).reshape(overlaps, step)
        denom = np.tile(denom.sum(axis=0, keepdims=True), (overlaps, 1)).reshape(-1)[:length]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(denom == 0.0, 0.0, w / denom)
        return constant(out, dtype=forward.dtype)

    return inverse_window


def inverse_stft(
    stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window, name=None
) -> Tensor:
    """Real signals from their STFTs ``[..., frames, fft_length // 2 + 1]``: each frame's
    inverse real FFT, cut or zero-padded to ``frame_length``, windowed, overlapped and
    added. Use ``window_fn=inverse_stft_window_fn(frame_step)`` to reconstruct exactly."""
    from .fft import irfft
    from .rearrange import pad

    z = as_tensor(stfts)
    length = as_int("inverse_stft", "frame_length", frame_length, minimum=1)
    fft_length = (
        _enclosing_power_of_two(length)
        if fft_length is None
        else as_int("inverse_stft", "fft_length", fft_length, minimum=1)
    )
    real_frames = irfft(z, [fft_length])
    have = real_frames.shape[-1]
    if have > length:
        real_frames = real_frames[..., :length]
    elif have < length:
        real_frames = pad(real_frames, [[0, 0]] * (real_frames.ndim - 1) + [[0, length - have]])
    if window_fn is not None:
        real_frames = real_frames * window_fn(length, dtype=z.dtype.real_dtype)
    return overlap_and_add(real_frames, frame_step)


# -- mel scale --------------------------------------------------------------------------
def _hertz_to_mel(hertz):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(
    num_mel_bins=20,
    num_spectrogram_bins=129,
    sample_rate=8000,
    lower_edge_hertz=125.0,
    upper_edge_hertz=3800.0,
    dtype=dtypes.float32,
    name=None,
) -> Tensor:
    """A ``[num_spectrogram_bins, num_mel_bins]`` matrix of triangular mel filters: a
    linear-frequency magnitude spectrogram times it is a mel spectrogram (TensorFlow's
    formula: HTK mel scale, the DC bin zeroed)."""
    from .creation import constant

    op = "linear_to_mel_weight_matrix"
    dt = _float_dtype(dtype, op)
    if isinstance(sample_rate, Tensor):
        sample_rate = float(sample_rate.numpy())
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(
            f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz {upper_edge_hertz:.1f}"
        )
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if upper_edge_hertz > sample_rate / 2:
        raise ValueError(
            "upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2)."
            f" Got {upper_edge_hertz} for sample_rate: {sample_rate}"
        )
    nyquist = sample_rate / 2.0
    linear = np.linspace(0.0, nyquist, int(num_spectrogram_bins))[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = np.linspace(
        _hertz_to_mel(float(lower_edge_hertz)),
        _hertz_to_mel(float(upper_edge_hertz)),
        int(num_mel_bins) + 2,
    )
    lower, center, upper = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(lower_slopes, upper_slopes))
    return constant(np.pad(weights, [[1, 0], [0, 0]]), dtype=dt)


# -- discrete cosine transforms ---------------------------------------------------------
def _dct_matrix(kind: int, n: int, norm) -> np.ndarray:
    """``M`` with ``y = x @ M`` along the last axis, as scipy.fftpack / TensorFlow define
    DCT types 1-4 (``norm=None`` unnormalized, ``"ortho"`` orthonormal)."""
    j = np.arange(n)[:, None]  # input index
    k = np.arange(n)[None, :]  # output index
    if kind == 1:
        m = 2.0 * np.cos(np.pi * j * k / (n - 1))
        m[0, :] = 1.0
        m[-1, :] = (-1.0) ** np.arange(n)
        return m
    if kind == 2:
        m = 2.0 * np.cos(np.pi * k * (2 * j + 1) / (2 * n))
        if norm == "ortho":
            m[:, 0] *= math.sqrt(1.0 / (4 * n))
            m[:, 1:] *= math.sqrt(1.0 / (2 * n))
        return m
    if kind == 3:
        m = 2.0 * np.cos(np.pi * j * (2 * k + 1) / (2 * n))
        m[0, :] = 1.0
        if norm == "ortho":
            m[0, :] *= math.sqrt(1.0 / n)
            m[1:, :] *= math.sqrt(1.0 / (2 * n))
        return m
    m = 2.0 * np.cos(np.pi * (2 * j + 1) * (2 * k + 1) / (4 * n))
    if norm == "ortho":
        m *= math.sqrt(1.0 / (2 * n))
    return m


def _dct(op: str, input, type, n, axis, norm, inverse: bool) -> Tensor:  # noqa: A002
    from .creation import constant
    from .linalg import matmul
    from .rearrange import pad
    from .shape import reshape

    x = as_tensor(input)
    if x._data.dtype not in (np.float32, np.float64):
        raise invalid_argument(op, f"expected float32 or float64 input, received {x.dtype.name}")
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and (not isinstance(n, int) or n < 1):
        raise ValueError("n should be a positive integer or None")
    if type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if type == 1 and norm == "ortho":
        raise ValueError("Normalization is not supported for the Type-I DCT.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    if x.ndim < 1:
        raise invalid_argument(op, "input must have rank >= 1, received a scalar")
    if type == 1 and x.shape[-1] < 2:
        raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if n is not None:
        have = x.shape[-1]
        if n < have:
            x = x[..., :n]
        elif n > have:
            x = pad(x, [[0, 0]] * (x.ndim - 1) + [[0, n - have]])
    size = x.shape[-1]
    # idct is the DCT of the inverse type, unscaled (as TensorFlow: an exact inverse of an
    # unnormalized DCT-II needs a further 0.5 / n)
    kind = {1: 1, 2: 3, 3: 2, 4: 4}[type] if inverse else type
    m = _dct_matrix(kind, size, norm)
    outer = list(x.shape[:-1])
    flat = reshape(x, [-1, size])
    out = matmul(flat, constant(m, dtype=x.dtype))
    return reshape(out, outer + [size])


def dct(input, type=2, n=None, axis=-1, norm=None, name=None) -> Tensor:  # noqa: A002
    """The discrete cosine transform (types I-IV) along the last axis, as ``tf.signal.dct``
    (scipy.fftpack's definitions; ``norm="ortho"`` for the orthonormal DCT)."""
    return _dct("dct", input, type, n, axis, norm, inverse=False)


def idct(input, type=2, n=None, axis=-1, norm=None, name=None) -> Tensor:  # noqa: A002
    """The inverse of ``dct`` of the same ``type`` and ``norm`` (as ``tf.signal.idct``)."""
    return _dct("idct", input, type, n, axis, norm, inverse=True)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None) -> Tensor:
    """Mel-frequency cepstral coefficients: the orthonormal-scaled DCT-II of log mel
    spectrograms ``[..., num_mel_bins]`` (TensorFlow's scaling)."""
    from .creation import constant

    x = as_tensor(log_mel_spectrograms)
    if x.ndim < 1 or x.shape[-1] == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {list(x.shape)}")
    dct2 = dct(x, type=2)
    return dct2 * constant(1.0 / math.sqrt(x.shape[-1] * 2.0), dtype=dct2.dtype)
