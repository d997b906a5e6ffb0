"""How many GPUs CuPy sees (0 when CuPy is missing or no driver answers)."""

from __future__ import annotations


def gpu_count() -> int:
    try:
        import cupy
    except ImportError:
        return 0
    try:
        return int(cupy.cuda.runtime.getDeviceCount())
    except Exception:  # CuPy without a driver raises CUDARuntimeError: no GPU here
        return 0
