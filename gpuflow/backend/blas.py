"""``y += a * x`` in one pass, through the BLAS NumPy already loaded (``?axpy``).

NumPy has no fused multiply-add of arrays: ``w -= lr * g`` reads ``g``, writes a
temporary, then reads it again to update ``w``. An optimizer step does this for every
weight, and for a large layer that update costs as much as the GEMM that made the
gradient. BLAS ``saxpy`` / ``daxpy`` does it in one pass (and OpenBLAS splits large
ones over its threads), as PyTorch's ``add_(g, alpha=-lr)`` does.

The library is the one NumPy's wheels ship (``scipy-openblas``, found next to NumPy);
where it is not found (another NumPy build), :func:`axpy` does the NumPy two-pass form,
so results never depend on it being there beyond rounding (the fused form rounds once).
"""

from __future__ import annotations

import ctypes
import glob
import os

import numpy as np

_MIN_SIZE = 4096
"""Below this many elements the two NumPy calls cost less than the foreign call."""


def _find_axpy() -> dict:
    """``{dtype: (function, int type)}`` for float32 and float64, or {} when no BLAS
    with a known symbol is next to NumPy."""
    root = os.path.dirname(os.path.dirname(np.__file__))
    candidates = []
    for pattern in ("numpy.libs/libscipy_openblas*", "numpy/.dylibs/libscipy_openblas*"):
        candidates += sorted(glob.glob(os.path.join(root, pattern)))
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for suffix, int_type in (("64_", ctypes.c_int64), ("", ctypes.c_int)):
            found = {}
            for dtype, name, real in (
                (np.dtype(np.float32), "saxpy", ctypes.c_float),
                (np.dtype(np.float64), "daxpy", ctypes.c_double),
            ):
                func = getattr(lib, f"scipy_cblas_{name}{suffix}", None)
                if func is None:
                    break
                func.restype = None
                func.argtypes = [
                    int_type,
                    real,
                    ctypes.c_void_p,
                    int_type,
                    ctypes.c_void_p,
                    int_type,
                ]
                found[dtype] = func
            if len(found) == 2:
                return found
    return {}


_AXPY = _find_axpy()


def available() -> bool:
    """Whether :func:`axpy` runs through BLAS (else through NumPy)."""
    return bool(_AXPY)


def axpy(a: float, x: np.ndarray, y: np.ndarray) -> None:
    """``y += a * x`` in place, for NumPy arrays of the same shape.

    One BLAS pass when both are C-contiguous float32 or float64 of the same dtype and
    large; otherwise NumPy's ``y += a * x``.
    """
    func = _AXPY.get(y.dtype)
    if (
        func is not None
        and x.dtype == y.dtype
        and y.size >= _MIN_SIZE
        and x.shape == y.shape
        and x.flags.c_contiguous
        and y.flags.c_contiguous
        and y.flags.writeable
    ):
        func(y.size, a, x.ctypes.data, 1, y.ctypes.data, 1)
        return
    y += a * x
