"""``tf.config.threading``: how many threads ops use.

``set_intra_op_parallelism_threads(n)`` limits the BLAS library NumPy calls (OpenBLAS,
MKL) to ``n`` threads through ``threadpoolctl`` when it is installed (``pip install
threadpoolctl``; it reaches NumPy's bundled OpenBLAS too). Without threadpoolctl the value
is recorded and returned by the getter, and BLAS keeps its own thread count (set
``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS`` before starting Python instead). ``0``
means "the system's choice", as in TensorFlow.

gpuflow runs ops one after another on the calling thread: it has no inter-op thread pool,
so ``set_inter_op_parallelism_threads`` only records its value.

On a machine that is already busy when gpuflow is imported, BLAS runs one thread per call
(:func:`limit_blas_on_a_busy_machine`).
"""

from __future__ import annotations

import os
import warnings

_intra = 0
_inter = 0
_limiter = None  # the threadpoolctl limiter in effect, kept so it can be undone


def get_intra_op_parallelism_threads() -> int:
    """The value set by ``set_intra_op_parallelism_threads`` (0: the system's choice)."""
    return _intra


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Limit the threads one op (a BLAS GEMM) uses to ``num_threads``; 0 restores the default.

    Raises:
        ValueError: for a negative number.
    """
    global _intra, _limiter
    num_threads = _checked(num_threads, "set_intra_op_parallelism_threads")
    try:
        import threadpoolctl
    except ImportError:
        warnings.warn(
            "gpuflow: threadpoolctl is not installed, so the BLAS thread count cannot "
            "be changed from Python; the value is recorded only (pip install "
            "threadpoolctl, or set OPENBLAS_NUM_THREADS before starting Python)",
            stacklevel=2,
        )
    else:
        if _limiter is not None:
            _limiter.restore_original_limits()
            _limiter = None
        if num_threads:
            _limiter = threadpoolctl.threadpool_limits(limits=num_threads, user_api="blas")
    _intra = num_threads


_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_on_a_busy_machine() -> bool:
    """One BLAS thread per call when the machine is already busy at import: the 1-minute
    load average at least the number of CPUs this process may run on, and no thread count
    chosen by the user (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``).

    OpenBLAS's worker threads spin while they wait; on oversubscribed cores they take the
    time of the thread doing the work. Measured on a 2-core machine at load 12: a
    128x784x512 GEMM 9.1 ms with 2 threads, 3.1 ms with one; a 384x32x64 GEMM 129 us
    against 51 us. ``tf.config.threading.set_intra_op_parallelism_threads(n)`` overrides
    it (0 restores BLAS's own count). Returns whether the limit was applied."""
    global _limiter
    if any(os.environ.get(name) for name in _THREAD_VARIABLES) or _limiter is not None:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
        busy = os.getloadavg()[0] >= cpus
    except (AttributeError, OSError):  # not Linux/Unix: no load average to read
        return False
    if not busy or cpus < 2:
        return False
    try:
        import threadpoolctl
    except ImportError:
        return False
    _limiter = threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    return True


def get_inter_op_parallelism_threads() -> int:
    """The value set by ``set_inter_op_parallelism_threads`` (0: the system's choice)."""
    return _inter


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Record the number of ops that may run at once (gpuflow runs them one at a time)."""
    global _inter
    _inter = _checked(num_threads, "set_inter_op_parallelism_threads")


def _checked(value, op) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"{op}: expected an int >= 0, received {value!r}")
    return int(value)
