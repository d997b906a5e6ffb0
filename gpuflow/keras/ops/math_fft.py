"""``keras.ops.math`` Fourier transforms and complex views, with Keras 3's conventions:
``fft``/``fft2``/``ifft2``/``irfft``/``istft`` take a ``(real, imag)`` pair of float tensors
and the transforms give such a pair back; ``view_as_complex`` / ``view_as_real`` convert
between a trailing axis of 2 and complex64; ``erfinv``.

gpuflow's complex tensors are forward only, so each transform here carries its own
gradient (the adjoint transform, as TensorFlow's FFT gradients): gradients flow through
``fft``, ``rfft``, ``stft``, ``istft``, ... to the real and imaginary inputs."""

from __future__ import annotations

import numpy as np

from ...autodiff.custom_gradient import custom_gradient
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
    """``(real, imag, dtype)`` of a ``(real, imag)`` pair (Keras's input form for
    transforms), checked, the parts as float32 / float64 tensors."""
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
    return _cast(real, wide), _cast(imag, wide), standardize_dtype(real.dtype)


def _need_rank(z, rank: int, op: str):
    if z.ndim < rank:
        raise ValueError(f"{op}: input must have rank >= {rank}, received shape {tuple(z.shape)}")


def _pair(z, dtype: str):
    return _cast(_cx.real(z), dtype), _cast(_cx.imag(z), dtype)


def _stacked(z):
    """complex ``z`` as one real tensor ``[..., 2]`` (real, imag): what a custom gradient
    can return."""
    return _sh.stack([_cx.real(z), _cx.imag(z)], axis=-1)


def _unstacked(t, dtype: str):
    return _cast(t[..., 0], dtype), _cast(t[..., 1], dtype)


def _as_complex(g):
    return _cx.complex(g[..., 0], g[..., 1])


def _fit_last(t, size: int):
    """``t`` cropped or zero-padded on its last axis to ``size``."""
    have = t.shape[-1]
    if have > size:
        return t[..., :size]
    if have < size:
        return _re.pad(t, [[0, 0]] * (t.ndim - 1) + [[0, size - have]])
    return t


def _complex_transform(forward, adjoint):
    """A transform of complex values given as (real, imag), differentiable: its gradient
    is ``adjoint`` of the upstream complex gradient (the conjugate transpose)."""

    @custom_gradient
    def apply(re, im):
        z = forward(_cx.complex(re, im))

        def grad(g):
            back = adjoint(_as_complex(g))
            return _cx.real(back), _cx.imag(back)

        return _stacked(z), grad

    return apply


def _points(z, rank: int) -> float:
    n = 1
    for size in z.shape[-rank:]:
        n *= size
    return float(n)


def fft(x):
    """The FFT over the last axis of ``(real, imag)``: a ``(real, imag)`` pair."""
    re, im, dtype = _complex_from_pair(x, "fft")
    _need_rank(re, 1, "fft")
    n = _points(re, 1)
    apply = _complex_transform(_fft.fft, lambda g: _fft.ifft(g) * n)
    return _unstacked(apply(re, im), dtype)


def fft2(x):
    """The 2-D FFT over the last two axes of ``(real, imag)``: a ``(real, imag)`` pair."""
    re, im, dtype = _complex_from_pair(x, "fft2")
    _need_rank(re, 2, "fft2")
    n = _points(re, 2)
    apply = _complex_transform(_fft.fft2d, lambda g: _fft.ifft2d(g) * n)
    return _unstacked(apply(re, im), dtype)


def ifft2(x):
    """The inverse 2-D FFT over the last two axes of ``(real, imag)`` (divided by the number
    of points): a ``(real, imag)`` pair."""
    re, im, dtype = _complex_from_pair(x, "ifft2")
    _need_rank(re, 2, "ifft2")
    n = _points(re, 2)
    apply = _complex_transform(_fft.ifft2d, lambda g: _fft.fft2d(g) * (1.0 / n))
    return _unstacked(apply(re, im), dtype)


