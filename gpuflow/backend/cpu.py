"""The CPU device: NumPy arrays."""
from __future__ import annotations

import warnings

import numpy as np

from .device import Device

_warned_float16 = False


def _warn_float16_once(device: str) -> None:
    global _warned_float16
    if not _warned_float16:
        _warned_float16 = True
        warnings.warn(f"gpuflow: float16 compute on device '{device}' is slow (NumPy has no float16 "
                      "GEMM): each float16 matmul runs in float32 and is cast back. float16 and "
                      "mixed_float16 pay off on cuda; on the CPU prefer float32. (Shown once.)",
                      RuntimeWarning, stacklevel=3)


class CpuDevice(Device):
    name = "cpu"
    kind = "cpu"
    xp = np

    def matmul(self, a, b):
        # NumPy has no fast float16 GEMM (about 100x slower than float32): compute
        # in float32 and cast back, which is also how GPUs accumulate float16.
        if a.dtype == np.float16 or b.dtype == np.float16:
            _warn_float16_once(self.name)
            out = np.matmul(a.astype(np.float32), b.astype(np.float32))
            return out.astype(np.result_type(a.dtype, b.dtype))
        return np.matmul(a, b)
