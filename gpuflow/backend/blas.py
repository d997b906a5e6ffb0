"""``y += a * x`` and ``c += alpha * a @ b`` in one pass each, through the BLAS NumPy
already loaded (``?axpy``, ``?gemm`` with ``beta = 1``).

NumPy has no fused multiply-add of arrays: ``w -= lr * g`` reads ``g``, writes a
temporary, then reads it again to update ``w``. An optimizer step does this for every
weight, and for a large layer that update costs as much as the GEMM that made the
gradient. BLAS ``saxpy`` / ``daxpy`` does it in one pass (and OpenBLAS splits large
ones over its threads), as PyTorch's ``add_(g, alpha=-lr)`` does.

The library is the one NumPy's wheels ship (``scipy-openblas``, found next to NumPy);
where it is not found (another NumPy build), :func:`axpy` does the NumPy two-pass form,
so results never depend on it being there beyond rounding (the fused form rounds once).

``gemm_update`` is plain SGD's step fused into the GEMM that makes a weight's gradient:
``w -= lr * (x.T @ g)`` with ``w`` as the GEMM's accumulator, so the gradient is never
written out and read back (see ``gpuflow/graph/fused_update.py``).
"""

from __future__ import annotations

import ctypes
import glob
import os

import numpy as np

_MIN_SIZE = 4096
"""Below this many elements the two NumPy calls cost less than the foreign call."""


_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112  # CBLAS enum values


def _find(kind: str) -> dict:
    """``{dtype: function}`` for float32 and float64 ``kind`` ("axpy" or "gemm"), or {}
    when no BLAS with a known symbol is next to NumPy."""
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
            for dtype, prefix, real in (
                (np.dtype(np.float32), "s", ctypes.c_float),
                (np.dtype(np.float64), "d", ctypes.c_double),
            ):
                func = getattr(lib, f"scipy_cblas_{prefix}{kind}{suffix}", None)
                if func is None:
                    break
                func.restype = None
                func.argtypes = _ARGUMENTS[kind](int_type, real)
                found[dtype] = func
            if len(found) == 2:
                return found
    return {}


_ARGUMENTS = {
    # n, alpha, x, incx, y, incy
    "axpy": lambda i, r: [i, r, ctypes.c_void_p, i, ctypes.c_void_p, i],
    # order, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc
    "gemm": lambda i, r: [
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        i,
        i,
        i,
        r,
        ctypes.c_void_p,
        i,
        ctypes.c_void_p,
        i,
        r,
        ctypes.c_void_p,
        i,
    ],
}

_AXPY = _find("axpy")
_GEMM = _find("gemm")


def available() -> bool:
    """Whether :func:`axpy` and :func:`gemm_update` run through BLAS (else NumPy)."""
    return bool(_AXPY) and bool(_GEMM)


def axpy(a: float, x: np.ndarray, y: np.ndarray, size: int | None = None) -> None:
    """``y += a * x`` in place, for NumPy arrays of the same shape.

    One BLAS pass when both are C-contiguous float32 or float64 of the same dtype and
    large (``size``, default ``y.size``: rows of a larger array pass that array's size, so
    that they round as its own update would); otherwise NumPy's ``y += a * x``.
    """
    func = _AXPY.get(y.dtype)
    if (
        func is not None
        and x.dtype == y.dtype
        and (y.size if size is None else size) >= _MIN_SIZE
        and x.shape == y.shape
        and x.flags.c_contiguous
        and y.flags.c_contiguous
        and y.flags.writeable
    ):
        func(y.size, a, x.ctypes.data, 1, y.ctypes.data, 1)
        return
    y += a * x


def _layout(a: np.ndarray):
    """``(transpose flag, leading dimension)`` of a 2-D operand as BLAS reads it in row
    major, or None when it is neither C- nor Fortran-ordered (a strided view)."""
    if a.flags.c_contiguous:
        return _NO_TRANS, max(a.shape[1], 1)
    if a.flags.f_contiguous:  # the transpose of a C-ordered array
        return _TRANS, max(a.shape[0], 1)
    return None


def gemm_update(alpha: float, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> None:
    """``c += alpha * (a @ b)`` in place, for 2-D NumPy arrays ``a [M,K]``, ``b [K,N]``,
    ``c [M,N]``.

    One BLAS GEMM with ``c`` as its accumulator (``beta = 1``) when all three share a
    float32 or float64 dtype, ``a`` and ``b`` are C- or Fortran-ordered (``x.T`` is) and
    ``c`` is C-contiguous and writable; otherwise NumPy's ``c += alpha * (a @ b)``.
    """
    func = _GEMM.get(c.dtype)
    m, n = c.shape
    k = a.shape[1]
    if a.shape != (m, k) or b.shape != (k, n):
        raise ValueError(
            f"gemm_update: expected a [M,K], b [K,N], c [M,N]; received a {a.shape}, "
            f"b {b.shape}, c {c.shape}"
        )
    la, lb = _layout(a), _layout(b)
    if (
        func is None
        or la is None
        or lb is None
        or a.dtype != c.dtype
        or b.dtype != c.dtype
        or not c.flags.c_contiguous
        or not c.flags.writeable
        or c.size == 0
    ):
        c += alpha * (a @ b)
        return
    func(
        _ROW_MAJOR,
        la[0],
        lb[0],
        m,
        n,
        k,
        alpha,
        a.ctypes.data,
        la[1],
        b.ctypes.data,
        lb[1],
        1.0,
        c.ctypes.data,
        n,
    )
