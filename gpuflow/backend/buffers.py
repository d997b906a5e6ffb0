"""Reused output buffers for the CPU kernels while a compiled step replays.

A compiled step allocates the same arrays on every call (a layer's output, a weight's
gradient). Large NumPy arrays are fresh pages from the system each time (glibc returns
them on free), and touching them costs a page fault per 4 KiB: for the lecture MLP's
784x512 gradient that is more time than the GEMM that fills it. While a
:class:`BufferPool` is active (``ConcreteFunction`` activates its own around each
replay), :func:`empty` hands out an array the pool made earlier for the same shape and
dtype that nothing references any more, and makes one otherwise.

"Nothing references it" is read from the array's reference count: the pool's own
references are the only ones left. Views hold their base and so count. Outside a pool,
and for small arrays (where ``malloc`` reuses memory anyway), :func:`empty` is
``np.empty``. The pool keeps the arrays alive, so a replay's memory is its peak set of
large arrays (at most :data:`MAX_PER_SHAPE` of each shape), kept between calls.
"""

from __future__ import annotations

import contextlib
import math
import sys
import threading

import numpy as np

MIN_BYTES = 64 * 1024
"""Arrays smaller than this come from ``np.empty`` (malloc's free lists reuse them)."""

MAX_PER_SHAPE = 8
"""At most this many arrays of one shape and dtype are kept: a caller that holds on to
every result (a list of a compiled function's outputs) gets fresh arrays beyond them,
which go back to the system when dropped, instead of growing the pool for good."""


class _Local(threading.local):
    def __init__(self) -> None:
        self.pool = None


_active = _Local()


def _count_of_first(arrays: list) -> int:
    for array in arrays:
        return sys.getrefcount(array)
    return 0


# The count an array has when only a pool's list holds it, taken the way ``take`` takes
# it (the interpreter's own references differ between Python versions).
_UNUSED = _count_of_first([np.empty(0)])


class BufferPool:
    """Arrays by ``(shape, dtype)``, handed out again once nothing else holds them."""

    def __init__(self) -> None:
        self._arrays: dict = {}

    def take(self, shape: tuple, dtype) -> np.ndarray:
        arrays = self._arrays.setdefault((tuple(shape), dtype), [])
        for array in arrays:
            if sys.getrefcount(array) == _UNUSED:
                return array
        array = np.empty(shape, dtype)
        if len(arrays) < MAX_PER_SHAPE:
            arrays.append(array)
        return array

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for arrays in self._arrays.values() for a in arrays)

    @contextlib.contextmanager
    def active(self):
        previous = _active.pool
        _active.pool = self
        try:
            yield self
        finally:
            _active.pool = previous


def activate(pool):
    """Make ``pool`` (or None) the active pool of this thread; returns the previous one
    (``BufferPool.active`` as two plain calls, for a compiled step's replay)."""
    previous = _active.pool
    _active.pool = pool
    return previous


def empty(shape: tuple, dtype: np.dtype) -> np.ndarray:
    """An uninitialised NumPy array (``dtype`` a ``np.dtype``): from the active pool when
    there is one and the array is large, else ``np.empty``."""
    pool = _active.pool
    if pool is not None and math.prod(shape) * dtype.itemsize >= MIN_BYTES:
        return pool.take(shape, dtype)
    return np.empty(shape, dtype)


def zeros(xp, shape: tuple, dtype) -> np.ndarray:
    """Zeros on ``xp``: on NumPy an :func:`empty` array filled with 0 (from the active pool
    while a compiled step replays), else ``xp.zeros``."""
    if xp is not np:
        return xp.zeros(shape, dtype=dtype)
    out = empty(shape, np.dtype(dtype))
    out.fill(0)
    return out


ZERO_RUN = 1 << 18
"""Elements in the shared run of zeros :func:`relu` compares against (1 MiB of float32)."""

_zero_runs: dict = {}


def _zero_run(dtype: np.dtype) -> np.ndarray:
    run = _zero_runs.get(dtype)
    if run is None:
        run = np.zeros(ZERO_RUN, dtype)
        run.setflags(write=False)
        _zero_runs[dtype] = run  # a race makes two equal runs, one kept
    return run


def relu(x: np.ndarray, out=None) -> np.ndarray:
    """``max(x, 0)`` elementwise into ``out`` (default: a new array from :func:`empty`).

    NumPy 2 broadcasts the scalar of ``np.maximum(x, 0)`` through a slow strided loop,
    3-4x slower than the same op against an array of zeros (the lecture CNN's first ReLU:
    107 us against 27 us), so contiguous arrays are compared, run by run, with a shared
    read-only run of zeros.
    """
    if out is None:
        out = empty(x.shape, x.dtype)
    if x.dtype.kind not in "fiu" or not (x.flags.c_contiguous and out.flags.c_contiguous):
        return np.maximum(x, 0, out=out)
    zero = _zero_run(x.dtype)
    flat_x, flat_out = x.reshape(-1), out.reshape(-1)
    size = flat_x.size
    for start in range(0, size, ZERO_RUN):
        stop = min(start + ZERO_RUN, size)
        np.maximum(flat_x[start:stop], zero[: stop - start], out=flat_out[start:stop])
    return out


def empty_like(xp, array):
    """``empty(array.shape, array.dtype)`` for NumPy arrays; on other array modules
    (CuPy pools device memory itself) ``xp.empty_like``."""
    if xp is np:
        return empty(array.shape, array.dtype)
    return xp.empty_like(array)
