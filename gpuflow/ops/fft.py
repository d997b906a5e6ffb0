"""Fast Fourier transforms of ``tf.signal`` over the innermost 1, 2 or 3 axes: fft, ifft,
rfft, irfft (and their 2-D / 3-D forms), fftshift and ifftshift.

As TensorFlow: ``fft`` takes complex64 / complex128; ``rfft`` takes float32 / float64 and
gives complex64 / complex128, cropping or zero-padding each transformed axis to
``fft_length``; ``irfft`` gives back floats, ``fft_length`` defaulting to
``2 * (n - 1)`` on the innermost axis. ``ifft`` divides by the number of points.
Gradients as TensorFlow's: ``fft``'s is ``N * ifft(g)``, ``ifft``'s ``fft(g) / N``
(N the number of points transformed), ``rfft``'s flows from its complex output back to
its real input (the STFT magnitude losses of audio models); ``irfft`` is forward only.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .complex_ops import ComplexForwardOnly

_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}
_REAL_OF = {np.dtype(np.complex64): np.float32, np.dtype(np.complex128): np.float64}


class _Transform(ComplexForwardOnly):
    complex_grads = True  # fft / ifft / rfft; irfft refuses in backward

    def __init__(self, kind: str, rank: int, lengths, out_dtype) -> None:
        self.kind, self.rank, self.lengths, self.out_dtype = kind, rank, lengths, out_dtype

    def op_name(self) -> str:  # noqa: D102 - errors name the TensorFlow op
        suffix = "" if self.rank == 1 else f"{self.rank}d"
        return f"{self.kind}{suffix}"

    def forward(self, x):
        axes = tuple(range(-self.rank, 0))
        fft = self.xp.fft
        if self.kind == "fft":
            out = fft.fftn(x, axes=axes)
        elif self.kind == "ifft":
            out = fft.ifftn(x, axes=axes)
        elif self.kind == "rfft":
            out = fft.rfftn(x, s=self.lengths, axes=axes)
        else:
            out = fft.irfftn(x, s=self.lengths, axes=axes)
        return out.astype(self.out_dtype, copy=False)

    def backward(self, g):
        if self.kind == "irfft":
            raise NotImplementedError(
                f"{self.op_name()}: gradients through complex values are not supported by gpuflow"
            )
        axes = tuple(range(-self.rank, 0))
        points = float(np.prod(g.shape[-self.rank :]))
        if self.kind == "fft":
            dx = self.xp.fft.ifftn(g, axes=axes) * points
        else:
            dx = self.xp.fft.fftn(g, axes=axes) / points
        return (dx.astype(self.out_dtype, copy=False),)


class _RealForward(_Transform):
    """``rfft`` over the innermost ``rank`` axes, with TensorFlow's gradient: for a real
    loss and the upstream ``G = dL/dRe(y) + i dL/dIm(y)`` of the half spectrum,
    ``dL/dx = N * Re(ifftn(G zero-filled to the full spectrum))``, then the input's
    zero-padding cut off (or its cropped part given zeros)."""

    twice_differentiable = False

    def forward(self, x):
        self.in_shape = x.shape[-self.rank :]
        return super().forward(x)

    def backward(self, g):
        xp, axes = self.xp, tuple(range(-self.rank, 0))
        full = list(g.shape)
        full[-1] = self.lengths[-1]
        spectrum = xp.zeros(full, dtype=g.dtype)
        spectrum[..., : g.shape[-1]] = g
        dx = xp.fft.ifftn(spectrum, axes=axes).real * float(np.prod(self.lengths))
        for axis, (n, s) in enumerate(zip(self.in_shape, self.lengths), start=g.ndim - self.rank):
            if s > n:  # the input was zero-padded to s: those samples have no gradient
                dx = xp.take(dx, xp.arange(n), axis=axis)
            elif s < n:  # the input was cropped to s: the dropped samples get zeros
                pad = [(0, 0)] * dx.ndim
                pad[axis] = (0, n - s)
                dx = xp.pad(dx, pad)
        return (dx.astype(_REAL_OF[np.dtype(g.dtype)], copy=False),)


def _name(kind: str, rank: int) -> str:
    return kind if rank == 1 else f"{kind}{rank}d"


def _checked(input_tensor, kind: str, rank: int, wanted: str) -> Tensor:
    x = as_tensor(input_tensor)
    op = _name(kind, rank)
    if wanted == "complex" and x._data.dtype.kind != "c":
        raise invalid_argument(
            op, f"expected a complex64 or complex128 tensor, received dtype {x.dtype.name}"
        )
    if wanted == "real" and x._data.dtype not in _COMPLEX_OF:
        raise invalid_argument(
            op, f"expected a float32 or float64 tensor, received dtype {x.dtype.name}"
        )
    if x.ndim < rank:
        raise invalid_argument(
            op, f"expected a tensor of rank >= {rank}, received shape {list(x.shape)}"
        )
    return x


def _lengths(fft_length, rank: int, op: str, default):
    if fft_length is None:
        return tuple(default)
    if isinstance(fft_length, Tensor):
        fft_length = fft_length.numpy().tolist()
    lengths = [fft_length] if np.ndim(fft_length) == 0 else list(fft_length)
    if len(lengths) != rank or any(int(n) < 0 for n in lengths):
        raise invalid_argument(
            op, f"fft_length must be a list of {rank} non-negative ints, received {fft_length!r}"
        )
    return tuple(int(n) for n in lengths)


def _complex_transform(kind: str, rank: int):
    def op(input, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
        x = _checked(input, kind, rank, "complex")
        return _Transform(kind, rank, None, x._data.dtype)(x)

    op.__name__ = op.__qualname__ = _name(kind, rank)
    op.__doc__ = (
        f"The {'inverse ' if kind == 'ifft' else ''}discrete Fourier transform over the "
        f"innermost {rank} axes of a complex tensor."
    )
    return op


def _real_forward(rank: int):
    def op(input_tensor, fft_length=None, name=None) -> Tensor:
        x = _checked(input_tensor, "rfft", rank, "real")
        lengths = _lengths(fft_length, rank, _name("rfft", rank), x.shape[-rank:])
        return _RealForward("rfft", rank, lengths, _COMPLEX_OF[x._data.dtype])(x)

    op.__name__ = op.__qualname__ = _name("rfft", rank)
    op.__doc__ = (
        f"The discrete Fourier transform of a real tensor over its innermost {rank} axes "
        "(the non-negative frequencies of the last one: ``fft_length[-1] // 2 + 1`` bins)."
    )
    return op


def _real_inverse(rank: int):
    def op(input_tensor, fft_length=None, name=None) -> Tensor:
        x = _checked(input_tensor, "irfft", rank, "complex")
        dims = list(x.shape[-rank:])
        dims[-1] = 2 * (dims[-1] - 1)
        lengths = _lengths(fft_length, rank, _name("irfft", rank), dims)
        return _Transform("irfft", rank, lengths, _REAL_OF[x._data.dtype])(x)

    op.__name__ = op.__qualname__ = _name("irfft", rank)
    op.__doc__ = (
        f"The inverse of ``{_name('rfft', rank)}``: a real tensor from the non-negative "
        "frequencies of its transform."
    )
    return op


fft = _complex_transform("fft", 1)
ifft = _complex_transform("ifft", 1)
fft2d = _complex_transform("fft", 2)
ifft2d = _complex_transform("ifft", 2)
fft3d = _complex_transform("fft", 3)
ifft3d = _complex_transform("ifft", 3)
rfft = _real_forward(1)
rfft2d = _real_forward(2)
rfft3d = _real_forward(3)
irfft = _real_inverse(1)
irfft2d = _real_inverse(2)
irfft3d = _real_inverse(3)


def _shift(x, axes, sign: int, op: str) -> Tensor:
    from .rearrange import roll

    x = as_tensor(x)
    if axes is None:
        axes = list(range(x.ndim))
    elif np.ndim(axes) == 0:
        axes = [int(axes)]
    axes = [int(a) for a in axes]
    for a in axes:
        if not -x.ndim <= a < x.ndim:
            raise invalid_argument(op, f"axis {a} is out of range for a tensor of rank {x.ndim}")
    shifts = [sign * (x.shape[a] // 2) for a in axes]
    return roll(x, shifts, axes)


def fftshift(x, axes=None, name=None) -> Tensor:
    """Move the zero frequency to the centre of each axis in ``axes`` (default: all)."""
    return _shift(x, axes, 1, "fftshift")


def ifftshift(x, axes=None, name=None) -> Tensor:
    """The inverse of ``fftshift``."""
    return _shift(x, axes, -1, "ifftshift")
