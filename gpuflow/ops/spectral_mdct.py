"""``tf.signal`` Kaiser, Kaiser-Bessel-derived and Vorbis windows, and the modified
discrete cosine transform (``mdct`` / ``inverse_mdct``), as TensorFlow defines them."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._common import as_int, as_tensor, invalid_argument
from .spectral import _float_dtype, dct, frame, overlap_and_add


def _constant(values: np.ndarray, dtype) -> Tensor:
    from .creation import constant

    return constant(values, dtype=dtype)


def _kaiser(n: int, beta: float) -> np.ndarray:
    if n == 1:
        return np.ones(1)
    half = (n - 1) / 2
    ratio = (np.arange(n) - half) / half
    return np.i0(beta * np.sqrt(np.maximum(1 - ratio**2, 0))) / np.i0(beta)


def kaiser_window(window_length, beta=12.0, dtype=dtypes.float32, name=None) -> Tensor:
    """The (symmetric) Kaiser window of ``window_length`` samples and shape ``beta``."""
    dt = _float_dtype(dtype, "kaiser_window")
    n = as_int("kaiser_window", "window_length", window_length, minimum=0)
    return _constant(_kaiser(n, float(beta)) if n else np.zeros(0), dt)


def kaiser_bessel_derived_window(
    window_length, beta=12.0, dtype=dtypes.float32, name=None
) -> Tensor:
    """The Kaiser-Bessel-derived window (the square roots of the Kaiser window's running
    sums, mirrored): the window that makes an MDCT perfectly invertible."""
    dt = _float_dtype(dtype, "kaiser_bessel_derived_window")
    n = as_int("kaiser_bessel_derived_window", "window_length", window_length, minimum=0)
    half = n // 2
    running = np.cumsum(_kaiser(half + 1, float(beta)))
    side = np.sqrt(running[:-1] / running[-1])
    return _constant(np.concatenate([side, side[::-1]]), dt)


def vorbis_window(window_length, dtype=dtypes.float32, name=None) -> Tensor:
    """``sin(pi/2 sin^2(pi (n + 1/2) / N))``: the window of the Vorbis codec's MDCT."""
    dt = _float_dtype(dtype, "vorbis_window")
    n = as_int("vorbis_window", "window_length", window_length, minimum=0)
    inner = np.sin(np.pi * (np.arange(n) + 0.5) / max(n, 1))
    return _constant(np.sin(np.pi / 2 * inner**2), dt)


def _window(window_fn, length: int, dtype):
    if window_fn is None:
        return None
    return window_fn(length, dtype=dtype)


def mdct(
    signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None
) -> Tensor:
    """The MDCT of ``signals`` ``[..., samples]``: frames of ``frame_length`` (a multiple
    of 4) every ``frame_length / 2`` samples, windowed, each giving ``frame_length / 2``
    coefficients ``[..., frames, frame_length / 2]``.

    Raises:
        InvalidArgumentError: for a frame_length that is not a multiple of 4, or a norm
            other than None or "ortho".
    """
    op = "mdct"
    length = as_int(op, "frame_length", frame_length, minimum=4)
    if length % 4:
        raise invalid_argument(op, f"frame_length must be a multiple of 4, received {length}")
    if norm not in (None, "ortho"):
        raise invalid_argument(op, f"norm must be None or 'ortho', received {norm!r}")
    from .rearrange import reverse
    from .shape import concat

    x = as_tensor(signals)
    frames = frame(x, length, length // 2, pad_end=pad_end)
    window = _window(window_fn, length, frames.dtype)
    frames = frames * (window if window is not None else float(1 / np.sqrt(2)))
    q = length // 4
    a, b, c, d = (frames[..., i * q : (i + 1) * q] for i in range(4))
    first = -reverse(c, [-1]) - d
    second = a - reverse(b, [-1])
    return dct(concat([first, second], -1), type=4, norm=norm)


def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None) -> Tensor:
    """The signal whose :func:`mdct` is ``mdcts`` ``[..., frames, half]`` (overlapping
    frames added back; exact with a window meeting the Princen-Bradley condition)."""
    op = "inverse_mdct"
    if norm not in (None, "ortho"):
        raise invalid_argument(op, f"norm must be None or 'ortho', received {norm!r}")
    from .rearrange import reverse
    from .shape import concat

    m = as_tensor(mdcts)
    half = m.shape[-1]
    if norm is None:
        halves = dct(m, type=4) * float(0.5 / half)
    else:
        halves = dct(m, type=4, norm="ortho")
    h = half // 2
    first, second = halves[..., :h], halves[..., h:]
    frames = concat([second, -reverse(second, [-1]), -reverse(first, [-1]), -first], -1)
    window = _window(window_fn, 2 * half, frames.dtype)
    frames = frames * (window if window is not None else float(1 / np.sqrt(2)))
    return overlap_and_add(frames, half)