def _length(fft_length, op: str):
    if fft_length is None:
        return None
    if isinstance(fft_length, bool) or int(fft_length) != fft_length or fft_length < 1:
        raise ValueError(f"{op}: fft_length must be a positive integer, received {fft_length!r}")
    return int(fft_length)


def _rfft_stacked(t, length: int):
    """``rfft`` of real ``t`` over its last axis at ``length`` points, as ``[..., bins, 2]``,
    differentiable (the adjoint: the bins zero-padded to ``length``, ``length * ifft``,
    real part, fitted back to ``t``'s length)."""
    n = t.shape[-1]

    @custom_gradient
    def apply(signal):
        z = _fft.rfft(signal, [length])

        def grad(g):
            full = _fit_last(_as_complex(g), length)
            back = _cx.real(_fft.ifft(full)) * float(length)
            return _fit_last(back, n)

        return _stacked(z), grad

    return apply(t)


def _irfft_real(re, im, length: int):
    """``irfft`` of the bins ``re + 1j * im`` to ``length`` samples, differentiable (the
    adjoint: ``rfft`` of the upstream gradient, interior bins doubled, over ``length``)."""
    bins = re.shape[-1]
    used = length // 2 + 1
    weights = np.full(used, 2.0)
    weights[0] = 1.0
    if length % 2 == 0:
        weights[-1] = 1.0
    weights /= float(length)

    @custom_gradient
    def apply(r, i):
        out = _fft.irfft(_cx.complex(r, i), [length])

        def grad(g):
            spectrum = _fft.rfft(g, [length])
            scale = convert_to_tensor(weights, g.dtype.name)
            gr = _fit_last(_cx.real(spectrum) * scale, bins)
            gi = _fit_last(_cx.imag(spectrum) * scale, bins)
            return gr, gi

        return out, grad

    return apply(re, im)


def rfft(x, fft_length=None):
    """The FFT of real ``x`` over its last axis, ``fft_length // 2 + 1`` bins (``x`` cropped
    or zero-padded to ``fft_length``, default its length): a ``(real, imag)`` pair."""
    t = as_float(x)
    _need_rank(t, 1, "rfft")
    dtype = standardize_dtype(t.dtype)
    wide = "float64" if dtype == "float64" else "float32"
    length = _length(fft_length, "rfft") or t.shape[-1]
    return _unstacked(_rfft_stacked(_cast(t, wide), length), dtype)


def irfft(x, fft_length=None):
    """The real inverse of :func:`rfft`: ``(real, imag)`` bins to ``fft_length`` samples
    (default ``2 * (bins - 1)``)."""
    re, im, dtype = _complex_from_pair(x, "irfft")
    _need_rank(re, 1, "irfft")
    length = _length(fft_length, "irfft") or 2 * (re.shape[-1] - 1)
    return _cast(_irfft_real(re, im, length), dtype)


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
    frames = _sp.frame(t, fft_length, sequence_stride)
    if win is not None:
        frames = frames * win
    return _unstacked(_rfft_stacked(frames, fft_length), standardize_dtype(t.dtype))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The inverse of :func:`stft`: real signals from a ``(real, imag)`` pair
    ``[..., frames, fft_length // 2 + 1]``, cut to ``length`` samples when given."""
    re, im, dtype = _complex_from_pair(x, "istft")
    _check_lengths(sequence_length, sequence_stride, fft_length, "istft")
    _need_rank(re, 2, "istft")
    real_dtype = re.dtype
    frames = re.shape[-2]
    expected = fft_length + sequence_stride * (frames - 1)
    win = _window(window, sequence_length, fft_length, real_dtype, "istft")
    real_frames = _irfft_real(re, im, fft_length)
    if win is not None:
        inverse = _sp.inverse_stft_window_fn(sequence_stride, lambda length, dtype=None: win)
        real_frames = real_frames * inverse(fft_length, real_dtype)
    out = _sp.overlap_and_add(real_frames, sequence_stride)
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
