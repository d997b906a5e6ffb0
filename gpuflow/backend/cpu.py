"""The CPU device: NumPy arrays."""
from __future__ import annotations

import numpy as np

from .device import Device


class CpuDevice(Device):
    name = "cpu"
    kind = "cpu"
    xp = np

    def matmul(self, a, b):
        # NumPy has no fast float16 GEMM (about 100x slower than float32): compute
        # in float32 and cast back, which is also how GPUs accumulate float16.
        if a.dtype == np.float16 or b.dtype == np.float16:
            out = np.matmul(a.astype(np.float32), b.astype(np.float32))
            return out.astype(np.result_type(a.dtype, b.dtype))
        return np.matmul(a, b)
