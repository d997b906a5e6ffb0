"""The windows of ``keras.initializers.STFT`` and ``keras.layers.STFTSpectrogram``, computed
as SciPy's ``get_window`` computes them (``periodic=True``: the
DFT-even window of ``n + 1`` points less the last): ``hann``, ``hamming``, ``blackman``,
``bartlett``, ``boxcar`` (aliases ``rectangular``, ``rect``, ``ones``), ``triang``,
``cosine``; or an array of ``frame_length`` values, or None.
"""

from __future__ import annotations

import numpy as np


def _general_cosine(n: int, coefficients) -> np.ndarray:
    phase = np.linspace(-np.pi, np.pi, n)
    return sum(c * np.cos(k * phase) for k, c in enumerate(coefficients))


def _triang(n: int) -> np.ndarray:
    half = np.arange(1, (n + 1) // 2 + 1)
    if n % 2 == 0:
        w = (2 * half - 1.0) / n
        return np.concatenate([w, w[::-1]])
    w = 2 * half / (n + 1.0)
    return np.concatenate([w, w[-2::-1]])


_WINDOWS = {
    "hann": lambda n: _general_cosine(n, [0.5, 0.5]),
    "hamming": lambda n: _general_cosine(n, [0.54, 0.46]),
    "blackman": lambda n: _general_cosine(n, [0.42, 0.50, 0.08]),
    "bartlett": lambda n: 1.0 - np.abs(2.0 * np.arange(n) / (n - 1) - 1.0),
    "triang": _triang,
    "cosine": lambda n: np.sin(np.pi / n * (np.arange(n) + 0.5)),
    "boxcar": np.ones,
}
_ALIASES = {"hanning": "hann", "rectangular": "boxcar", "rect": "boxcar", "ones": "boxcar"}


def check_window(window, where: str) -> None:
    if isinstance(window, str) and _ALIASES.get(window, window) not in _WINDOWS:
        raise ValueError(
            f"{where}: unknown window {window!r}; expected one of "
            f"{', '.join(sorted(_WINDOWS))}, an array of window values or None"
        )


def get_window(window, length: int, periodic: bool) -> np.ndarray:
    """SciPy's ``signal.get_window(window, length, fftbins=periodic)`` for the windows above."""
    n = length + 1 if periodic else length
    if n == 1:
        values = np.ones(1)
    else:
        values = _WINDOWS[_ALIASES.get(window, window)](n)
    return np.asarray(values[:length], dtype="float64")
