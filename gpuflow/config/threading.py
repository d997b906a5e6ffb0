"""``tf.config.threading``: how many threads ops use.

``set_intra_op_parallelism_threads(n)`` limits the BLAS library NumPy calls (OpenBLAS,
MKL) to ``n`` threads through ``threadpoolctl`` when it is installed (``pip install
threadpoolctl``; it reaches NumPy's bundled OpenBLAS too). Without threadpoolctl the value
is recorded and returned by the getter, and BLAS keeps its own thread count (set
``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS`` before starting Python instead). ``0``
means "the system's choice", as in TensorFlow.

gpuflow runs ops one after another on the calling thread: it has no inter-op thread pool,
so ``set_inter_op_parallelism_threads`` only records its value.
"""

from __future__ import annotations

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
