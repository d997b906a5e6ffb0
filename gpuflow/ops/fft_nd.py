"""``tf.signal.fftnd``, ``ifftnd``, ``rfftnd`` and ``irfftnd``: Fourier transforms over any
``axes`` (default: every axis), each cropped or zero-padded to ``fft_length``, with
``norm`` "backward" (default: the inverse divides by the number of points), "ortho" or
"forward", as TensorFlow documents them. Forward only, as the 1-3-D transforms."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .complex_ops import ComplexForwardOnly
from .fft import _COMPLEX_OF, _REAL_OF

_NORMS = ("backward", "ortho", "forward")


class _TransformND(ComplexForwardOnly):
    def __init__(self, kind: str, axes, lengths, norm: str, out_dtype) -> None:
        self.kind, self.axes, self.lengths = kind, axes, lengths
        self.norm, self.out_dtype = norm, out_dtype

    def op_name(self) -> str:  # noqa: D102 - errors name the TensorFlow op
        return f"{self.kind}nd"

    def forward(self, x):
        transform = getattr(self.xp.fft, f"{self.kind}n")
        out = transform(x, s=self.lengths, axes=self.axes, norm=self.norm)
        return out.astype(self.out_dtype, copy=False)


def _axes(x: Tensor, axes, op: str) -> tuple:
    if axes is None:
        return tuple(range(x.ndim))
    if isinstance(axes, Tensor):
        axes = axes.numpy().tolist()
    axes = [axes] if np.ndim(axes) == 0 else list(axes)
    out = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise invalid_argument(op, f"axes must be integers, received {axes!r}")
        if not -x.ndim <= a < x.ndim:
            raise invalid_argument(
                op, f"axis {a} is out of range for a tensor of shape {list(x.shape)}"
            )
        out.append(int(a) % x.ndim)
    if len(set(out)) != len(out):
        raise invalid_argument(op, f"axes must be distinct, received {axes!r}")
    return tuple(out)


def _lengths(fft_length, axes: tuple, default: list, op: str) -> tuple:
    if fft_length is None:
        return tuple(default)
    if isinstance(fft_length, Tensor):
        fft_length = fft_length.numpy().tolist()
    lengths = [fft_length] if np.ndim(fft_length) == 0 else list(fft_length)
    if len(lengths) != len(axes) or any(
        isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in lengths
    ):
        raise invalid_argument(
            op,
            f"fft_length must be {len(axes)} positive ints (one per axis of {list(axes)}), "
            f"received {fft_length!r}",
        )
    return tuple(int(n) for n in lengths)


def _norm(norm, op: str) -> str:
    if norm is None:
        return "backward"
    if norm not in _NORMS:
        raise ValueError(
            f"{op}: norm must be one of {', '.join(_NORMS)} or None, received {norm!r}"
        )
    return norm


def _checked(input_tensor, op: str, wanted: str) -> Tensor:
    x = as_tensor(input_tensor)
    if wanted == "complex" and x._data.dtype.kind != "c":
        if op == "irfftnd":
            raise ValueError(
                f"{op}: IRFFT requires tf.complex64 or tf.complex128 inputs, received dtype "
                f"{x.dtype.name}"
            )
        raise invalid_argument(
            op, f"expected a complex64 or complex128 tensor, received dtype {x.dtype.name}"
        )
    if wanted == "real" and x._data.dtype not in _COMPLEX_OF:
        raise ValueError(
            f"{op}: RFFT requires tf.float32 or tf.float64 inputs, received dtype {x.dtype.name}"
        )
    return x


def _complex_nd(kind: str):
    def op(input_tensor, fft_length=None, axes=None, norm=None, name=None) -> Tensor:
        name_ = f"{kind}nd"
        x = _checked(input_tensor, name_, "complex")
        ax = _axes(x, axes, name_)
        lengths = _lengths(fft_length, ax, [x.shape[a] for a in ax], name_)
        return _TransformND(kind, ax, lengths, _norm(norm, name_), x._data.dtype)(x)

    op.__name__ = op.__qualname__ = f"{kind}nd"
    op.__doc__ = (
        f"The {'inverse ' if kind == 'ifft' else ''}discrete Fourier transform of a complex "
        "tensor over ``axes`` (default all), each axis cropped or zero-padded to its "
        "``fft_length``."
    )
    return op


def rfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None) -> Tensor:
    """The Fourier transform of a real tensor over ``axes`` (default all); the last axis
    keeps the ``fft_length[-1] // 2 + 1`` non-negative frequencies."""
    op = "rfftnd"
    x = _checked(input_tensor, op, "real")
    ax = _axes(x, axes, op)
    lengths = _lengths(fft_length, ax, [x.shape[a] for a in ax], op)
    return _TransformND("rfft", ax, lengths, _norm(norm, op), _COMPLEX_OF[x._data.dtype])(x)


def irfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None) -> Tensor:
    """The inverse of ``rfftnd``: a real tensor from the non-negative frequencies of its
    transform (``fft_length`` defaults to ``2 * (n - 1)`` on the last of ``axes``)."""
    op = "irfftnd"
    x = _checked(input_tensor, op, "complex")
    ax = _axes(x, axes, op)
    default = [x.shape[a] for a in ax]
    if default:
        default[-1] = max(0, 2 * (default[-1] - 1))
    lengths = _lengths(fft_length, ax, default, op)
    return _TransformND("irfft", ax, lengths, _norm(norm, op), _REAL_OF[x._data.dtype])(x)


fftnd = _complex_nd("fft")
ifftnd = _complex_nd("ifft")
