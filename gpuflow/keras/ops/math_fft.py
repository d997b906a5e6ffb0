"""``keras.ops.math`` Fourier transforms and complex views, with Keras 3's conventions:
``fft``/``fft2``/``ifft2``/``irfft``/``istft`` take a ``(real, imag)`` pair of float tensors
and the transforms give such a pair back; ``view_as_complex`` / ``view_as_real`` convert
between a trailing axis of 2 and complex64; ``erfinv``."""

from __future__ import annotations

from ...ops import complex_ops as _cx
from ...ops import fft as _fft
from ...ops import rearrange as _re
from ...ops import shape as _sh
from ...ops import special as _special
from ...ops import spectral as _sp
from ...ops.cast import cast as _cast
from ._dtypes import as_float, convert_to_tensor, standardize_dtype

_FLOATS = ("float16", "bfloat16", "float32", "float64")


def _complex_from_pair(x, op: str):
    """The complex tensor of a ``(real, imag)`` pair (Keras's input form for transforms)."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"{op}: input `x` should be a tuple of two tensors - real and imaginary. "
            f"Received: x={x!r}"
        )
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if tuple(real.shape) != tuple(imag.shape):
        raise ValueError(
            f"{op}: the real and imaginary parts should have the same shape. Received: "
            f"x[0].shape = {tuple(real.shape)}, x[1].shape = {tuple(imag.shape)}"
        )
    if standardize_dtype(real.dtype) not in _FLOATS or standardize_dtype(imag.dtype) not in _FLOATS:
        raise ValueError(
            f"{op}: both parts of input `x` must be float tensors. Received dtypes "
            f"{standardize_dtype(real.dtype)} and {standardize_dtype(imag.dtype)}"
        )
    if real.dtype != imag.dtype:
        raise ValueError(
            f"{op}: the real and imaginary parts must have the same dtype. Received "
            f"{standardize_dtype(real.dtype)} and {standardize_dtype(imag.dtype)}"
        )
    wide = "float64" if standardize_dtype(real.dtype) == "float64" else "float32"
    return _cx.complex(_cast(real, wide), _cast(imag, wide)), standardize_dtype(real.dtype)


def _pair(z, dtype: str):
    return _cast(_cx.real(z), dtype), _cast(_cx.imag(z), dtype)


def _need_rank(z, rank: int, op: str):
    if z.ndim < rank:
        raise ValueError(f"{op}: input must have rank >= {rank}, received shape {tuple(z.shape)}")


def fft(x):
    """The FFT over the last axis of ``(real, imag)``: a ``(real, imag)`` pair."""
    z, dtype = _complex_from_pair(x, "fft")
    _need_rank(z, 1, "fft")
    return _pair(_fft.fft(z), dtype)


def fft2(x):
    """The 2-D FFT over the last two axes of ``(real, imag)``: a ``(real, imag)`` pair."""
    z, dtype = _complex_from_pair(x, "fft2")
    _need_rank(z, 2, "fft2")
    return _pair(_fft.fft2d(z), dtype)


def ifft2(x):
    """The inverse 2-D FFT over the last two axes of ``(real, imag)`` (divided by the number
    of points): a ``(real, imag)`` pair."""
    z, dtype = _complex_from_pair(x, "ifft2")
    _need_rank(z, 2, "ifft2")
    return _pair(_fft.ifft2d(z), dtype)


def _length(fft_length, op: str):
    if fft_length is None:
        return None
    if isinstance(fft_length, bool) or int(fft_length) != fft_length or fft_length < 1:
        raise ValueError(f"{op}: fft_length must be a positive integer, received {fft_length!r}")
    return [int(fft_length)]


def rfft(x, fft_length=None):
    """The FFT of real ``x`` over its last axis, ``fft_length // 2 + 1`` bins (``x`` cropped
    or zero-padded to ``fft_length``, default its length): a ``(real, imag)`` pair."""
    t = as_float(x)
    _need_rank(t, 1, "rfft")
    dtype = standardize_dtype(t.dtype)
    wide = "float64" if dtype == "float64" else "float32"
    return _pair(_fft.rfft(_cast(t, wide), _length(fft_length, "rfft")), dtype)


def irfft(x, fft_length=None):
    """The real inverse of :func:`rfft`: ``(real, imag)`` bins to ``fft_length`` samples
    (default ``2 * (bins - 1)``)."""
    z, dtype = _complex_from_pair(x, "irfft")
    _need_rank(z, 1, "irfft")
    return _cast(_fft.irfft(z, _length(fft_length, "irfft")), dtype)


def _window(window, sequence_length: int, fft_length: int, dtype, op: str):
    """The analysis window padded (centred) to ``fft_length``, or None."""
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'{op}: if a string is passed to `window`, it must be one of "hann", '
                f'"hamming". Received: window={window!r}'
            )
        make = _sp.hann_window if window == "hann" else _sp.hamming_window
        win = make(sequence_length, periodic=True, dtype=dtype)
    else:
        win = convert_to_tensor(window, dtype.name)
    if win.ndim != 1 or win.shape[-1] != sequence_length:
        raise ValueError(
            f"{op}: the shape of `window` must be equal to [sequence_length] = "
            f"[{sequence_length}]. Received: window shape={tuple(win.shape)}"
        )
    left = (fft_length - sequence_length) // 2
    return _re.pad(win, [[left, fft_length - sequence_length - left]])


def _check_lengths(sequence_length, sequence_stride, fft_length, op: str):
    for name, value in (
        ("sequence_length", sequence_length),
        ("sequence_stride", sequence_stride),
        ("fft_length", fft_length),
    ):
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"{op}: {name} must be a positive integer, received {value!r}")
    if fft_length < sequence_length:
        raise ValueError(
            f"{op}: `fft_length` must equal or larger than `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform of real signals ``[..., samples]``: a
    ``(real, imag)`` pair ``[..., frames, fft_length // 2 + 1]``. ``center`` reflect-pads
    ``fft_length // 2`` samples on both sides first."""
    t = convert_to_tensor(x)
    if standardize_dtype(t.dtype) not in ("float32", "float64"):
        raise TypeError(
            "stft: invalid input type. Expected `float32` or `float64`. "
            f"Received: input type={standardize_dtype(t.dtype)}"
        )
    _check_lengths(sequence_length, sequence_stride, fft_length, "stft")
    _need_rank(t, 1, "stft")
    if center:
        half = fft_length // 2
        t = _re.pad(t, [[0, 0]] * (t.ndim - 1) + [[half, half]], mode="REFLECT")
    win = _window(window, sequence_length, fft_length, t.dtype, "stft")
    out = _sp.stft(
        t,
        frame_length=fft_length,
        frame_step=sequence_stride,
        fft_length=fft_length,
        window_fn=None if win is None else (lambda length, dtype=None: win),
    )
    return _pair(out, standardize_dtype(t.dtype))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The inverse of :func:`stft`: real signals from a ``(real, imag)`` pair
    ``[..., frames, fft_length // 2 + 1]``, cut to ``length`` samples when given."""
    z, dtype = _complex_from_pair(x, "istft")
    _check_lengths(sequence_length, sequence_stride, fft_length, "istft")
    _need_rank(z, 2, "istft")
    real_dtype = z.dtype.real_dtype
    frames = z.shape[-2]
    expected = fft_length + sequence_stride * (frames - 1)
    win = _window(window, sequence_length, fft_length, real_dtype, "istft")
    window_fn = None
    if win is not None:
        window_fn = _sp.inverse_stft_window_fn(sequence_stride, lambda length, dtype=None: win)
    out = _sp.inverse_stft(
        z,
        frame_length=fft_length,
        frame_step=sequence_stride,
        fft_length=fft_length,
        window_fn=window_fn,
    )
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    elif center:
        end = out.shape[-1] - fft_length // 2
    else:
        end = expected
    return _cast(out[..., start:end], dtype)


def view_as_complex(x):
    """complex64 ``x[..., 0] + 1j * x[..., 1]`` of a real tensor whose last axis is 2."""
    t = convert_to_tensor(x)
    if t.ndim < 1 or t.shape[-1] != 2:
        raise ValueError(
            "view_as_complex: last dimension of input must be size 2 (real and imaginary). "
            f"Received shape: {tuple(t.shape)}"
        )
    return _cx.complex(_cast(t[..., 0], "float32"), _cast(t[..., 1], "float32"))


def view_as_real(x):
    """The real and imaginary parts of ``x`` stacked on a new last axis of 2 (a real ``x``
    gets zeros as its imaginary part)."""
    t = convert_to_tensor(x)
    return _sh.stack([_cx.real(t), _cx.imag(t)], axis=-1)


def erfinv(x):
    """The inverse error function on (-1, 1); +-inf at +-1, NaN outside."""
    return _special.erfinv(as_float(x))
